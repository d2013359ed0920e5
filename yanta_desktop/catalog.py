"""The plan and its 16 forms together: what every face of the app starts from."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .forms import Form, FormSet, load_forms
from .forms.archive import load_archive
from .plan import Plan, Task, load_plan
from .plan.periods import CADENCE_KIND, Period


@dataclass(frozen=True)
class Catalog:
    plan: Plan
    forms: FormSet
    archive: dict[tuple[str, int, str], Form] = field(default_factory=dict)

    def form(self, task: int) -> Form:
        return self.forms[task]

    def form_version(self, form_id: str, version: int, sha256: str) -> Form | None:
        """The form with exactly this identity: the current one, or a released older version."""
        for form in self.forms:
            if form.id == form_id:
                if form.version == version and form.sha256 == sha256:
                    return form
                break
        return self.archive.get((form_id, version, sha256))

    def task(self, number: int) -> Task:
        return self.plan.tasks[number]

    def applies(self, task: int, period: Period) -> bool:
        """Does this task's cadence have this period? (A quarterly form has no 2025H1.)"""
        return CADENCE_KIND[self.form(task).cadence] == period.kind

    def to_json(self) -> dict:
        doc = self.plan.to_json()
        for t in doc["tasks"]:
            form = self.form(t["number"])
            t["cadence"] = form.cadence
            t["form"] = form.identity()
        return doc


def load_catalog(forms_dir: Path | None = None) -> Catalog:
    plan = load_plan(forms_dir / "plan.yaml" if forms_dir else None)
    forms = load_forms(forms_dir)
    folder = forms.folder / "archive"
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.json"))) if folder.is_dir() else ()
    return Catalog(plan, forms, _archive(forms.folder, stamp))


@cache
def _archive(folder: Path, stamp: tuple) -> dict:
    return load_archive(folder)
