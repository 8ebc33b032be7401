"""The ``laoyou-eval`` command.

Examples
--------
::

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

子命令 commands:
  demo     在演示数据上运行全部分析并生成报告 / whole evaluation on the demo study
  report   在你自己的研究文件夹上运行 / the same on your own study folder
  synth    生成合成研究数据 / write a synthetic study (any size, any seed)
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="laoyou-eval", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"laoyou_eval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="演示数据上的全部分析 / whole evaluation on the demo study")
    demo.add_argument("--out", type=Path, help="报告输出文件夹 / report folder (default reports/demo)")
    demo.add_argument("--lang", choices=("zh", "en"), default="zh", help="报告语言 / report language")

    report = sub.add_parser("report", help="在研究文件夹上生成报告 / report on a study folder")
    report.add_argument("--study", type=Path, required=True, help="研究文件夹 / study folder (like data/raw/demo)")
    report.add_argument("--out", type=Path, required=True, help="报告输出文件夹 / report folder")
    report.add_argument("--lang", choices=("zh", "en"), default="zh", help="报告语言 / report language")
    report.add_argument("--seed", type=int, default=None, help="随机种子 / random seed")

    synth = sub.add_parser("synth", help="生成合成研究 / write a synthetic study")
    synth.add_argument("--out", type=Path, required=True, help="目标文件夹（须为空）/ target folder (must be empty)")
    synth.add_argument("--seed", type=int, default=None, help="随机种子 / random seed")
    synth.add_argument("--scale", type=float, default=1.0, help="规模系数 / size multiplier (1 = 45 residents)")
    synth.add_argument("--overwrite", action="store_true", help="允许覆盖 / allow replacing existing files")
    return parser


def _demo(args) -> Path:
    from laoyou_eval import config, demo
    from laoyou_eval.progress import step
    from laoyou_eval.report.build import build_report

    if not (config.DEMO_STUDY_DIR / "study.yaml").is_file():
        with step("生成演示数据", "generating the demo study"):
            demo.generate(config.DEMO_STUDY_DIR)
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
        if args.command == "demo":
            path = _demo(args)
            print(f"报告已生成 Report written: {path.resolve()}")
        elif args.command == "report":
            from laoyou_eval.report.build import build_report

            path = build_report(args.study, args.out, lang=args.lang, seed=args.seed)
            print(f"报告已生成 Report written: {path.resolve()}")
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


if __name__ == "__main__":
    sys.exit(main())
