"""Value types of the consolidation API (plain dataclasses; JSON via ``to_json``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from ..errors import YantaError

Outcome = Literal["accepted", "duplicate", "supersedes", "stale", "fork", "rejected"]
CellState = Literal["expected", "received", "late", "missing", "not_applicable"]
Progress = Callable[[int, int, str], None]
"""``progress(done, total, message)``: called from the worker thread; keep it cheap."""
Cancel = Callable[[], bool]
"""``cancel() -> bool``: polled between packets; True stops the operation (raises :class:`Cancelled`)."""

OUTCOME_ZH = {
    "accepted": "已接收",
    "duplicate": "重复（已忽略）",
    "supersedes": "已接收（替换旧版本）",
    "stale": "过期版本（未采用）",
    "fork": "版本冲突（疑似密钥被复制或数据库被恢复）",
    "rejected": "已拒收（已隔离）",
}
STATE_ZH = {
    "expected": "待报送",
    "received": "已报送",
    "late": "逾期报送",
    "missing": "未报送",
    "not_applicable": "—",
}


class Cancelled(YantaError):
    """操作已取消。已完成的部分已保存。"""


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dt.date | dt.datetime):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    return obj


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file given to :func:`import_paths`."""

    path: Path
    outcome: Outcome
    unit: str | None = None
    period: str | None = None
    seq: int | None = None
    reason: str = ""  # Chinese; why rejected / which chain is broken / which packet it supersedes
    packet_sha256: str | None = None  # payload SHA-256 (the packet's fingerprint); None when unreadable
    quarantine_path: Path | None = None  # where the file was kept (rejected, fork)

    @property
    def label(self) -> str:
        return OUTCOME_ZH[self.outcome]

    def to_json(self) -> dict:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class PacketInfo:
    """One packet in the ledger. ``status``: current | superseded | stale | fork."""

    sha256: str
    unit: str
    unit_name: str
    period: str
    seq: int
    prev_sha256: str
    status: str
    created_at: str  # claimed by the unit (informational)
    received_at: str  # the IP bureau's receipt time (UTC ISO 'Z') — the one used for lateness
    signer_cert_sha256: str
    signer: str  # certificate subject (CN / O) as text
    file_name: str
    entries: int
    records: int
    tasks: tuple[int, ...] = ()

    def to_json(self) -> dict:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class QuarantineItem:
    path: Path  # the kept copy in <data_dir>/quarantine/
    reason_path: Path  # the .reason.txt beside it
    original: str  # where it was imported from
    reason: str
    at: str
    file_sha256: str

    def to_json(self) -> dict:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class Cell:
    unit: str
    task: int
    state: CellState
    packet_sha256: str | None = None
    seq: int | None = None
    received_at: str | None = None

    @property
    def label(self) -> str:
        return STATE_ZH[self.state]


@dataclass(frozen=True)
class ChaseItem:
    """催报: one unit and what it still owes for the period."""

    unit: str
    unit_name: str
    tasks: tuple[int, ...]
    due: dt.date
    days_overdue: int  # 0 when not yet due


@dataclass
class Matrix:
    """报送情况 of one period."""

    period: str
    period_label: str
    due: dt.date
    today: dt.date
    units: list[str]  # row order (plan order), only units expected on at least one task
    unit_names: dict[str, str]
    tasks: list[int]  # column order, 1..16
    task_titles: dict[int, str]
    cells: dict[tuple[str, int], Cell]
    chase: list[ChaseItem] = field(default_factory=list)

    def cell(self, unit: str, task: int) -> Cell:
        return self.cells[(unit, task)]

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATE_ZH, 0)
        for c in self.cells.values():
            out[c.state] += 1
        return out

    def to_json(self) -> dict:
        return {
            "period": self.period,
            "period_label": self.period_label,
            "due": self.due.isoformat(),
            "today": self.today.isoformat(),
            "tasks": self.tasks,
            "counts": self.counts(),
            "units": [
                {
                    "code": u,
                    "name": self.unit_names[u],
                    "cells": {
                        str(t): {"state": c.state, "packet_sha256": c.packet_sha256, "seq": c.seq,
                                 "received_at": c.received_at}
                        for t in self.tasks
                        for c in [self.cells[(u, t)]]
                    },
                }
                for u in self.units
            ],
            "chase": [_jsonable(asdict(c)) for c in self.chase],
        }


@dataclass(frozen=True)
class SourceRef:
    """Where one contribution to an indicator came from."""

    unit: str
    period: str
    seq: int
    packet_sha256: str
    task: int
    entry_id: str
    where: str  # field key, or "table[row].column" (1-based row)
    value: str  # the contributing value as text


@dataclass(frozen=True)
class IndicatorPoint:
    period: str
    value: Decimal | None  # None when a denominator is zero/missing or no data
    numerator: Decimal
    denominator: Decimal | None


@dataclass
class IndicatorValue:
    key: str
    name: str
    unit: str
    target: Decimal
    comparison: str  # ge | le | eq
    target_text: str
    definition: str
    period: str
    value: Decimal | None
    met: bool | None
    numerator: Decimal
    denominator: Decimal | None
    series: list[IndicatorPoint]
    sources: list[SourceRef]
    note: str = ""  # e.g. "分母缺失：区知识产权局尚未报送任务1"

    def to_json(self) -> dict:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class FieldDiff:
    task: int
    where: str  # field key or "table[3].col" (1-based) or "table[3]" for a whole row added/removed
    label: str  # Chinese label path
    change: Literal["added", "removed", "changed"]
    old: Any = None
    new: Any = None

    def to_json(self) -> dict:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class ConsolidateResult:
    path: Path
    period: str
    payload_sha256: str
    packets: int
    records: int
    sheets: tuple[str, ...]
    seconds: float

    def to_json(self) -> dict:
        return _jsonable(asdict(self))
