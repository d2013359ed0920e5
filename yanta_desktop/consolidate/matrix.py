"""报送情况: unit × task for one period, and the chase list (催报名单)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ..plan.periods import Period, parse_period
from .db import Consolidation
from .ledger import received_date
from .model import Cell, ChaseItem, Matrix


def china_today() -> dt.date:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date()


def as_period(catalog: Any, period: str | Period) -> Period:
    return period if isinstance(period, Period) else catalog.plan.period(str(period))


def completeness(cons: Consolidation, catalog: Any, period: str | Period, today: dt.date | None = None) -> Matrix:
    plan = catalog.plan
    per = as_period(catalog, period)
    today = today or china_today()
    due = plan.due_date(per)
    tasks = sorted(plan.tasks)
    expected: dict[int, set[str]] = {t: set(plan.expected_units(t)) if catalog.applies(t, per) else set() for t in tasks}

    # rows: the units expected on at least one task in this period (groups expanded), plan order
    due_units = set().union(*expected.values())
    units = [u.code for u in plan.reporting_units() if u.code in due_units]

    # earliest genuine receipt per (unit, task) and the current packet carrying it
    first: dict[tuple[str, int], str] = {}
    current: dict[tuple[str, int], tuple[str, int]] = {}
    for sha, unit, seq, status, received_at, tasks_json in cons.conn.execute(
        "SELECT sha256, unit, seq, status, received_at, tasks FROM packets WHERE period = ? AND status != 'fork'",
        (per.code,),
    ):
        for t in json.loads(tasks_json):
            key = (unit, t)
            if key not in first or received_at < first[key]:
                first[key] = received_at
            if status == "current":
                current[key] = (sha, seq)
    cells: dict[tuple[str, int], Cell] = {}
    for u in units:
        for t in tasks:
            key = (u, t)
            if u not in expected[t]:
                cells[key] = Cell(u, t, "not_applicable")
                continue
            if key in first:
                sha, seq = current.get(key, (None, None))
                state = "late" if received_date(first[key]) > due else "received"
                cells[key] = Cell(u, t, state, sha, seq, first[key])  # type: ignore[arg-type]
            else:
                cells[key] = Cell(u, t, "missing" if today > due else "expected")
    chase = []
    overdue = max((today - due).days, 0)
    for u in units:
        owed = tuple(t for t in tasks if cells[(u, t)].state in ("missing", "expected"))
        if owed:
            chase.append(ChaseItem(u, plan.units[u].name, owed, due, overdue))
    chase.sort(key=lambda c: (-len(c.tasks), units.index(c.unit)))
    return Matrix(
        period=per.code,
        period_label=per.label,
        due=due,
        today=today,
        units=units,
        unit_names={u: plan.units[u].name for u in units},
        tasks=tasks,
        task_titles={t: plan.tasks[t].title for t in tasks},
        cells=cells,
        chase=chase,
    )


def last_contacts(cons: Consolidation, units: set[str] | None = None) -> dict[str, dict]:
    """The most recent contact (填报人, 电话) each unit (or each of ``units``) put in a packet."""
    out: dict[str, dict] = {}
    for sha, unit in cons.conn.execute("SELECT sha256, unit FROM packets WHERE status != 'fork' ORDER BY received_at"):
        if units is not None and unit not in units:
            continue
        payload = cons.payload(sha) or {}
        contact = payload.get("contact") or {}
        if contact:
            out[unit] = contact
    return out


def export_chase_list(matrix: Matrix, catalog: Any, out: Path, cons: Consolidation | None = None) -> Path:
    """催报名单 as a printable .xlsx (text cells stay text)."""
    from openpyxl import Workbook

    from .xlsx import atomic_save, setup_sheet, text_cell, title_rows

    contacts = last_contacts(cons, {c.unit for c in matrix.chase}) if cons else {}
    wb = Workbook()
    ws = wb.active
    ws.title = "催报名单"
    headers = ["单位", "未报送任务", "截止日期", "逾期天数", "最近填报人", "联系电话"]
    title_rows(ws, f"{matrix.period_label}（{matrix.period}）催报名单", f"截止日期 {matrix.due.isoformat()}，统计日 {matrix.today.isoformat()}", len(headers))
    r = 3
    for c, h in enumerate(headers, start=1):
        text_cell(ws, r, c, h, header=True)
    for item in matrix.chase:
        r += 1
        contact = contacts.get(item.unit, {})
        text_cell(ws, r, 1, item.unit_name)
        text_cell(ws, r, 2, "、".join(f"任务{t} {matrix.task_titles[t]}" for t in item.tasks))
        text_cell(ws, r, 3, item.due.isoformat())
        ws.cell(r, 4, item.days_overdue)
        text_cell(ws, r, 5, contact.get("filled_by", ""))
        text_cell(ws, r, 6, contact.get("phone", ""))
    setup_sheet(ws, [24, 60, 12, 10, 12, 16], header_row=3)
    return atomic_save(wb, Path(out))


def as_period_code(period: str | Period) -> str:
    return period.code if isinstance(period, Period) else parse_period(str(period)).code
