"""The plan and its 16 forms together: what every face of the app starts from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .forms import Form, FormSet, load_forms
from .plan import Plan, Task, load_plan
from .plan.periods import CADENCE_KIND, Period


@dataclass(frozen=True)
class Catalog:
    plan: Plan
    forms: FormSet

    def form(self, task: int) -> Form:
        return self.forms[task]

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
    return Catalog(plan, load_forms(forms_dir))
