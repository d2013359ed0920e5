"""Load, check and hash the form files in ``forms/``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from .. import canonical, paths
from ..errors import FormFileError
from ..yamlfile import line_of, load_yaml, pydantic_problems
from .expr import FUNCTIONS, compile_expr
from .model import CommonSpec, FieldSpec, FormSpec, RuleSpec, SectionSpec, TableSpec

CONTEXT_NAMES = {"period_kind", "unit", "period_start", "period_end"}


@dataclass(frozen=True)
class Form:
    """A task form with the common envelope merged in, plus its identity."""

    spec: FormSpec
    sections: tuple[SectionSpec, ...]  # task sections, then the common ones
    rules: tuple[RuleSpec, ...]
    sha256: str  # content hash of the merged definition
    path: Path

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def task(self) -> int:
        return self.spec.task

    @property
    def version(self) -> int:
        return self.spec.version

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def cadence(self) -> str:
        return self.spec.cadence

    @property
    def tables(self) -> tuple[TableSpec, ...]:
        return tuple(self.spec.tables)

    def fields(self) -> list[FieldSpec]:
        return [f for s in self.sections for f in s.fields]

    def field(self, key: str) -> FieldSpec:
        for f in self.fields():
            if f.key == key:
                return f
        raise KeyError(key)

    def table(self, key: str) -> TableSpec:
        for t in self.spec.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def identity(self) -> dict:
        return {"id": self.id, "version": self.version, "sha256": self.sha256}

    def definition(self) -> dict:
        """The merged definition as JSON-able data (what the hash covers)."""
        data = self.spec.model_dump(mode="json", exclude_none=True)
        data["sections"] = [s.model_dump(mode="json", exclude_none=True) for s in self.sections]
        data["rules"] = [r.model_dump(mode="json", exclude_none=True) for r in self.rules]
        return data


def _check_names(form: FormSpec, common: CommonSpec, problems: list[str], where) -> None:
    top = {f.key for s in (*form.sections, *common.sections) for f in s.fields}
    tables = {t.key: {c.key for c in t.columns} for t in form.tables}
    known = top | set(tables) | CONTEXT_NAMES | FUNCTIONS

    def check(expr: str | None, loc: tuple, extra: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        if not expr:
            return
        unknown = compile_expr(expr).names - known - extra
        if unknown:
            problems.append(f"{where(loc)}: 表达式 “{expr}” 引用了不存在的字段：{'、'.join(sorted(unknown))}")

    for si, s in enumerate(form.sections):
        check(s.visible_if, ("sections", si, "visible_if"))
        for fi, f in enumerate(s.fields):
            check(f.visible_if, ("sections", si, "fields", fi, "visible_if"))
            check(f.required_if, ("sections", si, "fields", fi, "required_if"))
    for ti, t in enumerate(form.tables):
        check(t.visible_if, ("tables", ti, "visible_if"))
        for ri, r in enumerate(t.rules):
            check(r.expr, ("tables", ti, "rules", ri, "expr"), tables[t.key])
            check(r.when, ("tables", ti, "rules", ri, "when"), tables[t.key])
            for col in r.fields:
                if col not in tables[t.key]:
                    problems.append(f"{where(('tables', ti, 'rules', ri))}: 规则标记的列 {col} 不存在")
        for ci, c in enumerate(t.columns):
            check(c.visible_if, ("tables", ti, "columns", ci, "visible_if"), tables[t.key])
            check(c.required_if, ("tables", ti, "columns", ci, "required_if"), tables[t.key])
    for ri, r in enumerate(form.rules):
        check(r.expr, ("rules", ri, "expr"))
        check(r.when, ("rules", ri, "when"))
        for key in r.fields:
            if key not in top and key not in tables:
                problems.append(f"{where(('rules', ri))}: 规则标记的字段 {key} 不存在")
    check(form.evidence.required_if, ("evidence", "required_if"))


def load_common(path: Path) -> CommonSpec:
    data, lines = load_yaml(path)
    try:
        return CommonSpec.model_validate(data)
    except ValidationError as exc:
        raise FormFileError(pydantic_problems(path, lines, exc)) from None


def load_form(path: Path, common: CommonSpec) -> Form:
    data, lines = load_yaml(path)
    try:
        spec = FormSpec.model_validate(data)
    except ValidationError as exc:
        raise FormFileError(pydantic_problems(path, lines, exc)) from None
    problems: list[str] = []
    _check_names(spec, common, problems, lambda loc: f"{path}:{line_of(lines, loc)}")
    task_keys = {f.key for s in spec.sections for f in s.fields}
    clash = task_keys & {f.key for s in common.sections for f in s.fields}
    if clash:
        problems.append(f"{path}:1: 字段键与公共部分重复：{'、'.join(sorted(clash))}")
    if problems:
        raise FormFileError(problems)
    sections = (*spec.sections, *common.sections)
    rules = (*spec.rules, *common.rules)
    form = Form(spec, sections, rules, "", path)
    digest = hashlib.sha256(canonical.dumps(form.definition())).hexdigest()
    return Form(spec, sections, rules, digest, path)


@dataclass(frozen=True)
class FormSet:
    forms: dict[int, Form]
    common: CommonSpec
    folder: Path

    def __getitem__(self, task: int) -> Form:
        return self.forms[task]

    def __iter__(self):
        return iter(self.forms.values())

    def by_id(self, form_id: str) -> Form:
        for f in self.forms.values():
            if f.id == form_id:
                return f
        raise KeyError(form_id)


def check_folder(folder: Path) -> tuple[FormSet | None, list[str]]:
    """Load every form in a folder; return (forms, problems). Never raises on bad files."""
    problems: list[str] = []
    common_path = folder / "common.yaml"
    try:
        common = load_common(common_path)
    except FormFileError as exc:
        return None, exc.problems
    forms: dict[int, Form] = {}
    for path in sorted(folder.glob("task[0-9][0-9].yaml")):
        try:
            form = load_form(path, common)
        except FormFileError as exc:
            problems += exc.problems
            continue
        if path.stem != form.id:
            problems.append(f"{path}:1: 文件名应为 {form.id}.yaml")
        forms[form.task] = form
    missing = sorted(set(range(1, 17)) - set(forms))
    if missing and not problems:
        problems.append(f"{folder}: 缺少任务表单：{'、'.join(f'task{n:02d}.yaml' for n in missing)}")
    return (FormSet(forms, common, folder) if not problems else None), problems


@cache
def _cached(folder: Path, stamp: tuple) -> FormSet:
    forms, problems = check_folder(folder)
    if problems or forms is None:
        raise FormFileError(problems)
    return forms


def load_forms(folder: Path | None = None) -> FormSet:
    """All 16 task forms; cached while no file in the folder changes."""
    folder = (folder or paths.forms_dir()).resolve()
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.yaml")))
    return _cached(folder, stamp)
