"""``yanta plan`` and ``yanta forms check|schema``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..catalog import load_catalog
from ..forms import check_folder
from ..forms.model import CommonSpec, FormSpec
from ..plan.model import PlanSpec
from . import print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plan", help="显示工作方案：任务组、任务、责任单位、指标、阶段、报告期")
    p.add_argument("--json", action="store_true", help="输出 JSON（格式见 README）")
    p.set_defaults(func=cmd_plan)

    forms = sub.add_parser("forms", help="检查表单文件、导出表单格式的 JSON Schema")
    fsub = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    check = fsub.add_parser("check", help="校验表单文件（默认：内置 forms/ 目录）")
    check.add_argument("path", nargs="?", help="表单目录或单个表单文件")
    check.set_defaults(func=cmd_forms_check)
    archive = fsub.add_parser("archive", help="把当前表单版本存档（改动表单并把 version 加一后运行）")
    archive.add_argument("path", nargs="?", help="表单目录（默认：内置 forms/ 目录）")
    archive.set_defaults(func=cmd_forms_archive)
    schema = fsub.add_parser("schema", help="导出 JSON Schema（form / common / plan）")
    schema.add_argument("--out", help="写入该目录（默认打印表单格式的 Schema）")
    schema.set_defaults(func=cmd_forms_schema)


def cmd_plan(args: argparse.Namespace) -> int:
    cat = load_catalog()
    doc = cat.to_json()
    if args.json:
        print_json(doc)
        return 0
    out = [doc["plan"]["title"], ""]
    for g in doc["groups"]:
        out.append(f"（{g['number']}）{g['title']}")
        for n in g["tasks"]:
            t = next(x for x in doc["tasks"] if x["number"] == n)
            out.append(f"  {n:>2}. {t['title']}（{ {'quarterly': '季报', 'half_yearly': '半年报', 'annual': '年报'}[t['cadence']]}）")
            out.append(f"      责任单位：{'、'.join(t['responsible_names'])}")
    out += ["", "2026年目标："]
    for i in doc["indicators"]:
        out.append(f"  {i['name']}：{i['target_text']}")
    out += ["", "实施阶段："]
    for ph in doc["phases"]:
        out.append(f"  {ph['name']}（{ph['start']} — {ph['end']}）")
    out += ["", f"报送时限：{doc['schedule']['rule_text']}"]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def cmd_forms_check(args: argparse.Namespace) -> int:
    from .. import paths
    from ..errors import FormFileError
    from ..forms.loader import load_common, load_form

    target = Path(args.path) if args.path else paths.forms_dir()
    if target.is_file():
        try:
            form = load_form(target, load_common(target.parent / "common.yaml"))
        except FormFileError as exc:
            sys.stderr.write("\n".join(exc.problems) + "\n")
            return 1
        sys.stdout.write(f"{target}: 通过（{form.id} 第{form.version}版，{form.sha256[:12]}）\n")
        return 0
    forms, problems = check_folder(target)
    if problems:
        sys.stderr.write("\n".join(problems) + f"\n共 {len(problems)} 处问题。\n")
        return 1
    assert forms is not None
    for form in forms:
        sys.stdout.write(f"{form.path.name}: 通过（{form.title}，第{form.version}版，{form.sha256[:12]}）\n")
    try:
        load_catalog(target)
    except Exception as exc:  # plan problems are FormFileError too
        sys.stderr.write(f"{exc}\n")
        return 1
    sys.stdout.write(f"全部 {len(forms.forms)} 张表单与工作方案通过校验。\n")
    return 0


def schemas() -> dict[str, dict]:
    return {
        "form.schema.json": FormSpec.model_json_schema(),
        "common.schema.json": CommonSpec.model_json_schema(),
        "plan.schema.json": PlanSpec.model_json_schema(),
    }


def cmd_forms_schema(args: argparse.Namespace) -> int:
    docs = schemas()
    if not args.out:
        print_json(docs["form.schema.json"])
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, doc in docs.items():
        (out / name).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        sys.stdout.write(f"已写入 {out / name}\n")
    return 0


def cmd_forms_archive(args: argparse.Namespace) -> int:
    from .. import paths
    from ..forms.archive import archive_current

    folder = Path(args.path) if args.path else paths.forms_dir()
    forms, problems = check_folder(folder)
    if problems or forms is None:
        sys.stderr.write("\n".join(problems) + "\n")
        return 1
    written, problems = archive_current(list(forms), folder)
    for path in written:
        sys.stdout.write(f"已存档 {path}\n")
    if problems:
        sys.stderr.write("\n".join(problems) + "\n")
        return 1
    if not written:
        sys.stdout.write("全部表单的当前版本均已存档。\n")
    return 0
