"""The ``laoyou-eval`` command.

Examples
--------
::

    laoyou-eval setup                        # kernel + nbstripout filter (as make setup)
    laoyou-eval demo                         # whole evaluation on the demo study
    laoyou-eval report --study data/raw/my_study --out reports/my_study
    laoyou-eval synth --out /tmp/big --scale 2000 --seed 7
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from laoyou_eval import __version__
from laoyou_eval.errors import LaoyouError

DESCRIPTION = """社区老友支持计划评估工具 laoyou_eval — evaluation toolkit of the Community Buddy programme.

例 examples:
  laoyou-eval demo
  laoyou-eval report --study data/raw/my_study --out reports/my_study
  laoyou-eval codebook draft my_export.xlsx --out my_codebook.xlsx
  laoyou-eval check reports/my_study          # 分享前检查个人信息 / before sharing
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="laoyou-eval", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"laoyou_eval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("setup", help="注册内核并配置 nbstripout（与 make setup 相同）/ register the kernel, configure nbstripout")
    demo = sub.add_parser("demo", help="演示数据上的全部分析 / whole evaluation on the demo study")
    demo.add_argument("--out", type=Path, help="报告输出文件夹 / report folder (default reports/demo)")
    demo.add_argument("--lang", choices=("zh", "en"), default="zh", help="报告语言 / report language")

    report = sub.add_parser("report", help="在研究文件夹上生成报告 / report on a study folder")
    report.add_argument("--study", type=Path, required=True, help="研究文件夹 / study folder (like data/raw/demo)")
    report.add_argument("--out", type=Path, required=True, help="报告输出文件夹 / report folder")
    report.add_argument("--lang", choices=("zh", "en"), default="zh", help="报告语言 / report language")
    report.add_argument("--seed", type=int, default=None, help="随机种子 / random seed")

    intake_cmd = sub.add_parser("intake", help="编码、假名化并写入 data/processed / code, pseudonymise, write processed data")
    intake_cmd.add_argument("--study", type=Path, required=True, help="研究文件夹 / study folder")
    intake_cmd.add_argument("--out", type=Path, default=None, help="输出文件夹 / output folder (default data/processed/<study>)")

    check = sub.add_parser("check", help="分享前检查个人信息 / scan a file or folder for personal data")
    check.add_argument("path", type=Path, help="要检查的文件或文件夹 / file or folder to check")
    check.add_argument("--study", type=Path, default=None,
                       help="研究文件夹，用于查找其中的姓名 / study folder whose names to look for (default: the demo study)")

    synth = sub.add_parser("synth", help="生成合成研究 / write a synthetic study")
    synth.add_argument("--out", type=Path, required=True, help="目标文件夹（须为空）/ target folder (must be empty)")
    synth.add_argument("--seed", type=int, default=None, help="随机种子 / random seed")
    synth.add_argument("--scale", type=float, default=1.0, help="规模系数 / size multiplier (1 = 45 residents)")
    synth.add_argument("--overwrite", action="store_true", help="允许覆盖 / allow replacing existing files")
    codebook = sub.add_parser("codebook", help="编码表工具 / codebook tools")
    codebook_sub = codebook.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    draft = codebook_sub.add_parser("draft", help="从问卷星导出起草编码表 / draft a codebook from an export")
    draft.add_argument("export", type=Path, help="问卷星导出文件 / Wenjuanxing export (.xlsx/.xls/.csv)")
    draft.add_argument("--out", type=Path, default=Path("codebook_draft.xlsx"),
                       help="输出 .xlsx 或 .yaml / output workbook or YAML (default codebook_draft.xlsx)")
    return parser


def _check(args) -> int:
    from laoyou_eval import config, privacy

    if not args.path.exists():
        raise LaoyouError("找不到要检查的路径。", "Path to check not found.", file=args.path)
    names = privacy.study_names(args.study or config.DEMO_STUDY_DIR)
    findings = privacy.scan(args.path, names=names)
    if findings.empty:
        print(f"未发现个人信息 No personal data found in {args.path} "
              f"({len(findings.attrs['not_scanned'])} 个文件未能检查 files could not be scanned).")
        return 0
    print(findings.to_string(index=False))
    print(f"\n发现 {len(findings)} 处可能的个人信息，分享前请处理。"
          f"{len(findings)} possible pieces of personal data: fix them before sharing.")
    return 1


def _draft_codebook(args) -> Path:
    from laoyou_eval import coding, config, io

    out = args.out.resolve()
    if config.RAW_DIR.resolve() in out.parents:
        raise LaoyouError("不能写入 data/raw/（原始数据只读）。", "Refusing to write under data/raw/ (raw data are read-only).",
                          file=out)
    if out.exists():
        raise LaoyouError("输出文件已存在，不会覆盖。", "The output file exists; it is not overwritten.", file=out)
    book = coding.draft(io.read_wjx(args.export))
    if out.suffix.lower() in {".yaml", ".yml"}:
        out.write_text(book.to_yaml(), encoding="utf-8")
    else:
        book.to_excel(out)
    todo = int((book.survey["note"] != "").sum())
    print(f"已起草 {len(book.survey)} 题，其中 {todo} 处需要核对（note 列中的 TODO）。"
          f"Drafted {len(book.survey)} questions; {todo} need checking (TODO in the note column).")
    return out


def _demo(args) -> Path:
    from laoyou_eval import config, demo
    from laoyou_eval.progress import step
    from laoyou_eval.report.build import build_report

    from laoyou_eval import intake

    if not (config.DEMO_STUDY_DIR / "study.yaml").is_file():
        with step("生成演示数据", "generating the demo study"):
            demo.generate(config.DEMO_STUDY_DIR)
    with step("编码、假名化并写入 data/processed", "coding, pseudonymising, writing data/processed"):
        intake.run(config.DEMO_STUDY_DIR)
    out = args.out or config.REPORTS_DIR / "demo"
    return build_report(config.DEMO_STUDY_DIR, out, lang=args.lang)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``laoyou-eval``; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.command == "setup":
            from laoyou_eval import devsetup

            return devsetup.main([])
        if args.command in ("demo", "report"):
            _check_out_dir(args)
        if args.command == "demo":
            path = _demo(args)
            print(f"报告已生成 Report written: {path.resolve()}")
        elif args.command == "report":
            from laoyou_eval.report.build import build_report

            path = build_report(args.study, args.out, lang=args.lang, seed=args.seed)
            print(f"报告已生成 Report written: {path.resolve()}")
        elif args.command == "intake":
            from laoyou_eval import intake
            from laoyou_eval.progress import step

            with step("编码与假名化", "coding and pseudonymising"):
                path = intake.run(args.study, args.out)
            print(f"已写入 Written: {path.resolve()}")
        elif args.command == "check":
            return _check(args)
        elif args.command == "codebook":
            path = _draft_codebook(args)
            print(f"已写入 Written: {path}")
        elif args.command == "synth":
            from laoyou_eval import demo
            from laoyou_eval.progress import step

            with step("生成合成研究", "writing the synthetic study"):
                path = demo.generate(args.out, seed=args.seed, scale=args.scale, overwrite=args.overwrite)
            print(f"已写入 Written: {path.resolve()}")
    except LaoyouError as error:
        print(f"错误 Error: {error}", file=sys.stderr)
        return 2
    return 0


def _check_out_dir(args) -> None:
    """The report folder must be a folder, and never inside a (read-only) study folder."""
    from laoyou_eval import config

    out = getattr(args, "out", None)
    if out is None:
        return
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise LaoyouError("--out 应该是文件夹，不是文件。", "--out must be a folder, not a file.", file=out)
    study = getattr(args, "study", None) or config.DEMO_STUDY_DIR
    protected = [config.RAW_DIR.resolve(), Path(study).resolve()]
    if any(out == p or p in out.parents for p in protected):
        raise LaoyouError("不能把报告写进原始数据文件夹（只读）。",
                          "Refusing to write the report inside a raw study folder (read-only).", file=out,
                          hint_zh="换一个输出文件夹，例如 reports/我的研究。", hint_en="choose e.g. reports/my_study.")


if __name__ == "__main__":
    sys.exit(main())
