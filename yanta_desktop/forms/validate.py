"""Coerce and validate entry data against a form.

Entry data is JSON-able and canonical-profile clean (see ``canonical``)::

    {"values": {field: value}, "tables": {table: [{column: value}, ...]}, "evidence": [...]}

Value types: integer → int; decimal → str with the field's decimals ("12.50"); date → "YYYY-MM-DD";
boolean → bool; multichoice → list[str]; everything else → str (NFC). Empty means absent.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ..canonical import MAX_INT
from .expr import EvalContext, compile_expr
from .loader import Form
from .model import FieldSpec, FieldType, RuleSpec, TableSpec

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_MOBILE = re.compile(r"^1\d{10}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_TRUE = {"true", "1", "是", "yes", "y", "√", "✓"}
_FALSE = {"false", "0", "否", "no", "n", "×", "✗"}


@dataclass(frozen=True)
class Issue:
    level: str  # "error" | "warning"
    key: str  # "field", "table[3].column" or "table"
    where: str  # Chinese label path: "行政处罚案件台账 第4行 结案日期"
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    @property
    def text(self) -> str:
        """One line for a list of problems: the place, then the message (once)."""
        return self.message if self.message.startswith(self.where) else f"{self.where}：{self.message}"


class CoerceError(ValueError):
    pass


def uscc_valid(code: str) -> bool:
    """GB 32100-2015 统一社会信用代码 check digit."""
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    check = (31 - total % 31) % 31
    return _USCC_CHARS[check] == code[17]


def _text(raw: Any) -> str:
    if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise CoerceError("应为文本")
    return unicodedata.normalize("NFC", raw).strip()


def _digits(raw: Any) -> str:
    """Full-width digits and separators folded: "１，２３４" → "1234"."""
    text = unicodedata.normalize("NFKC", _text(raw))
    return text.replace(",", "").replace(" ", "").replace("\u3000", "")


def coerce(field: FieldSpec, raw: Any) -> Any:
    """The canonical value for ``raw``, or None when empty. Raises CoerceError (Chinese)."""
    if raw is None or (isinstance(raw, str) and raw.strip() == "") or raw == []:
        return None
    t = field.type
    if t == FieldType.integer:
        if isinstance(raw, bool):
            raise CoerceError("应为整数")
        if isinstance(raw, int):
            value = raw
        else:
            text = _digits(raw)
            if not re.fullmatch(r"[-+]?\d+", text):
                raise CoerceError("应为整数" + ("，不能有小数" if re.fullmatch(r"[-+]?\d*\.\d+", text) else ""))
            value = int(text)
        if abs(value) >= MAX_INT:
            raise CoerceError("数值过大")
        _range(field, Decimal(value))
        return value
    if t == FieldType.decimal:
        if isinstance(raw, bool):
            raise CoerceError("应为数字")
        try:
            num = Decimal(str(raw)) if isinstance(raw, (int, float, Decimal)) else Decimal(_digits(raw))
        except InvalidOperation:
            raise CoerceError("应为数字") from None
        if not num.is_finite():
            raise CoerceError("应为数字")
        exponent = num.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > field.decimals:
            raise CoerceError(f"最多保留 {field.decimals} 位小数")
        if abs(num) >= MAX_INT:
            raise CoerceError("数值过大")
        _range(field, num)
        if num == 0:
            num = abs(num)  # "-0" and "0" are one value: one canonical spelling, one hash
        return f"{num:.{field.decimals}f}"
    if t == FieldType.boolean:
        if isinstance(raw, bool):
            return raw
        text = _text(raw).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CoerceError("应为“是”或“否”")
    if t == FieldType.date:
        if isinstance(raw, dt.datetime):
            raw = raw.date()
        if isinstance(raw, dt.date):
            return raw.isoformat()
        text = unicodedata.normalize("NFKC", _text(raw))
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text) or re.fullmatch(
            r"(\d{4})(\d{2})(\d{2})", text
        )
        if not m:
            raise CoerceError("日期格式应为 2025-03-01")
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            raise CoerceError("不是有效的日期") from None
    if t == FieldType.multichoice:
        items = raw if isinstance(raw, list) else re.split(r"[;；,，、]", _text(raw))
        values = [_text(i) for i in items if _text(i)]
        bad = [v for v in values if v not in (field.choices or [])]
        if bad:
            raise CoerceError(f"“{'、'.join(bad)}”不是可选项")
        return sorted(set(values), key=(field.choices or []).index)
    text = _text(raw)
    if not text:
        return None
    if _XML_ILLEGAL.search(text):
        raise CoerceError("含有不可见的控制字符")
    if len(text) > field.text_limit:
        raise CoerceError(f"不能超过 {field.text_limit} 个字（现有 {len(text)} 个）")
    if t == FieldType.choice:
        if text not in (field.choices or []):
            raise CoerceError(f"“{text}”不是可选项（可选：{'、'.join(field.choices or [])}）")
    elif t == FieldType.uscc:
        text = unicodedata.normalize("NFKC", text).upper().replace(" ", "")
        if not uscc_valid(text):
            raise CoerceError("不是有效的统一社会信用代码（18位，末位为校验码）")
    elif t == FieldType.phone:
        text = unicodedata.normalize("NFKC", text).replace(" ", "")
        if not (_MOBILE.match(text) or _LANDLINE.match(text)):
            raise CoerceError("应为11位手机号或带区号的座机号（如 029-85212345）")
    elif t == FieldType.text and text[0] in "=+@":
        raise CoerceError("不能以 = + @ 开头")
    if field.pattern and not re.fullmatch(field.pattern, text):
        raise CoerceError(field.pattern_message or "格式不符")
    return text


def _range(field: FieldSpec, num: Decimal) -> None:
    if field.min is not None and num < field.min:
        raise CoerceError(f"不能小于 {field.min}")
    if field.max is not None and num > field.max:
        raise CoerceError(f"不能大于 {field.max}")


def typed(field: FieldSpec, value: Any) -> Any:
    """A stored value as the expression language sees it."""
    if value is None:
        return None
    if field.type == FieldType.decimal:
        return Decimal(value)
    return value


@dataclass
class Context:
    """Who fills the form, when: drives visibility and the context names of rules."""

    unit: str
    unit_groups: tuple[str, ...]
    period_kind: str
    period_start: str
    period_end: str

    def in_scope(self, codes: list[str] | None) -> bool:
        return not codes or self.unit in codes or any(g in codes for g in self.unit_groups)

    def extra(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "period_kind": self.period_kind,
            "period_start": self.period_start,
            "period_end": self.period_end,
        }


def make_context(plan: Any, unit: str, period: Any) -> Context:
    """Build a Context from a plan.Plan and a periods.Period."""
    return Context(
        unit=unit,
        unit_groups=tuple(g.code for g in plan.groups_of(unit)),
        period_kind=period.kind,
        period_start=period.start.isoformat(),
        period_end=period.end.isoformat(),
    )


class Evaluator:
    """Visibility and rule evaluation for one entry being edited."""

    def __init__(self, form: Form, ctx: Context, data: Mapping[str, Any], previous: Mapping[str, Any] | None = None):
        self.form, self.ctx = form, ctx
        values = data.get("values", {}) or {}
        fields = {f.key: f for f in form.fields()}
        self.values = {k: typed(fields[k], v) for k, v in values.items() if k in fields}
        self.tables = {
            t.key: [
                {c.key: typed(c, row.get(c.key)) for c in t.columns}
                for row in (data.get("tables", {}) or {}).get(t.key, [])
            ]
            for t in form.tables
        }
        prev_vals = (previous or {}).get("values", {}) or {}
        self.previous = {k: typed(fields[k], v) for k, v in prev_vals.items() if k in fields}
        self.eval_ctx = EvalContext(self.values, self.tables, self.previous, ctx.extra())

    def _cond(self, expr: str | None, row: Mapping[str, Any] | None = None) -> bool:
        if not expr:
            return True
        self.eval_ctx.row = row
        try:
            return bool(compile_expr(expr).truth(self.eval_ctx))
        finally:
            self.eval_ctx.row = None

    def section_visible(self, section) -> bool:
        return self.ctx.in_scope(section.visible_to) and self._cond(section.visible_if)

    def field_visible(self, field: FieldSpec, row: Mapping[str, Any] | None = None) -> bool:
        return self.ctx.in_scope(field.visible_to) and self._cond(field.visible_if, row)

    def table_visible(self, table: TableSpec) -> bool:
        return self.ctx.in_scope(table.visible_to) and self._cond(table.visible_if)

    def required(self, field: FieldSpec, row: Mapping[str, Any] | None = None) -> bool:
        return field.required or (bool(field.required_if) and self._cond(field.required_if, row))

    def visible_fields(self) -> list[FieldSpec]:
        return [f for s in self.form.sections if self.section_visible(s) for f in s.fields if self.field_visible(f)]

    def visible_tables(self) -> list[TableSpec]:
        return [t for t in self.form.tables if self.table_visible(t)]

    def rule_result(self, rule: RuleSpec, row: Mapping[str, Any] | None = None) -> bool | None:
        if not self.ctx.in_scope(rule.visible_to):
            return None
        self.eval_ctx.row = row
        try:
            if rule.when and not compile_expr(rule.when).truth(self.eval_ctx):
                return None
            return compile_expr(rule.expr).truth(self.eval_ctx)
        finally:
            self.eval_ctx.row = None


def normalise(form: Form, data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    """Coerce every value; return (clean data, type errors). Unknown keys are type errors."""
    issues: list[Issue] = []
    fields = {f.key: f for f in form.fields()}
    values: dict[str, Any] = {}
    for key, raw in (data.get("values") or {}).items():
        field = fields.get(key)
        if field is None:
            issues.append(Issue("error", key, key, f"表单中没有字段“{key}”"))
            continue
        try:
            value = coerce(field, raw)
        except CoerceError as exc:
            issues.append(Issue("error", key, field.label, f"“{field.label}”{exc}"))
            continue
        if value is not None:
            values[key] = value
    tables: dict[str, list[dict[str, Any]]] = {}
    table_specs = {t.key: t for t in form.tables}
    for tkey, rows in (data.get("tables") or {}).items():
        table = table_specs.get(tkey)
        if table is None:
            issues.append(Issue("error", tkey, tkey, f"表单中没有台账“{tkey}”"))
            continue
        if not isinstance(rows, list):
            issues.append(Issue("error", tkey, table.title, f"“{table.title}”应为记录列表"))
            continue
        cols = {c.key: c for c in table.columns}
        clean_rows = []
        for i, row in enumerate(rows, start=1):
            if not isinstance(row, Mapping):
                issues.append(Issue("error", f"{tkey}[{i}]", f"{table.title} 第{i}行", "应为一条记录"))
                continue
            clean: dict[str, Any] = {}
            for ckey, raw in row.items():
                col = cols.get(ckey)
                where = f"{table.title} 第{i}行"
                if col is None:
                    issues.append(Issue("error", f"{tkey}[{i}].{ckey}", where, f"{where}：没有列“{ckey}”"))
                    continue
                try:
                    value = coerce(col, raw)
                except CoerceError as exc:
                    issues.append(Issue("error", f"{tkey}[{i}].{ckey}", f"{where} {col.label}", f"{where}“{col.label}”{exc}"))
                    continue
                if value is not None:
                    clean[ckey] = value
            if clean:
                clean_rows.append(clean)
        if clean_rows:
            tables[tkey] = clean_rows
    out: dict[str, Any] = {"values": values, "tables": tables}
    evidence = data.get("evidence") or []
    out["evidence"] = [dict(e) for e in evidence]
    return out, issues


def validate(
    form: Form,
    ctx: Context,
    data: Mapping[str, Any],
    previous: Mapping[str, Any] | None = None,
) -> list[Issue]:
    """Every problem with an entry: type errors, required fields, ranges, rules, tables, evidence."""
    clean, issues = normalise(form, data)
    ev = Evaluator(form, ctx, clean, previous)
    for field in ev.visible_fields():
        already = any(i.key == field.key for i in issues)
        if field.key not in clean["values"] and ev.required(field) and not already:
            issues.append(Issue("error", field.key, field.label, f"请填写“{field.label}”"))
    for rule in form.rules:
        if ev.rule_result(rule) is False:
            anchor = rule.fields[0] if rule.fields else rule.key
            issues.append(Issue(rule.level, anchor, _label(form, anchor), rule.message))
    for table in ev.visible_tables():
        rows = clean["tables"].get(table.key, [])
        typed_rows = ev.tables[table.key]
        if len(rows) < table.min_rows:
            issues.append(Issue("error", table.key, table.title, f"“{table.title}”至少需要 {table.min_rows} 条记录"))
        if len(rows) > table.max_rows:
            issues.append(Issue("error", table.key, table.title, f"“{table.title}”最多 {table.max_rows} 条记录"))
        seen: dict[tuple, int] = {}
        for i, (row, trow) in enumerate(zip(rows, typed_rows, strict=True), start=1):
            where = f"{table.title} 第{i}行"
            for col in table.columns:
                key = f"{table.key}[{i}].{col.key}"
                missing = col.key not in row and ev.field_visible(col, trow) and ev.required(col, trow)
                if missing and not any(x.key == key for x in issues):
                    issues.append(Issue("error", f"{table.key}[{i}].{col.key}", f"{where} {col.label}", f"{where}：请填写“{col.label}”"))
            for rule in table.rules:
                if ev.rule_result(rule, trow) is False:
                    anchor = rule.fields[0] if rule.fields else ""
                    key = f"{table.key}[{i}]" + (f".{anchor}" if anchor else "")
                    issues.append(Issue(rule.level, key, where, f"{where}：{rule.message}"))
            if table.unique:
                ident = tuple(row.get(c) for c in table.unique)
                if all(v is not None for v in ident):
                    if ident in seen:
                        labels = "、".join(table.columns[[c.key for c in table.columns].index(u)].label for u in table.unique)
                        issues.append(Issue("error", f"{table.key}[{i}].{table.unique[0]}", where, f"{where}：{labels}与第{seen[ident]}行重复"))
                    else:
                        seen[ident] = i
    spec = form.spec.evidence
    evidence = clean["evidence"]
    if spec.required_if and not evidence and ev._cond(spec.required_if):
        issues.append(Issue("error", "evidence", "佐证材料", "请上传至少一份佐证材料（年度报告必须附佐证材料）"))
    if len(evidence) > spec.max_files:
        issues.append(Issue("error", "evidence", "佐证材料", f"佐证材料最多 {spec.max_files} 个文件"))
    return issues


def strip_hidden(form: Form, ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Drop values of fields and tables that are hidden for this unit and these answers."""
    clean, _ = normalise(form, data)
    ev = Evaluator(form, ctx, clean)
    keep = {f.key for f in ev.visible_fields()}
    tables = {t.key for t in ev.visible_tables()}
    return {
        "values": {k: v for k, v in clean["values"].items() if k in keep},
        "tables": {k: v for k, v in clean["tables"].items() if k in tables},
        "evidence": clean["evidence"],
    }


def _label(form: Form, key: str) -> str:
    try:
        return form.field(key).label
    except KeyError:
        try:
            return form.table(key).title
        except KeyError:
            return key
