"""A small, safe expression language for form rules and visibility.

Syntax is a subset of Python: numbers, strings, names, ``and/or/not``, comparisons (chained
too), ``+ - * /``, ``in`` with list literals, and a few functions:

- ``sum(table, "col")``, ``count(table)``, ``count_if(table, "col", value)``: over a record table
- ``prev("field")``: the same field in the previous period's entry (empty if none)
- ``filled(x)``: true when x has a value; ``len(x)``, ``abs``, ``min``, ``max``

Names are field keys (or, in a row rule, the row's columns first), plus ``period_kind``
(``"quarter"``, ``"half"``, ``"year"``) and ``unit`` (the unit code).

A rule whose operands are empty is *not applicable*: evaluation raises ``Missing`` and the
caller treats the rule as passing (a required-field check reports the empty field instead).
Expressions are compiled once and checked at form load, so a typo in a form file is a
``file:line`` error rather than a runtime surprise.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any


class ExprError(ValueError):
    pass


class Missing(Exception):
    """An operand had no value."""


_CMP: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_BIN: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
FUNCTIONS = {"sum", "count", "count_if", "prev", "filled", "len", "abs", "min", "max"}


@dataclass(frozen=True)
class Expr:
    source: str
    tree: ast.Expression
    names: frozenset[str]

    def evaluate(self, ctx: EvalContext) -> Any:
        return _eval(self.tree.body, ctx)

    def truth(self, ctx: EvalContext) -> bool | None:
        """True/False, or None when not applicable (an operand was empty)."""
        try:
            return bool(self.evaluate(ctx))
        except Missing:
            return None


@dataclass
class EvalContext:
    values: Mapping[str, Any]
    tables: Mapping[str, list[Mapping[str, Any]]]
    previous: Mapping[str, Any]
    extra: Mapping[str, Any]
    row: Mapping[str, Any] | None = None

    def lookup(self, name: str) -> Any:
        if self.row is not None and name in self.row:
            return self.row[name]
        if name in self.extra:
            return self.extra[name]
        if name in self.tables:
            return self.tables[name]
        return self.values.get(name)


# Function arity (min, max) and which arguments must be text constants (a field or column key).
_ARITY: dict[str, tuple[int, int | None]] = {
    "sum": (2, 2), "count": (1, 1), "count_if": (3, 3), "prev": (1, 1),
    "filled": (1, None), "len": (1, 1), "abs": (1, 1), "min": (1, None), "max": (1, None),
}
_KEY_ARGS = {"sum": (1,), "count_if": (1,), "prev": (0,)}


def _check_call(node: ast.Call, source: str, names: set[str]) -> None:
    """Refuse at load time what would otherwise fail while validating an entry."""
    name = node.func.id  # type: ignore[attr-defined]
    low, high = _ARITY[name]
    if len(node.args) < low or (high is not None and len(node.args) > high):
        want = f"{low}" if low == high else f"至少{low}"
        raise ExprError(f"函数 {name}() 需要{want}个参数（{source!r}）")
    for i in _KEY_ARGS.get(name, ()):
        arg = node.args[i]
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            raise ExprError(f"函数 {name}() 的第{i + 1}个参数必须是带引号的字段名，如 '{ast.unparse(arg)}'（{source!r}）")
    if name == "prev":
        names.add(node.args[0].value)  # type: ignore[attr-defined]  # prev('x') refers to field x


@lru_cache(maxsize=4096)
def compile_expr(source: str) -> Expr:
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"表达式语法错误：{source!r}（{exc.msg}）") from None
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                raise ExprError(f"表达式中不允许的函数：{ast.unparse(node.func)}")
            if node.keywords:
                raise ExprError("表达式函数不接受关键字参数")
            _check_call(node, source, names)
        elif not isinstance(
            node,
            (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.Compare,
             ast.BinOp, ast.Constant, ast.List, ast.Tuple, ast.Load, *_CMP, *_BIN),
        ):
            raise ExprError(f"表达式中不允许的写法：{type(node).__name__}（{source!r}）")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str, bool)):
            raise ExprError(f"表达式中不允许的常量：{node.value!r}")
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        names.discard(call.func.id)  # type: ignore[attr-defined]
    return Expr(source, tree, frozenset(names))


def _num(value: Any) -> Any:
    if value is None or value == "" or value == []:
        raise Missing
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def _eval(node: ast.AST, ctx: EvalContext) -> Any:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value)) if isinstance(node.value, float) else node.value
    if isinstance(node, ast.Name):
        return ctx.lookup(node.id)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_eval(e, ctx) for e in node.elts]
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            return all(_eval(v, ctx) for v in node.values)
        return any(_eval(v, ctx) for v in node.values)
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, ctx)
        if isinstance(node.op, ast.Not):
            return not value
        return -_num(value)
    if isinstance(node, ast.BinOp):
        left, right = _num(_eval(node.left, ctx)), _num(_eval(node.right, ctx))
        if isinstance(node.op, ast.Div) and right == 0:
            raise Missing
        return _BIN[type(node.op)](left, right)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, ctx)
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = _eval(comp, ctx)
            if isinstance(op, (ast.In, ast.NotIn)):
                if left is None or left == "":
                    raise Missing
                ok = _CMP[type(op)](left, right)
            elif isinstance(op, (ast.Eq, ast.NotEq)):
                ok = _CMP[type(op)](_loose(left), _loose(right))
            else:
                ok = _CMP[type(op)](_num(left), _num(right))
            if not ok:
                return False
            left = right
        return True
    if isinstance(node, ast.Call):
        return _call(node, ctx)
    raise ExprError(f"不支持的表达式：{ast.unparse(node)}")


def _loose(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def _call(node: ast.Call, ctx: EvalContext) -> Any:
    name = node.func.id  # type: ignore[attr-defined]
    if name == "prev":
        key = node.args[0].value if isinstance(node.args[0], ast.Constant) else None
        if not isinstance(key, str):
            raise ExprError("prev() 的参数必须是字段名文本")
        return ctx.previous.get(key)
    args = [_eval(a, ctx) for a in node.args]
    if name == "filled":
        return all(a not in (None, "", []) for a in args)
    if name == "count":
        return len(args[0] or [])
    if name == "sum":
        rows, col = args[0] or [], args[1]
        total = Decimal(0)
        for row in rows:
            v = row.get(col)
            if v not in (None, ""):
                total += Decimal(str(v))
        return total
    if name == "count_if":
        rows, col, want = args[0] or [], args[1], args[2]
        wants = want if isinstance(want, list) else [want]
        return sum(1 for row in rows if row.get(col) in wants)
    if name == "len":
        return len(args[0] or "")
    if name in ("abs", "min", "max"):
        nums = [_num(a) for a in args]
        return {"abs": abs, "min": min, "max": max}[name](*nums)
    raise ExprError(f"未知函数 {name}")
