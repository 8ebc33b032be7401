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
import os
import sys
from pathlib import Path

from laoyou_eval import __version__
from laoyou_eval.errors import LaoyouError

DESCRIPTION = """社区老友支持计划评估工具 laoyou_eval — evaluation toolkit of the Community Buddy programme.

例 examples:
  laoyou-eval demo
  laoyou-eval report --study data/raw/my_study --out reports/my_study
  laoyou-eval init my_study --from 居民前测.xlsx 居民后测.xlsx   # 新建研究 / start a study
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

    check = sub.add_parser("check", help="分享前检查个人信息 / scan a file or folder for personal data",
                           description="退出码 exit status: 0 = 未发现 nothing found; 1 = 有发现或有文件无法检查 "
                                       "findings or files that could not be checked; 2 = 错误 error.")
    check.add_argument("path", type=Path, help="要检查的文件或文件夹 / file or folder to check")
    check.add_argument("--study", type=Path, default=None,
                       help="研究文件夹，查找其所有名册中的姓名 / study folder whose rosters' names to look for")
    check.add_argument("--no-names", action="store_true",
                       help="不查姓名，只查号码等 / check patterns only, without any roster (said in the output)")

    synth = sub.add_parser("synth", help="生成合成研究 / write a synthetic study")
    synth.add_argument("--out", type=Path, required=True, help="目标文件夹（须为空）/ target folder (must be empty)")
    synth.add_argument("--seed", type=int, default=None, help="随机种子 / random seed")
    synth.add_argument("--scale", type=float, default=1.0, help="规模系数 / size multiplier (1 = 45 residents)")
    synth.add_argument("--overwrite", action="store_true", help="允许覆盖 / allow replacing existing files")
    shape = synth.add_mutually_exclusive_group()
    shape.add_argument("--preset", default="demo",
                       help="研究形态预设 / study shape preset: demo (default), residents_two_scales_no_networks, "
                            "single_group, three_waves, caregivers_group_network")
    shape.add_argument("--shape", type=Path, default=None,
                       help="自定义研究形态 YAML / custom study shape (YAML: preset, residents, caregivers, waves, …)")
    codebook = sub.add_parser("codebook", help="编码表工具 / codebook tools")
    codebook_sub = codebook.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    draft = codebook_sub.add_parser("draft", help="从问卷星导出起草编码表 / draft a codebook from an export")
    draft.add_argument("export", type=Path, nargs="+",
                       help="同一问卷各波次的问卷星导出 / Wenjuanxing exports of one questionnaire, every wave")
    draft.add_argument("--out", type=Path, default=Path("codebook_draft.xlsx"),
                       help="输出 .xlsx 或 .yaml / output workbook or YAML (default codebook_draft.xlsx); "
                            "in a study folder only under codebooks/")

    init = sub.add_parser("init", help="由问卷导出新建研究文件夹 / start a study folder from survey exports")
    init.add_argument("name", help="研究名称 / study name (folder data/raw/NAME)")
    init.add_argument("--from", dest="exports", type=Path, nargs="+", required=True, metavar="EXPORT",
                      help="问卷星/Excel/SPSS/Kobo 导出（各波次、各人群）/ exports of every wave and population")
    init.add_argument("--dir", type=Path, default=None, help="研究文件夹 / study folder (default data/raw/NAME)")
    return parser


def _check(args) -> int:
    """Scan PATH with the names of every roster of --study; exit 1 on findings or unread files."""
    from laoyou_eval import privacy

    if not args.path.exists():
        raise LaoyouError("找不到要检查的路径。", "Path to check not found.", file=args.path)
    if args.study is None and not args.no_names:
        raise LaoyouError("请用 --study 指明研究文件夹，以便查找名册中的姓名。",
                          "Give the study folder with --study, so that the names of its rosters are looked for.",
                          hint_zh="例如 laoyou-eval check reports/我的研究 --study data/raw/我的研究；"
                                  "确实没有名册时加 --no-names。",
                          hint_en="e.g. laoyou-eval check reports/my_study --study data/raw/my_study; "
                                  "add --no-names only if there is no roster.")
    names = ()
    if args.study is not None:
        sources = privacy.roster_sources(args.study)
        names = privacy.study_names(args.study)
        print(f"使用的名册 Rosters used ({args.study}):")
        for row in sources.itertuples():
            status = (f"{row.names} 个姓名 names from {row.columns or '-'}" if row.status == "read"
                      else "缺失 missing")
            print(f"  {row.file} [{row.kind}]: {status}")
        if sources.empty:
            print("  （无 none）")
        print(f"共 {len(names)} 个姓名 {len(names)} distinct names in all.")
    else:
        print("未使用名册：不查找姓名，只查号码、证件、地址等。No roster: names are NOT checked, only numbers, IDs, addresses …")
    findings = privacy.scan(args.path, names=names)
    unread = findings[findings.kind.isin(privacy.NOT_CHECKED)]
    found = findings[~findings.kind.isin(privacy.NOT_CHECKED)]
    scanned = findings.attrs["files"]
    if findings.empty:
        print(f"未发现个人信息 No personal data found in {args.path} ({scanned} 个文件 files checked).")
        return 0
    if len(found):
        print(found.to_string(index=False))
        counts = ", ".join(f"{kind} {n}" for kind, n in found.kind.value_counts().sort_index().items())
        print(f"\n发现 {len(found)} 处可能的个人信息（{counts}），分享前请处理。"
              f"{len(found)} possible pieces of personal data ({counts}): fix them before sharing.")
    if len(unread):
        print(f"\n{len(unread)} 个文件无法检查，不能视为安全 {len(unread)} files could NOT be checked and are not clean:")
        for row in unread.itertuples():
            print(f"  {row.file} ({row.kind}: {row.excerpt})")
    return 1


def _draft_codebook(args) -> Path:
    from laoyou_eval import coding, io, scaffold

    out = scaffold.check_config_target(args.out)  # a study's codebooks/ yes; exports and raw data never
    book = coding.draft(*[io.read_wjx(export) for export in args.export])
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() in {".yaml", ".yml"}:
        out.write_text(book.to_yaml(), encoding="utf-8")
    else:
        book.to_excel(out)
    todo = int((book.survey["note"] != "").sum())
    print(f"已起草 {len(book.survey)} 题，其中 {todo} 处需要核对（note 列中的 TODO）。"
          f"Drafted {len(book.survey)} questions; {todo} need checking (TODO in the note column).")
    return out


def _init(args) -> int:
    from laoyou_eval import scaffold

    result = scaffold.init_study(args.name, args.exports, args.dir)
    print(f"已建立研究文件夹 Study folder created: {result.folder}")
    for path in result.files:
        print(f"  {path}")
    print(f"请先核对 study.yaml 和 codebooks/ 中的 {result.todos} 处 TODO。"
          f"Check the {result.todos} TODOs in study.yaml and codebooks/ first.")
    print(f"下一步 Next: laoyou-eval intake --study {result.folder}")
    return 0


def _demo(args) -> Path:
    from laoyou_eval import config, demo, intake
    from laoyou_eval.progress import step
    from laoyou_eval.report.build import build_report

    if not (config.DEMO_STUDY_DIR / "study.yaml").is_file():
        with step("生成演示数据", "generating the demo study"):
            demo.generate(config.DEMO_STUDY_DIR)
    with step("编码、假名化并写入 data/processed", "coding, pseudonymising, writing data/processed"):
        intake.run(config.DEMO_STUDY_DIR)
    out = args.out or config.REPORTS_DIR / "demo"
    return build_report(config.DEMO_STUDY_DIR, out, lang=args.lang)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings as one line for the user: no source file or line of ours."""
    print(f"警告 Warning: {message}", file=file or sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``laoyou-eval``; returns the exit status."""
    import warnings

    previous, warnings.showwarning = warnings.showwarning, _show_warning
    try:
        return _main(argv)
    finally:
        warnings.showwarning = previous


def _main(argv: list[str] | None) -> int:
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
        elif args.command == "init":
            return _init(args)
        elif args.command == "codebook":
            path = _draft_codebook(args)
            print(f"已写入 Written: {path}")
        elif args.command == "synth":
            from laoyou_eval import demo
            from laoyou_eval.progress import step

            shape = demo.read_shape(args.shape) if args.shape else demo.preset(args.preset)
            with step("生成合成研究", "writing the synthetic study"):
                path = demo.generate(args.out, seed=args.seed, scale=args.scale, overwrite=args.overwrite,
                                     shape=shape)
            print(f"已写入 Written: {path.resolve()}")
    except LaoyouError as error:
        print(f"错误 Error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断 Interrupted.", file=sys.stderr)
        return 130
    except Exception as error:  # a bug of ours, never the student's fault: say so, no traceback
        print(f"内部错误 Internal error ({type(error).__name__}: {error}).\n"
              "这是 laoyou_eval 的问题，不是你的数据的问题；请把这条信息和所用的命令报告给维护者。"
              "This is a bug in laoyou_eval, not a problem with your data; please report this message and the "
              "command you ran. (Set LAOYOU_EVAL_DEBUG=1 to see the traceback.)", file=sys.stderr)
        if os.environ.get("LAOYOU_EVAL_DEBUG"):
            raise
        return 3
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
