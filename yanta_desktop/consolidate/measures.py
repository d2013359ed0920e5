"""指标进度: each plan indicator computed from the current (latest accepted) packets, with provenance.

Operand semantics (``plan.model.Operand``), for a report period P and a task whose cadence has periods p:

* ``sum``         Σ over units and over the task's periods p inside P (``cumulative``: every p ending by P's end)
* ``latest``      Σ over units of the unit's value in its latest period p ending by P's end
* ``distinct``    number of distinct non-empty values of the source table columns, rows from the periods as for sum
* ``count_where`` number of units whose latest value (as for latest) is one of ``values``

Value = numerator ÷ Σ denominators × scale, rounded half-up to ``decimals``; no denominators → numerator × scale.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ..plan.periods import Period, periods_between
from .db import Consolidation
from .matrix import as_period
from .model import IndicatorPoint, IndicatorValue, SourceRef


def _num(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


class _Data:
    """Current-packet data, loaded lazily per (task, field) / (task, table)."""

    def __init__(self, cons: Consolidation, plan: Any, catalog: Any = None) -> None:
        self.cons = cons
        self.plan = plan
        self.catalog = catalog
        self._fields: dict[tuple[int, str], list[tuple]] = {}
        self._periods: dict[str, Period] = {}

    def period(self, code: str) -> Period:
        if code not in self._periods:
            self._periods[code] = self.plan.period(code)
        return self._periods[code]

    def field(self, task: int, field: str) -> list[tuple]:
        """[(unit, Period, seq, sha, entry_id, value)] from current packets."""
        key = (task, field)
        if key not in self._fields:
            self._fields[key] = [
                (unit, self.period(period), seq, sha, entry_id, json.loads(value))
                for unit, period, seq, sha, entry_id, value in self.cons.conn.execute(
                    "SELECT p.unit, p.period, p.seq, p.sha256, e.entry_id, v.value FROM field_values v "
                    "JOIN packets p ON p.sha256 = v.packet JOIN entries e ON e.packet = v.packet AND e.task = v.task "
                    "WHERE p.status = 'current' AND v.task = ? AND v.field = ?",
                    key,
                )
            ]
        return self._fields[key]

    def rows(self, task: int, table: str, column: str) -> list[tuple]:
        """[(unit, Period, seq, sha, entry_id, rowno, value)] of non-empty cells, from current packets."""
        return [
            (unit, self.period(period), seq, sha, entry_id, rowno, value)
            for unit, period, seq, sha, entry_id, rowno, value in self.cons.conn.execute(
                "SELECT p.unit, p.period, p.seq, p.sha256, e.entry_id, r.rowno, json_extract(r.data, '$.' || ?) "
                "FROM records r JOIN packets p ON p.sha256 = r.packet "
                "JOIN entries e ON e.packet = r.packet AND e.task = r.task "
                "WHERE p.status = 'current' AND r.task = ? AND r.tbl = ?",
                (column, task, table),
            )
            if value not in (None, "")
        ]


def _in_window(p: Period, per: Period, cumulative: bool) -> bool:
    return p.end <= per.end if cumulative else per.contains(p)


def _operand(data: _Data, op: Any, per: Period) -> tuple[Decimal, list[SourceRef], bool]:
    """(value, sources, has_data)."""
    units = set(op.units) if op.units else None
    sources: list[SourceRef] = []
    if op.aggregate == "distinct":
        seen: set[str] = set()
        for src in op.sources:
            for unit, p, seq, sha, entry_id, rowno, value in data.rows(src.task, src.table, src.column):
                if (units and unit not in units) or not _in_window(p, per, op.cumulative):
                    continue
                norm = str(value).strip().upper()
                if norm not in seen:
                    seen.add(norm)
                    sources.append(SourceRef(unit, p.code, seq, sha, src.task, entry_id,
                                             f"{src.table}[{rowno}].{src.column}", str(value)))
        return Decimal(len(seen)), sources, bool(sources)
    rows = [r for r in data.field(op.task, op.field) if not units or r[0] in units]
    if op.aggregate == "sum":
        total = Decimal(0)
        for unit, p, seq, sha, entry_id, value in rows:
            n = _num(value)
            if n is None or not _in_window(p, per, op.cumulative):
                continue
            total += n
            sources.append(SourceRef(unit, p.code, seq, sha, op.task, entry_id, op.field, _text(value)))
        return total, sources, bool(sources)
    # latest / count_where: each unit's value in its latest period ending by per.end
    latest: dict[str, tuple] = {}
    for r in rows:
        if r[1].end <= per.end and (r[0] not in latest or (r[1].end, r[1].start) > (latest[r[0]][1].end, latest[r[0]][1].start)):
            latest[r[0]] = r
    total = Decimal(0)
    for unit, p, seq, sha, entry_id, value in sorted(latest.values(), key=lambda r: r[0]):
        if op.aggregate == "latest":
            n = _num(value)
            if n is None:
                continue
            total += n
        else:
            vals = value if isinstance(value, list) else [value]
            if not any(str(v) in op.values for v in vals):
                continue
            total += 1
        sources.append(SourceRef(unit, p.code, seq, sha, op.task, entry_id, op.field, _text(value)))
    return total, sources, bool(latest)


def _point(data: _Data, spec: Any, per: Period) -> tuple[IndicatorPoint, list[SourceRef], str]:
    num, sources, has_num = _operand(data, spec.numerator, per)
    note = ""
    den: Decimal | None = None
    if spec.denominators:
        den = Decimal(0)
        has_den = False
        for op in spec.denominators:
            d, s, h = _operand(data, op, per)
            den += d
            sources += s
            has_den = has_den or h
        if not has_den or den == 0:
            note = "分母缺失或为零，暂无法计算。"
            return IndicatorPoint(per.code, None, num, den if has_den else None), sources, note
        # stock denominators (常住人口, 市场主体户数 …) are single figures from the IP bureau's own form: say where from
        stocks = {(op.task, op.field) for op in spec.denominators if op.aggregate == "latest"}
        note = _denominator_provenance(data, [x for x in sources if (x.task, x.where) in stocks])
        raw = num / den * spec.scale
    else:
        raw = num * spec.scale
    if not has_num and not spec.denominators and spec.numerator.aggregate in ("latest", "count_where"):
        note = "尚无数据。"
    q = Decimal(1).scaleb(-spec.decimals)
    return IndicatorPoint(per.code, raw.quantize(q, rounding=ROUND_HALF_UP), num, den), sources, note


def _denominator_provenance(data: _Data, refs: list[SourceRef]) -> str:
    """"分母：常住人口 145.83 万人（区市场监管局 2025Q4 第2号；数据来源及日期：区统计局…）" — the denominator's own
    source/date fields (``*_source``, ``*_as_of``) from the same section of the same entry."""
    if data.catalog is None:
        return ""
    parts = []
    for ref in refs:
        try:
            form = data.catalog.form(ref.task)
        except Exception:
            continue
        section = next((sec for sec in form.sections if any(f.key == ref.where for f in sec.fields)), None)
        if section is None:
            continue
        field = next(f for f in section.fields if f.key == ref.where)
        extra_keys = [f for f in section.fields if f.key.endswith(("_source", "_as_of"))]
        got = dict(data.cons.conn.execute(
            "SELECT field, value FROM field_values WHERE packet = ? AND task = ?", (ref.packet_sha256, ref.task)).fetchall())
        extras = "；".join(f"{f.label}：{json.loads(got[f.key])}" for f in extra_keys if f.key in got)
        unit_name = data.plan.units[ref.unit].short_name if ref.unit in data.plan.units else ref.unit
        parts.append(f"{field.label} {ref.value}{field.unit or ''}（{unit_name} {ref.period} 第{ref.seq}号"
                     + (f"；{extras}" if extras else "") + "）")
    return ("分母：" + "；".join(parts)) if parts else ""


def _met(spec: Any, value: Decimal | None) -> bool | None:
    if value is None:
        return None
    if spec.comparison == "ge":
        return value >= spec.target
    if spec.comparison == "le":
        return value <= spec.target
    return value == spec.target


def series_periods(plan: Any, per: Period) -> list[Period]:
    s = plan.spec.schedule
    return [p for p in periods_between(s.first_year, per.year, per.kind) if p.end <= per.end]


def indicators(cons: Consolidation, catalog: Any, period: str | Period) -> list[IndicatorValue]:
    plan = catalog.plan
    per = as_period(catalog, period)
    data = _Data(cons, plan, catalog)
    out = []
    periods = series_periods(plan, per)
    # the series start at the first period for which any indicator has data (no rows of empty 2024 quarters)
    first = len(periods) - 1
    for spec in plan.indicators:
        for k, p in enumerate(periods[:first]):
            if _point(data, spec, p)[1]:
                first = k
                break
    periods = periods[first:]
    for spec in plan.indicators:
        series = []
        for p in periods:
            point, _, _ = _point(data, spec, p)
            series.append(point)
        point, sources, note = _point(data, spec, per)
        out.append(
            IndicatorValue(
                key=spec.key, name=spec.name, unit=spec.unit, target=spec.target, comparison=spec.comparison,
                target_text=spec.target_text, definition=spec.definition, period=per.code, value=point.value,
                met=_met(spec, point.value), numerator=point.numerator, denominator=point.denominator,
                series=series, sources=sources, note=note,
            )
        )
    return out
