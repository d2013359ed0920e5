"""Load ``forms/plan.yaml`` and answer questions about it (units, aliases, task lists, periods)."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from .. import paths
from ..errors import FormFileError, UnknownUnitError
from ..yamlfile import load_yaml, pydantic_problems
from .model import GroupSpec, IndicatorSpec, PlanSpec, UnitSpec
from .periods import CADENCE_KIND, Period, parse_period, periods_between


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    kind: str  # bureau | street | group
    members: tuple[str, ...] = ()  # for groups

    @property
    def is_group(self) -> bool:
        return self.kind == "group"


@dataclass(frozen=True)
class Task:
    number: int
    title: str
    group: int
    group_title: str
    responsible_names: tuple[str, ...]  # as the plan writes them
    responsible: tuple[str, ...]  # resolved unit or group codes, plan order


def _norm(name: str) -> str:
    """Fold full/half-width brackets and spaces so 区财政局(国有资产管理局) matches too."""
    text = unicodedata.normalize("NFKC", name).strip()
    return "".join(text.split())


@dataclass
class Plan:
    spec: PlanSpec
    sha256: str
    path: Path
    units: dict[str, Unit] = field(default_factory=dict)  # code -> unit or group
    tasks: dict[int, Task] = field(default_factory=dict)
    _by_name: dict[str, str] = field(default_factory=dict)

    # ---- units -------------------------------------------------------------------------
    def resolve_unit(self, name_or_code: str) -> Unit:
        """Any code, name, short name or alias → the unit. Unknown names list the valid ones."""
        key = _norm(name_or_code)
        code = self._by_name.get(key) or (key.upper() if key.upper() in self.units else None)
        if code is None:
            names = "、".join(u.name for u in self.units.values() if not u.is_group)
            raise UnknownUnitError(f"未知的单位“{name_or_code}”。可用的单位：{names}")
        return self.units[code]

    @property
    def ip_bureau(self) -> Unit:
        return self.units[self.spec.ip_bureau]

    def reporting_units(self) -> list[Unit]:
        """Every unit that fills forms (groups expanded), in plan order."""
        return [u for u in self.units.values() if not u.is_group]

    def groups_of(self, code: str) -> list[Unit]:
        return [g for g in self.units.values() if g.is_group and code in g.members]

    def tasks_for_unit(self, code: str) -> list[Task]:
        """The tasks a unit is responsible for, directly or through a group it belongs to."""
        mine = {code, *(g.code for g in self.groups_of(code))}
        return [t for t in self.tasks.values() if mine & set(t.responsible)]

    def expected_units(self, task: int) -> list[str]:
        """Unit codes expected to report on a task, groups expanded to their members."""
        out: list[str] = []
        for code in self.tasks[task].responsible:
            for member in self.units[code].members or (code,):
                if member not in out:
                    out.append(member)
        return out

    def in_scope(self, unit: str, codes: list[str] | None) -> bool:
        """Does a ``visible_to`` list (unit or group codes) include this unit?"""
        if not codes:
            return True
        return unit in codes or any(g.code in codes for g in self.groups_of(unit))

    # ---- periods -----------------------------------------------------------------------
    def periods(self, cadence: str | None = None) -> list[Period]:
        s = self.spec.schedule
        kinds = [CADENCE_KIND[cadence]] if cadence else ["quarter", "half", "year"]
        out: list[Period] = []
        for kind in kinds:
            out += periods_between(s.first_year, s.last_year, kind)  # type: ignore[arg-type]
        return sorted(out, key=lambda p: (p.end, p.start))

    def period(self, code: str) -> Period:
        p = parse_period(code)
        s = self.spec.schedule
        if not (s.first_year <= p.year <= s.last_year):
            raise UnknownUnitError(f"报告期 {code} 不在方案期限 {s.first_year}—{s.last_year} 年内")
        return p

    def due_date(self, period: Period) -> dt.date:
        s = self.spec.schedule
        month, day = (int(x) for x in s.annual_due.split("-"))
        return period.due(s.due_days_after_period_end, (month, day))

    def phase_of(self, period: Period) -> str:
        ym = f"{period.end.year}-{period.end.month:02d}"
        for ph in self.spec.phases:
            if ph.start <= ym <= ph.end:
                return ph.name
        return ""

    @property
    def indicators(self) -> list[IndicatorSpec]:
        return list(self.spec.indicators)

    def to_json(self) -> dict:
        """The stable ``yanta plan --json`` document."""
        s = self.spec
        return {
            "plan": {"id": s.id, "version": s.version, "title": s.title, "sha256": self.sha256, "source": s.source},
            "ip_bureau": s.ip_bureau,
            "groups": [
                {"number": g.number, "title": g.title, "tasks": [t.number for t in g.tasks]} for g in s.task_groups
            ],
            "tasks": [
                {
                    "number": t.number,
                    "title": t.title,
                    "group": t.group,
                    "responsible_names": list(t.responsible_names),
                    "responsible": list(t.responsible),
                    "expected_units": self.expected_units(t.number),
                }
                for t in self.tasks.values()
            ],
            "units": [
                {
                    "code": u.code,
                    "name": u.name,
                    "short_name": u.short_name,
                    "aliases": list(u.aliases),
                    "kind": u.kind,
                    "members": list(u.members),
                    "groups": [g.code for g in self.groups_of(u.code)],
                    "tasks": [t.number for t in self.tasks_for_unit(u.code)] if not u.is_group else [],
                }
                for u in self.units.values()
            ],
            "indicators": [i.model_dump(mode="json") for i in s.indicators],
            "phases": [p.model_dump(mode="json") for p in s.phases],
            "schedule": s.schedule.model_dump(mode="json"),
            "periods": [
                {"code": p.code, "kind": p.kind, "label": p.label, "start": p.start.isoformat(),
                 "end": p.end.isoformat(), "due": self.due_date(p).isoformat(), "phase": self.phase_of(p)}
                for p in self.periods()
            ],
        }


def _build(spec: PlanSpec, sha: str, path: Path) -> Plan:
    plan = Plan(spec=spec, sha256=sha, path=path)
    problems: list[str] = []

    def add_name(name: str, code: str) -> None:
        key = _norm(name)
        if plan._by_name.get(key, code) != code:
            problems.append(f"名称“{name}”同时指向 {plan._by_name[key]} 与 {code}")
        plan._by_name[key] = code

    entries: list[UnitSpec | GroupSpec] = [*spec.units, *spec.groups]
    for u in entries:
        if u.code in plan.units:
            problems.append(f"单位代码 {u.code} 重复")
        if isinstance(u, GroupSpec):
            plan.units[u.code] = Unit(u.code, u.name, u.name, tuple(u.aliases), "group", tuple(u.members))
        else:
            plan.units[u.code] = Unit(u.code, u.name, u.short_name or u.name, tuple(u.aliases), u.kind)
        for name in (u.name, *u.aliases, *([u.short_name] if getattr(u, "short_name", None) else [])):
            add_name(name, u.code)
    for g in spec.groups:
        for m in g.members:
            if m not in plan.units or plan.units[m].is_group:
                problems.append(f"单位组 {g.code} 的成员 {m} 不是已登记的单位")
    if spec.ip_bureau not in plan.units:
        problems.append(f"ip_bureau {spec.ip_bureau} 不是已登记的单位")
    for grp in spec.task_groups:
        for t in grp.tasks:
            codes = []
            for name in t.responsible:
                code = plan._by_name.get(_norm(name))
                if code is None:
                    problems.append(f"任务 {t.number} 的责任单位“{name}”未登记")
                else:
                    codes.append(code)
            plan.tasks[t.number] = Task(t.number, t.title, grp.number, grp.title, tuple(t.responsible), tuple(codes))
    if sorted(plan.tasks) != list(range(1, 17)):
        problems.append(f"任务编号应为 1—16，实际为 {sorted(plan.tasks)}")
    if problems:
        raise FormFileError([f"{path}: {p}" for p in problems])
    return plan


@cache
def _load_cached(path: Path, mtime_ns: int) -> Plan:
    data, lines = load_yaml(path)
    try:
        spec = PlanSpec.model_validate(data)
    except ValidationError as exc:
        raise FormFileError(pydantic_problems(path, lines, exc)) from None
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return _build(spec, sha, path)


def load_plan(path: Path | None = None) -> Plan:
    """Load the plan file (default ``forms/plan.yaml``); cached while the file is unchanged."""
    path = (path or paths.forms_dir() / "plan.yaml").resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise FormFileError([f"{path}: 找不到工作方案文件"]) from None
    return _load_cached(path, mtime)
