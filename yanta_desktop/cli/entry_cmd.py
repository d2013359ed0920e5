"""``yanta init``, ``yanta entry add|list|show|reopen`` and ``yanta audit-log verify``.

The ``--json`` shapes are documented in README.md and are part of the contract.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import paths
from ..catalog import Catalog
from ..errors import NotInitialisedError, UnknownUnitError, ValidationFailed, YantaError
from ..forms import FormSet, make_context, validate
from ..forms.loader import load_common, load_form
from ..plan import Period, Plan, load_plan
from ..plan.periods import CADENCE_ZH, PeriodError
from ..store import Entry, Store
from . import print_json

_EXAMPLE_PERIOD = {"quarterly": "2025Q2", "half_yearly": "2025H1", "annual": "2025"}


def register(sub: argparse._SubParsersAction) -> None:
    init = sub.add_parser("init", help="设置本机的填报单位（接受单位全称、简称或别名）")
    init.add_argument("--unit", required=True, help="单位名称、简称、别名或代码，如“区科工局”或 KGJ")
    init.add_argument("--json", action="store_true", help="输出 JSON（格式见 README.md）")
    init.set_defaults(func=cmd_init)

    entry = sub.add_parser("entry", help="填报记录：添加、列出、查看、退回")
    esub = entry.add_subparsers(dest="entry_command", metavar="ACTION", required=True)

    add = esub.add_parser("add", help="从 JSON 文件保存一份填报（默认草稿；--final 校验并定稿）")
    add.add_argument("--task", type=int, required=True, help="任务编号 1—16")
    add.add_argument("--period", required=True, help="报告期：2025Q2（季度）、2025H1（半年）、2025（年度）")
    add.add_argument("--file", required=True, help="填报内容 JSON 文件（values / tables / evidence）")
    add.add_argument("--final", action="store_true", help="校验并定稿（有错误则不保存）")
    add.add_argument("--json", action="store_true", help="输出保存后的记录（JSON）")
    add.set_defaults(func=cmd_entry_add)

    ls = esub.add_parser("list", help="列出本机的填报记录")
    ls.add_argument("--period", help="只列出该报告期")
    ls.add_argument("--task", type=int, help="只列出该任务")
    ls.add_argument("--status", choices=["draft", "final"], help="只列出草稿或已定稿")
    ls.add_argument("--json", action="store_true", help="输出 JSON（格式见 README.md）")
    ls.set_defaults(func=cmd_entry_list)

    show = esub.add_parser("show", help="查看一份填报的内容和历史版本")
    show.add_argument("id", help="填报编号（可只输入前几位）")
    show.add_argument("--json", action="store_true", help="输出 JSON（格式见 README.md）")
    show.set_defaults(func=cmd_entry_show)

    reopen = esub.add_parser("reopen", help="退回已定稿的填报以便修改（须说明原因，记入审计日志）")
    reopen.add_argument("id", help="填报编号（可只输入前几位）")
    reopen.add_argument("--reason", required=True, help="退回原因")
    reopen.add_argument("--json", action="store_true", help="输出退回后的记录（JSON）")
    reopen.set_defaults(func=cmd_entry_reopen)

    audit = sub.add_parser("audit-log", help="审计日志")
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = asub.add_parser("verify", help="校验审计日志的哈希链（发现被修改或删除的记录）")
    verify.add_argument("--json", action="store_true", help="输出 JSON（格式见 README.md）")
    verify.set_defaults(func=cmd_audit_verify)


# ---- helpers -------------------------------------------------------------------------------
def _open(args: argparse.Namespace) -> Store:
    return Store.open(paths.data_dir(args.data_dir))


def _catalog_for(plan: Plan, task: int) -> Catalog:
    """A catalog holding just this task's form: one bad or missing form file elsewhere does not block."""
    folder = paths.forms_dir()
    path = folder / f"task{task:02d}.yaml"
    if not path.is_file():
        raise YantaError(f"找不到任务{task}的表单文件", where=str(path))
    common = load_common(folder / "common.yaml")
    form = load_form(path, common)
    return Catalog(plan, FormSet({task: form}, common, folder))


def _period(plan: Plan, code: str) -> Period:
    try:
        return plan.period(code)
    except PeriodError as exc:
        raise YantaError(str(exc)) from None


def _read_entry_file(name: str) -> dict[str, Any]:
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise YantaError("找不到填报内容文件", where=str(path)) from None
    except UnicodeDecodeError:
        raise YantaError("文件不是 UTF-8 编码的 JSON", where=str(path)) from None
    except OSError as exc:
        raise YantaError(f"无法读取文件：{exc.strerror or exc}", where=str(path)) from None
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise YantaError(f"JSON 格式错误：{exc.msg}", where=f"{path}:{exc.lineno}:{exc.colno}") from None
    if not isinstance(data, dict):
        raise YantaError("填报内容应为 JSON 对象：{\"values\": {…}, \"tables\": {…}, \"evidence\": […]}", where=str(path))
    return data


def entry_json(entry: Entry) -> dict[str, Any]:
    """The stable summary of an entry (``entry list --json`` items)."""
    return {
        "id": entry.id,
        "unit": entry.unit,
        "task": entry.task,
        "period": entry.period,
        "status": entry.status,
        "status_label": entry.status_label,
        "revision": entry.revision,
        "form": entry.form_identity(),
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "finalised_at": entry.finalised_at,
        "exported_seq": entry.exported_seq,
    }


def _entry_line(entry: Entry) -> str:
    return (
        f"{entry.id[:8]}  任务{entry.task:>2}  {entry.period:<7} {entry.status_label:<4} "
        f"第{entry.revision}版  {entry.updated_at}"
    )


# ---- commands ------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    plan = load_plan()
    unit = plan.resolve_unit(args.unit)
    if unit.is_group:
        members = "、".join(plan.units[m].name for m in unit.members if m in plan.units)
        raise UnknownUnitError(f"“{args.unit}”是一组单位（{unit.name}），请指定其中一个单位：{members}")
    with _open(args) as store:
        old = store.unit
        store.set_unit(unit.code, unit.name)
        data_dir = store.data_dir
    tasks = plan.tasks_for_unit(unit.code)
    if args.json:
        print_json(
            {
                "unit": {"code": unit.code, "name": unit.name},
                "previous_unit": old,
                "data_dir": str(data_dir),
                "tasks": [t.number for t in tasks],
            }
        )
        return 0
    lines = [f"本机填报单位已设为：{unit.name}（代码 {unit.code}）"]
    if args.unit.strip() not in (unit.name, unit.code):
        lines[0] += f"，由“{args.unit.strip()}”识别"
    if old and old != unit.code:
        lines.append(f"（原为 {old}）")
    lines.append(f"数据目录：{data_dir}")
    lines.append(f"负责任务（{len(tasks)} 项）：")
    lines += [f"  {t.number:>2}. {t.title}" for t in tasks]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_entry_add(args: argparse.Namespace) -> int:
    plan = load_plan()
    with _open(args) as store:
        unit = store.unit
        if not unit:
            raise NotInitialisedError()
        task_no = args.task
        if task_no not in plan.tasks:
            raise YantaError(f"没有任务{task_no}（任务编号为 {min(plan.tasks)}—{max(plan.tasks)}）")
        task = plan.tasks[task_no]
        mine = plan.tasks_for_unit(unit)
        if task_no not in {t.number for t in mine}:
            name = plan.units[unit].name if unit in plan.units else unit
            raise YantaError(
                f"本单位（{name}）不负责任务{task_no}“{task.title}”（责任单位：{'、'.join(task.responsible_names)}）。"
                f"本单位负责的任务：{'、'.join(str(t.number) for t in mine) or '无'}"
            )
        period = _period(plan, args.period)
        catalog = _catalog_for(plan, task_no)
        form = catalog.form(task_no)
        if not catalog.applies(task_no, period):
            raise YantaError(
                f"任务{task_no}“{task.title}”按{CADENCE_ZH[form.cadence]}填报，报告期“{args.period}”不适用；"
                f"应为如 {_EXAMPLE_PERIOD[form.cadence]} 的报告期"
            )
        data = _read_entry_file(args.file)
        try:
            if args.final:
                entry = store.save_final(unit, task_no, period.code, data, form, catalog)
            else:
                entry = store.save_draft(unit, task_no, period.code, data, form)
        except ValidationFailed as exc:
            for issue in exc.issues:
                sys.stderr.write(f"{issue.text}\n")
            sys.stderr.write(f"未保存：{args.file} 有 {len(exc.issues)} 处错误。\n")
            return 1
        issues = validate(
            form, make_context(plan, unit, period), entry.data, store.previous_data(unit, task_no, period.code)
        )
    for issue in issues:
        prefix = "提示" if not issue.is_error else "定稿前需修正"
        sys.stderr.write(f"{prefix}：{issue.text}\n")
    if args.json:
        print_json(entry_json(entry))
    else:
        sys.stdout.write(
            f"已保存：任务{entry.task} {entry.period} {entry.status_label} 第{entry.revision}版\n编号：{entry.id}\n"
        )
    return 0


def cmd_entry_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        period = _period(load_plan(), args.period).code if args.period else None
        entries = store.list_entries(period=period, task=args.task, status=args.status)
        unit = store.unit
        data_dir = store.data_dir
    if args.json:
        print_json({"unit": unit, "data_dir": str(data_dir), "entries": [entry_json(e) for e in entries]})
        return 0
    if not entries:
        sys.stdout.write("（没有填报记录）\n")
        return 0
    sys.stdout.write("编号      任务    报告期  状态 版本  更新时间\n")
    sys.stdout.write("\n".join(_entry_line(e) for e in entries) + "\n")
    sys.stdout.write(f"共 {len(entries)} 条。\n")
    return 0


def cmd_entry_show(args: argparse.Namespace) -> int:
    with _open(args) as store:
        entry = store.get_entry(store.resolve_entry_id(args.id))
        revisions = store.revisions(entry.id)
    if args.json:
        doc = entry_json(entry)
        doc["data"] = entry.data
        doc["revisions"] = [
            {
                "number": r.number,
                "status": r.status,
                "user": r.user,
                "saved_at": r.saved_at,
                "note": r.note,
                "form": {"id": r.form_id, "version": r.form_version, "sha256": r.form_sha256},
            }
            for r in revisions
        ]
        print_json(doc)
        return 0
    labels: dict[str, str] = {}
    titles: dict[str, str] = {}
    try:
        catalog = _catalog_for(load_plan(), entry.task)
        form = catalog.form(entry.task)
        labels = {f.key: f.label for f in form.fields()}
        titles = {t.key: t.title for t in form.tables}
    except YantaError:
        pass  # show raw keys when the form file is unavailable
    out = [
        f"编号：{entry.id}",
        f"单位：{entry.unit}  任务{entry.task}  报告期 {entry.period}  状态：{entry.status_label}  第{entry.revision}版",
        f"表单：{entry.form_id} 第{entry.form_version}版（{entry.form_sha256[:12]}）",
        f"创建：{entry.created_at}  更新：{entry.updated_at}" + (f"  定稿：{entry.finalised_at}" if entry.finalised_at else ""),
        "",
    ]
    values = entry.data.get("values", {})
    order = [k for k in labels if k in values] + [k for k in values if k not in labels]  # form order
    for key in order:
        value = values[key]
        shown = "、".join(value) if isinstance(value, list) else ("是" if value is True else "否" if value is False else value)
        out.append(f"  {labels.get(key, key)}：{shown}")
    for key, rows in entry.data.get("tables", {}).items():
        out.append(f"  {titles.get(key, key)}：{len(rows)} 条记录")
    for item in entry.data.get("evidence", []):
        out.append(f"  佐证材料：{item.get('name')}（{item.get('size')} 字节，{item.get('sha256', '')[:12]}）")
    out += ["", "历史版本："]
    for r in revisions:
        note = f"  {r.note}" if r.note else ""
        out.append(f"  第{r.number}版  {r.saved_at}  {r.user}  {'已定稿' if r.status == 'final' else '草稿'}{note}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def cmd_entry_reopen(args: argparse.Namespace) -> int:
    with _open(args) as store:
        entry = store.reopen(store.resolve_entry_id(args.id), args.reason)
    if args.json:
        print_json(entry_json(entry))
    else:
        sys.stdout.write(f"已退回：任务{entry.task} {entry.period} 现为草稿（第{entry.revision}版），原因已记入审计日志。\n")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with _open(args) as store:
        report = store.verify_audit()
        integrity = store.integrity_check()
    problems = [f"数据库完整性检查：{p}" for p in integrity] + report.problems
    ok = not problems
    if args.json:
        print_json(
            {
                "ok": ok,
                "rows": report.rows,
                "head": {"seq": report.head_seq, "sha256": report.head_sha256},
                "problems": problems,
            }
        )
    elif ok:
        sys.stdout.write(f"审计日志完好：共 {report.rows} 条，链头第 {report.head_seq} 条 {report.head_sha256}\n")
    else:
        sys.stderr.write("\n".join(problems) + f"\n审计日志校验未通过：{len(problems)} 处问题（共 {report.rows} 条记录）。\n")
    return 0 if ok else 1
