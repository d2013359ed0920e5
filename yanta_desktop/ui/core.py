"""What the GUI needs from the domain, without Qt widgets: a tolerant catalog and entry status.

The GUI never crashes because one form file is missing or broken: the tasks without a usable
form are shown as such, with the problem, and every other task works.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..catalog import Catalog, load_catalog
from ..errors import FormFileError
from ..forms import Form, FormSet
from ..forms.loader import load_common, load_form
from ..plan import Period, load_plan
from ..plan.periods import CADENCE_KIND

# Status codes shown in the task list.
NOT_STARTED, DRAFT, FINAL, EXPORTED, NOT_APPLICABLE, NO_FORM = (
    "not_started",
    "draft",
    "final",
    "exported",
    "n/a",
    "no_form",
)


@dataclass
class LoadedCatalog:
    catalog: Catalog
    problems: list[str] = field(default_factory=list)

    @property
    def plan(self):
        return self.catalog.plan

    def has_form(self, task: int) -> bool:
        return task in self.catalog.forms.forms

    def form(self, task: int) -> Form | None:
        return self.catalog.forms.forms.get(task)

    def applies(self, task: int, period: Period) -> bool:
        form = self.form(task)
        return form is not None and CADENCE_KIND[form.cadence] == period.kind


def load_catalog_tolerant(forms_dir: Path | None = None) -> LoadedCatalog:
    """The catalog, or as much of it as loads: missing or broken task forms are left out."""
    try:
        return LoadedCatalog(load_catalog(forms_dir))
    except Exception:  # any broken file: fall back to loading form by form
        pass
    folder = (forms_dir or paths.forms_dir()).resolve()
    plan = load_plan(folder / "plan.yaml")  # the plan itself must load
    problems: list[str] = []
    common = load_common(folder / "common.yaml")
    forms: dict[int, Form] = {}
    for path in sorted(folder.glob("task[0-9][0-9].yaml")):
        try:
            form = load_form(path, common)
        except FormFileError as exc:
            problems += exc.problems
            continue
        except Exception as exc:  # a half-written file (e.g. YAML syntax) must not stop the app
            problems.append(f"{path}: {exc}")
            continue
        forms[form.task] = form
    missing = sorted(set(plan.tasks) - set(forms))
    if missing:
        problems.append("缺少或无法读取的任务表单：" + "、".join(f"task{n:02d}.yaml" for n in missing))
    return LoadedCatalog(Catalog(plan, FormSet(forms, common, folder)), problems)


def entry_status(entry) -> str:
    if entry is None:
        return NOT_STARTED
    if entry.status == "final":
        return EXPORTED if entry.exported_seq else FINAL
    return DRAFT


def default_period(catalog: LoadedCatalog, today: dt.date | None = None) -> Period:
    """The latest quarter that has ended (what a clerk reports on now), clamped to the plan."""
    today = today or dt.date.today()
    quarters = catalog.plan.periods("quarterly")
    ended = [p for p in quarters if p.end < today]
    if ended:
        return ended[-1]
    return quarters[0]


def empty_data() -> dict:
    return {"values": {}, "tables": {}, "evidence": []}
