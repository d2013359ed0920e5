"""Reporting periods: ``2025Q2`` (quarter), ``2025H1`` (half year), ``2025`` (year)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Cadence = Literal["quarterly", "half_yearly", "annual"]
PeriodKind = Literal["quarter", "half", "year"]

CADENCE_KIND: dict[str, PeriodKind] = {"quarterly": "quarter", "half_yearly": "half", "annual": "year"}
CADENCE_ZH = {"quarterly": "季度", "half_yearly": "半年", "annual": "年度"}
_RX = re.compile(r"^(?P<year>20\d\d)(?:(?P<q>Q[1-4])|(?P<h>H[12]))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    code: str
    kind: PeriodKind

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[int(self.code[-1]) - 1]}季度"
        if self.kind == "half":
            return f"{self.year}年{'上' if self.code.endswith('1') else '下'}半年"
        return f"{self.year}年度"

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def due(self, days_after_end: int, annual_due: tuple[int, int]) -> dt.date:
        if self.kind == "year":
            return dt.date(self.year + 1, *annual_due)
        return self.end + dt.timedelta(days=days_after_end)


def parse_period(code: str) -> Period:
    m = _RX.match(code.strip().upper())
    if not m:
        raise PeriodError(f"报告期格式不对：“{code}”。应为 2025Q1（季度）、2025H1（半年）或 2025（年度）")
    year = int(m["year"])
    if m["q"]:
        q = int(m["q"][1])
        start = dt.date(year, 3 * q - 2, 1)
        end = _month_end(year, 3 * q)
        return Period(start, end, f"{year}Q{q}", "quarter")
    if m["h"]:
        h = int(m["h"][1])
        start = dt.date(year, 1 if h == 1 else 7, 1)
        end = _month_end(year, 6 if h == 1 else 12)
        return Period(start, end, f"{year}H{h}", "half")
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year), "year")


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def periods_between(first_year: int, last_year: int, kind: PeriodKind) -> list[Period]:
    out = []
    for year in range(first_year, last_year + 1):
        if kind == "quarter":
            out += [parse_period(f"{year}Q{q}") for q in range(1, 5)]
        elif kind == "half":
            out += [parse_period(f"{year}H{h}") for h in (1, 2)]
        else:
            out.append(parse_period(str(year)))
    return out


def previous(period: Period) -> Period | None:
    """The period of the same kind just before this one."""
    if period.kind == "year":
        return parse_period(str(period.year - 1))
    if period.kind == "half":
        return parse_period(f"{period.year}H1") if period.code.endswith("2") else parse_period(f"{period.year - 1}H2")
    q = int(period.code[-1])
    return parse_period(f"{period.year}Q{q - 1}") if q > 1 else parse_period(f"{period.year - 1}Q4")
