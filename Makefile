# laoyou_eval — `make help` lists the targets.  Everything runs inside .venv, created on demand.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements/lock.txt
LINTED := laoyou_eval tests
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
IS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo yes)

.PHONY: help setup lock demo test lint test-unit test-notebooks lab notebooks demo-data docs bench fonts clean

## help: list the targets (this message)
help:
	@echo "laoyou_eval — 社区老友支持计划评估工具"
	@echo
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## //' | awk -F': ' '{printf "  make %-16s %s\n", $$1, $$2}'

## setup: create .venv, install the locked versions with the dev tools, register the kernel, configure nbstripout
setup: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "需要 Python 3.11 或更新 / Python >= 3.11 is required (found $$($(PYTHON) --version))"; exit 1; }
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		if [ "$(IS_ROOT)" = yes ] && command -v apt-get >/dev/null; then \
			apt-get update -q && apt-get install -y -q python3-venv && $(PYTHON) -m venv $(VENV); \
		else echo "请先安装 python3-venv / install python3-venv first"; exit 1; fi; }
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c $(LOCK) -e ".[dev]"
	@# the same set-up as `laoyou-eval setup` (the path without make): kernel + nbstripout filter
	$(BIN)/python -m laoyou_eval.devsetup
	@$(MAKE) --no-print-directory fonts
	@touch $@

## lock: re-resolve the dependencies from pyproject.toml's ranges into requirements/lock.txt, then re-execute the notebooks
lock:
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --no-cache-dir -e ".[dev]"
	@{ sed -n '/^#/p' $(LOCK); $(BIN)/python -m pip freeze --exclude-editable | grep -vi '^laoyou'; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	@$(MAKE) --no-print-directory setup notebooks
	@echo "已更新 $(LOCK) 并重新运行了笔记本；请检查 git diff 后一起提交。"
	@echo "Updated $(LOCK) and re-executed the notebooks: review git diff and commit them together."

## fonts: make sure a Chinese font exists (installs fonts-noto-cjk with apt when run as root)
fonts:
	@if fc-list 2>/dev/null | grep -qiE 'CJK|WenQuanYi|Source Han|Noto Sans SC'; then :; \
	elif [ "$(IS_ROOT)" = yes ] && command -v apt-get >/dev/null; then \
		echo "安装中文字体 installing fonts-noto-cjk"; \
		(apt-get install -y -q --no-install-recommends fonts-noto-cjk fontconfig >/dev/null 2>&1 || \
		 { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends fonts-noto-cjk fontconfig >/dev/null; }); \
	else \
		echo "提示：没有找到中文字体，图中文字将使用英文。Hint: no CJK font; figures fall back to English."; \
		echo "      sudo apt-get install fonts-noto-cjk"; \
	fi

## demo: run the whole evaluation on the demo study and print the report's path
demo: $(STAMP)
	$(BIN)/laoyou-eval demo

## test: run the whole test suite — lint, unit tests (with every docstring example), then the notebooks with nbval
test: lint test-unit test-notebooks

## lint: ruff with the rules in pyproject.toml (`.venv/bin/ruff check --fix laoyou_eval tests` repairs what it can)
lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)

## test-unit: unit, oracle and end-to-end tests in tests/
test-unit: $(STAMP)
	$(BIN)/python -m pytest tests

## test-notebooks: check the committed notebook outputs with nbval (without re-executing first)
test-notebooks: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL) $(NOTEBOOKS)

## lab: open JupyterLab with the project's kernel
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(if $(IS_ROOT),--allow-root)

## notebooks: re-execute the numbered notebooks in place (after changing the library or data)
notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --KernelManager.transport_encryption=auto --ExecutePreprocessor.record_timing=False $(NOTEBOOKS)

## demo-data: regenerate data/raw/demo from the generator (same seed -> identical files)
demo-data: $(STAMP)
	$(BIN)/laoyou-eval synth --out data/raw/demo --overwrite

## bench: run the performance benchmarks and rewrite benchmarks/RESULTS.md (under 10 minutes)
bench: $(STAMP)
	$(BIN)/python -m pip install -q -c $(LOCK) -e ".[dev,bench]"
	$(BIN)/python benchmarks/run.py

## docs: regenerate docs/instruments.md and docs/study_yaml.md from the code
docs: $(STAMP)
	$(BIN)/python -c "from laoyou_eval import instruments; open('docs/instruments.md', 'w', encoding='utf-8').write(instruments.catalogue_markdown())"
	$(BIN)/python -c "from laoyou_eval import study; open('docs/study_yaml.md', 'w', encoding='utf-8').write(study.schema_markdown())"

## clean: remove .venv, caches and generated reports (data/raw is never touched)
clean:
	rm -rf $(VENV) .pytest_cache reports/demo
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
