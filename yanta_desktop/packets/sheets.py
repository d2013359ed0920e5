"""A workbook as plain data: what the writer writes and what the verifier compares against.

A renderer turns a payload into ``list[Sheet]``. The same list drives ``workbook.write_sheets``
(xlsxwriter) and ``verify`` (every visible cell must equal it), so writing and checking can never
drift apart. Cell values are ``str``, ``int`` or ``None`` (empty) — never floats or formulas.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

Cell = str | int | None

# row styles (looks only; never verified)
TITLE, SUBTITLE, HEADER, SECTION, NOTE = "title", "subtitle", "header", "section", "note"


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]
    widths: list[float] = field(default_factory=list)
    styles: dict[int, str] = field(default_factory=dict)  # 0-based row → style
    freeze_rows: int = 0
    print_title_rows: int = 0  # repeated at the top of every printed page
    landscape: bool = False
    wrap_cols: frozenset[int] = frozenset()  # 0-based columns whose text wraps
    footer_left: str = ""

    @property
    def max_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("_", text).strip("'") or "Sheet"
    base = base[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def text_width(text: str) -> int:
    """Display width in Excel column units: CJK and full-width characters count double."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
