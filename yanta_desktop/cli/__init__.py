"""``yanta``: the headless face of the app. Subcommands live in ``cli/*_cmd.py`` modules.

Every command: errors to stderr in Chinese, non-zero exit; ``--json`` output is stable and
documented in the README.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from ..errors import YantaError

# Each module exposes register(subparsers). Order = order in --help.
_MODULES = ["plan_cmd", "entry_cmd", "packet_cmd", "consolidate_cmd"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yanta", description="雁塔知识产权强县填报 — 命令行")
    parser.add_argument("--data-dir", help="数据目录（默认：系统用户数据目录，或环境变量 YANTA_DATA_DIR）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in _MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # that face is not built yet
            raise
        module.register(sub)
    return parser


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except YantaError as exc:
        sys.stderr.write(f"错误：{exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("已取消。\n")
        return 130
    except BrokenPipeError:
        return 0
