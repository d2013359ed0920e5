"""Canonical JSON for signed payloads (our restricted RFC 8785 profile).

The profile: ASCII object keys, no floats, no nulls, integers with |n| < 10**15, strings in NFC
without XML-illegal characters. Within it, RFC 8785 output equals ``json.dumps`` with sorted keys
and compact separators, which is what ``dumps`` produces. ``loads_strict`` refuses duplicate keys,
floats and any bytes that are not already canonical.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_INT = 10**15
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class CanonicalError(ValueError):
    pass


def check(obj: Any, path: str = "$") -> None:
    """Raise ``CanonicalError`` if ``obj`` is outside the profile."""
    if obj is None:
        raise CanonicalError(f"{path}: 不允许 null")
    if isinstance(obj, bool):
        return
    if isinstance(obj, int):
        if abs(obj) >= MAX_INT:
            raise CanonicalError(f"{path}: 整数超出范围")
        return
    if isinstance(obj, float):
        raise CanonicalError(f"{path}: 不允许浮点数（小数请用文本）")
    if isinstance(obj, str):
        if _XML_ILLEGAL.search(obj):
            raise CanonicalError(f"{path}: 含有不可见控制字符")
        try:
            obj.encode("utf-8")
        except UnicodeEncodeError:
            raise CanonicalError(f"{path}: 含有无效的 Unicode 字符") from None
        return
    if isinstance(obj, list):
        for i, item in enumerate(obj):
            check(item, f"{path}[{i}]")
        return
    if isinstance(obj, dict):
        for key, value in obj.items():
            if not isinstance(key, str) or not key.isascii():
                raise CanonicalError(f"{path}: 键必须是 ASCII 文本：{key!r}")
            check(value, f"{path}.{key}")
        return
    raise CanonicalError(f"{path}: 不支持的类型 {type(obj).__name__}")


def dumps(obj: Any) -> bytes:
    check(obj)
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


def _no_dupes(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise CanonicalError(f"重复的键 {key!r}")
        out[key] = value
    return out


def _no_float(text: str) -> Any:
    raise CanonicalError(f"不允许浮点数 {text}")


def _no_constant(text: str) -> Any:
    raise CanonicalError(f"不允许 {text}")


MAX_DEPTH = 64  # payloads nest 5 levels deep; anything far deeper only serves to exhaust recursion


def _depth(obj: Any) -> int:
    """Nesting depth of lists/dicts, without recursion."""
    deepest, stack = 0, [(obj, 1)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, d)
            if deepest > MAX_DEPTH:
                return deepest
            stack.extend((child, d + 1) for child in node if isinstance(child, (list, dict)))
    return deepest


def loads_strict(data: bytes) -> Any:
    """Parse signed bytes; refuse anything a second parser could read differently."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CanonicalError("不是有效的 UTF-8") from None
    try:
        obj = json.loads(
            text, object_pairs_hook=_no_dupes, parse_float=_no_float, parse_constant=_no_constant
        )
    except json.JSONDecodeError as exc:
        raise CanonicalError(f"JSON 格式错误：{exc.msg}（第 {exc.lineno} 行第 {exc.colno} 列）") from None
    except RecursionError:
        raise CanonicalError("JSON 嵌套过深") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise CanonicalError(f"JSON 无法解析：{exc}"[:200]) from None
    if _depth(obj) > MAX_DEPTH:
        raise CanonicalError(f"JSON 嵌套超过 {MAX_DEPTH} 层")
    try:
        again = dumps(obj)
    except RecursionError:
        raise CanonicalError("JSON 嵌套过深") from None
    if again != data:
        raise CanonicalError("不是规范化 JSON（键顺序、空白或转义与规范形式不同）")
    return obj
