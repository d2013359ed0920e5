"""Load a YAML file and remember the line of every node, so that schema errors say ``file:line``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import FormFileError

Loc = tuple[Any, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: ``2024-01-15`` stays a string."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], loader: _Loader) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in out:
                raise FormFileError([f"{Path(loader.name)}:{key_node.start_mark.line + 1}: 重复的键 “{key}”"])
            out[key] = _walk(value_node, (*loc, key), lines, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(child, (*loc, i), lines, loader) for i, child in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    """Return (data, line map). Syntax errors become ``FormFileError`` with file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormFileError([f"{path}: 无法读取文件：{exc}"]) from None
    loader = _Loader(text)
    loader.name = str(path)
    try:
        node = loader.get_single_node()
        if node is None:
            raise FormFileError([f"{path}:1: 文件为空"])
        lines: dict[Loc, int] = {}
        data = _walk(node, (), lines, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise FormFileError([f"{path}:{line}: YAML 语法错误：{exc.problem or exc}"]) from None
    finally:
        loader.dispose()
    return data, lines


def line_of(lines: dict[Loc, int], loc: Loc) -> int:
    """The line of the deepest known prefix of ``loc``."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get((), 1)


def pydantic_problems(path: Path, lines: dict[Loc, int], exc: Any) -> list[str]:
    """Turn a pydantic ``ValidationError`` into ``file:line: where: message`` strings."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc) or "(根)"
        out.append(f"{path}:{line_of(lines, loc)}: {where}: {_zh(err)}")
    return out


_ZH = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的键（拼写错误？）",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "string_pattern_mismatch": "格式不符",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "model_type": "应为映射（键: 值）",
}


def _zh(err: dict[str, Any]) -> str:
    msg = err.get("msg", "")
    typ = err.get("type", "")
    if typ == "value_error":
        return msg.removeprefix("Value error, ")
    base = _ZH.get(typ)
    return f"{base}（{msg}）" if base else msg
