"""Set up a checkout of the project for notebook work, the same on Linux, macOS and Windows.

``make setup`` runs this module after installing the packages, and students without make run
it themselves (``laoyou-eval setup`` or ``python -m laoyou_eval.devsetup``), so both paths
reach the same state:

* the Jupyter kernel :data:`KERNEL_NAME` ("laoyou_eval (.venv)") is registered inside the
  current environment (``--sys-prefix``; nothing is written to the user's home folder), and
  runs the interpreter that ran the set-up;
* the git filter ``nbstripout`` is configured in the repository's ``.git/config``, so
  notebooks in ``notebooks/exploratory/`` (see ``.gitattributes``) are committed without
  their outputs, which may hold participants' personal data.

Examples
--------
::

    python -m laoyou_eval.devsetup           # from the repository root, inside .venv
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from laoyou_eval.errors import LaoyouError

KERNEL_NAME = "laoyou-eval"
KERNEL_DISPLAY_NAME = "laoyou_eval (.venv)"
#: The line of ``.gitattributes`` that sends exploratory notebooks through the filter.
STRIPPED_NOTEBOOKS = "notebooks/exploratory/*.ipynb filter=nbstripout diff=ipynb"


def register_kernel(prefix: str | Path | None = None) -> Path:
    """Register the project's kernel in ``prefix`` (default: the running environment).

    Returns the kernelspec folder.
    """
    from ipykernel.kernelspec import install

    return Path(install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME,
                        prefix=str(prefix or sys.prefix)))


def git_filter_settings(python: str | Path | None = None) -> dict[str, str]:
    """The git settings of the nbstripout filter, running ``python`` (default: this interpreter).

    The interpreter is written with forward slashes, which git's shell accepts on every OS.

    Examples
    --------
    >>> git_filter_settings("/venv/bin/python")["filter.nbstripout.clean"]
    '"/venv/bin/python" -m nbstripout'
    """
    interpreter = str(python or sys.executable).replace("\\", "/")
    return {"filter.nbstripout.clean": f'"{interpreter}" -m nbstripout',
            "filter.nbstripout.smudge": "cat",
            "filter.nbstripout.required": "true",
            "diff.ipynb.textconv": f'"{interpreter}" -m nbstripout -t'}


def configure_git_filter(repo: str | Path = ".", python: str | Path | None = None) -> dict[str, str]:
    """Write :func:`git_filter_settings` into the repository's local git configuration."""
    repo = Path(repo)
    git = shutil.which("git")
    if git is None:
        raise LaoyouError("没有找到 git，无法配置 nbstripout 过滤器。", "git was not found: cannot configure nbstripout.",
                          hint_zh="安装 git 后重新运行 laoyou-eval setup。", hint_en="install git, then run laoyou-eval setup again.")
    inside = subprocess.run([git, "rev-parse", "--is-inside-work-tree"], cwd=repo, capture_output=True, text=True)
    if inside.stdout.strip() != "true":
        raise LaoyouError("这里不是 git 仓库，无法配置 nbstripout 过滤器。",
                          "Not inside a git repository: cannot configure the nbstripout filter.", file=repo,
                          hint_zh="在项目的 git 仓库根目录运行。", hint_en="run it from the project's git repository.")
    settings = git_filter_settings(python)
    for key, value in settings.items():
        subprocess.run([git, "config", "--local", key, value], cwd=repo, check=True)
    return settings


def setup(repo: str | Path = ".", prefix: str | Path | None = None) -> list[str]:
    """Register the kernel and configure the git filter; returns what was done, one line each."""
    repo = Path(repo)
    done = [f"Jupyter 内核 kernel “{KERNEL_DISPLAY_NAME}” ({KERNEL_NAME}): {register_kernel(prefix)}"]
    configure_git_filter(repo)
    done.append("nbstripout 过滤器已配置 filter configured (.git/config)")
    attributes = repo / ".gitattributes"
    if not attributes.is_file() or STRIPPED_NOTEBOOKS not in attributes.read_text(encoding="utf-8"):
        raise LaoyouError(".gitattributes 中缺少探索性笔记本的过滤规则。",
                          ".gitattributes lacks the filter line of the exploratory notebooks.", file=attributes,
                          hint_zh=f"加入这一行：{STRIPPED_NOTEBOOKS}", hint_en=f"add the line: {STRIPPED_NOTEBOOKS}")
    return done


def main(argv: list[str] | None = None) -> int:
    """``python -m laoyou_eval.devsetup [REPO]``; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        for line in setup(argv[0] if argv else "."):
            print(line)
    except LaoyouError as error:
        print(f"错误 Error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
