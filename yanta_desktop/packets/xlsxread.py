"""A small streaming reader for the cells of a packet workbook (lxml, no entity expansion).

Why not openpyxl here: verification reads every cell of files up to 100k+ rows. lxml's C
iterparse with one pass over shared strings and sheets is about 1.7× faster than openpyxl's
read-only mode on the same file, and we need each cell's kind (value / formula / error) anyway.

Safety: parts are only opened after the zip pre-scan bounded their sizes; the parser never
resolves entities, loads DTDs or touches the network, and any ``<!DOCTYPE``/``<!ENTITY`` seen while
streaming aborts the read (OOXML never has one). Rows are cleared as soon as they are read.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_PARSER_OPTS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


class XlsxError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class _Guard:
    """File wrapper that refuses DTDs anywhere in the stream and bounds the bytes read between two
    parse events (``quiet`` bytes): elements the caller never sees (junk children, huge runs of empty
    elements before, inside or after ``sheetData``) cannot pile up in memory."""

    def __init__(self, fh: Any, name: str, quiet: int = 0) -> None:
        self.fh, self.name, self.tail = fh, name, b""
        self.total = self.mark = 0
        self.quiet = quiet

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        probe = (self.tail + data).upper()
        if any(p in probe for p in _DTD_PROBES):
            raise XlsxError("xml_dtd", f"部件 {self.name} 含有 DTD/实体声明（可能是 XML 实体炸弹），拒绝解析")
        if not self.total and not encoding_ok(data):
            raise XlsxError("bad_workbook", f"部件 {self.name} 的 XML 编码不是 UTF-8/UTF-16，拒绝解析")
        self.tail = data[-32:]
        self.total += len(data)
        if self.quiet and self.total - self.mark > self.quiet:
            raise XlsxError("bad_workbook", f"部件 {self.name} 含有大量无关内容（疑似资源耗尽攻击），拒绝解析")
        return data


_DTD_PROBES = tuple(w.encode(enc) for w in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be"))
_DECL_ENC = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def encoding_ok(head: bytes) -> bool:
    """UTF-8 (what the writer and LibreOffice write), or UTF-16 with its BOM; any other encoding is refused,
    so that the byte-level DTD guard sees what the parser sees."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return head[2:4] != b"\x00\x00"  # not UTF-32
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if b"\x00" in head[:4]:
        return False
    m = _DECL_ENC.match(head)
    return m is None or m.group(1).upper() in (b"UTF-8", b"UTF8")


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """Decode OOXML ``_xHHHH_`` escapes (one pass, as Excel and openpyxl do: ``_x005F_x0041_`` → ``_x0041_``)."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


@dataclass(frozen=True)
class SheetRef:
    name: str
    part: str
    state: str  # visible | hidden | veryHidden


QUIET_BYTES = 1 << 20  # bytes read with no parse event: no genuine part comes near (a cell holds ≤ 32767 characters)
ROW_SLACK = 64  # rows/columns past the rendering a re-save may add (empty, styled) before the reader refuses


def _iter(zf: zipfile.ZipFile, name: str, tag: str | tuple[str, ...], guard_quiet: int = QUIET_BYTES) -> Iterator[Any]:
    """``end`` events for ``tag``; each element is cleared and dropped from its parent after the caller saw it."""
    with zf.open(name) as fh:
        guard = _Guard(fh, name, guard_quiet)
        try:
            for _, el in etree.iterparse(guard, events=("end",), tag=tag, **_PARSER_OPTS):
                guard.mark = guard.total
                yield el
                el.clear(keep_tail=False)
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            raise XlsxError("bad_workbook", f"部件 {name} 不是有效的 XML：{exc}") from None


def sheets(zf: zipfile.ZipFile) -> list[SheetRef]:
    targets: dict[str, str] = {}
    for rel in _iter(zf, "xl/_rels/workbook.xml.rels", PKG_REL + "Relationship"):
        target = rel.get("Target") or ""
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if rel.get("TargetMode") not in (None, "Internal"):  # parsed, so a character reference cannot hide it
            raise XlsxError("external_link", "工作簿含有指向外部的关系")
        rid = rel.get("Id") or ""
        if rid in targets:  # readers disagree on which one wins
            raise XlsxError("bad_workbook", f"工作簿关系编号重复：{rid[:40]!r}")
        targets[rid] = part
    out = []
    for sh in _iter(zf, "xl/workbook.xml", (MAIN + "sheet", MAIN + "workbookView")):
        if sh.tag == MAIN + "workbookView":
            if (sh.get("visibility") or "visible") != "visible":  # the packet would open with no window at all
                raise XlsxError("bad_workbook", "工作簿窗口被设置为隐藏")
            continue
        rid = sh.get(REL_NS + "id") or ""
        out.append(SheetRef(sh.get("name") or "", targets.get(rid, ""), sh.get("state") or "visible"))
    return out


def declared_fonts(zf: zipfile.ZipFile) -> frozenset[str]:
    """Font names ``xl/styles.xml`` declares (the writer's, plus what a LibreOffice re-save adds for its runs)."""
    if "xl/styles.xml" not in zf.namelist():
        return frozenset()
    name_tag = MAIN + "name"
    out: set[str] = set()
    for font in _iter(zf, "xl/styles.xml", MAIN + "font"):
        for child in font:
            if child.tag == name_tag:
                out.add(child.get("val") or "")
    return frozenset(out)


def shared_strings(zf: zipfile.ZipFile, max_count: int | None = None, fonts: frozenset[str] | None = None) -> list[str]:
    """The shared strings; more than ``max_count`` of them (what the rendering can use + slack) is refused.
    With ``fonts``, a rich-text run may only use one of those fonts."""
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    out: list[str] = []
    t_tag = MAIN + "t"
    for si in _iter(zf, "xl/sharedStrings.xml", MAIN + "si"):
        out.append(_text(si, t_tag, "xl/sharedStrings.xml", fonts))
        if max_count is not None and len(out) > max_count:
            raise XlsxError("bad_workbook", "共享字符串表远多于表格所需（疑似资源耗尽攻击），拒绝解析")
    return out


_RUN_PROPS = {"rFont", "family", "charset", "scheme", "b", "i", "sz", "color"}
MIN_RUN_PT = 6.0  # smaller text cannot be read; the writer uses 10.5 pt and up


def _text(node: Any, t_tag: str, part: str, fonts: frozenset[str] | None = None) -> str:
    """Plain text of an ``<si>``/``<is>``: its ``<t>`` or its runs' ``<t>``.

    LibreOffice re-saves mixed-script text as runs (one font per script), so runs are allowed, but only
    ones that cannot hide characters: font, size ≥ 6 pt, bold/italic, and a dark colour. Phonetic runs
    (``<rPh>``, displayed above the value but not part of it) are refused: neither the writer nor a re-save makes them."""
    parts = []
    r_tag = MAIN + "r"
    for child in node:
        tag = child.tag
        if tag == t_tag:
            parts.append(child.text or "")
        elif tag == r_tag:
            for sub in child:
                if sub.tag == t_tag:
                    parts.append(sub.text or "")
                elif sub.tag == MAIN + "rPr":
                    _check_run(sub, part, fonts)
                else:
                    raise XlsxError("bad_workbook", f"{part}: 文本片段含有不认识的内容")
        elif tag is etree.Comment or tag is etree.PI:
            continue
        else:
            raise XlsxError("bad_workbook", f"{part}: 文本含有注音或其他附加内容（数据包不使用）")
    return unescape("".join(parts))


def symbol_font(name: str) -> bool:
    """Fonts that draw letters as pictograms."""
    low = name.strip().lower()
    return "dings" in low or low in _SYMBOL_FONTS


_SYMBOL_FONTS = {"symbol", "marlett", "mt extra", "bookshelf symbol 7", "ms reference specialty", "opensymbol"}


def _check_run(rpr: Any, part: str, fonts: frozenset[str] | None) -> None:
    for prop in rpr:
        name = prop.tag[len(MAIN):] if isinstance(prop.tag, str) and prop.tag.startswith(MAIN) else None
        ok = name in _RUN_PROPS
        if ok and name == "rFont":
            font = prop.get("val") or ""
            ok = not symbol_font(font) and (fonts is None or font in fonts)
        elif ok and name == "charset":
            ok = prop.get("val") != "2"  # SYMBOL_CHARSET
        elif ok and name == "sz":
            val = prop.get("val") or ""
            ok = re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,4})?", val) is not None and MIN_RUN_PT <= float(val) <= 409
        elif ok and name == "color":
            rgb = prop.get("rgb") or ""
            ok = set(prop.keys()) == {"rgb"} and len(rgb) == 8 and all(
                c in "0123456789ABCDEFabcdef" for c in rgb) and max(int(rgb[i:i + 2], 16) for i in (2, 4, 6)) <= 0x99
        elif ok and name in ("b", "i"):
            ok = (prop.get("val") or "true") in ("true", "1", "false", "0")
        if not ok:
            raise XlsxError("bad_workbook", f"{part}: 文本片段的格式可能隐藏文字（过小、浅色或特殊效果），拒绝")


_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_INDEX = re.compile(r"0|[1-9][0-9]{0,8}")
_ROWNUM = re.compile(r"[1-9][0-9]{0,6}")
_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


@dataclass(frozen=True)
class SheetRules:
    """What a sheet may carry besides its cells (``None`` for a rule: not checked)."""

    footer: str | None = None  # the oddFooter the writer makes for this sheet
    extra_children: frozenset[str] = frozenset()  # worksheet children allowed beyond the writer's and a re-save's
    n_styles: int | None = None  # cell formats in styles.xml: a cell's s= must be one of them


# worksheet children the writer (xlsxwriter) and a LibreOffice re-save produce, in schema order around sheetData
_BEFORE = frozenset({"sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols"})
_AFTER = frozenset({"sheetProtection", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks"})
MIN_ROW_PT = 6.0
MIN_COL_WIDTH = 1.0
_TRUE = ("1", "true")
_FALSE = ("0", "false")


def _local(el: Any) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""  # comment / processing instruction
    return tag[len(MAIN):] if tag.startswith(MAIN) else tag


def _size_ok(val: str | None, minimum: float) -> bool:
    if val is None:
        return True
    if re.fullmatch(r"[0-9]{1,5}(\.[0-9]{1,17})?", val) is None:
        return False
    return float(val) >= minimum


def _check_before(sheet_data: Any, part: str) -> None:
    """Children of the worksheet before sheetData: only the known ones; no hidden or zero-width columns."""
    for el in sheet_data.itersiblings(preceding=True):
        name = _local(el)
        if not name:
            continue
        if name not in _BEFORE:
            raise XlsxError("bad_workbook", f"{part}: 工作表含有数据包不使用的内容 <{name[:40]}>")
        if name == "sheetFormatPr" and (el.get("zeroHeight") in _TRUE or not _size_ok(el.get("defaultRowHeight"), MIN_ROW_PT)):
            raise XlsxError("bad_workbook", f"{part}: 工作表的默认行高把所有行隐藏了")
        if name == "sheetViews":
            for view in el.iter(MAIN + "sheetView"):
                if view.get("showZeros") in _FALSE:  # every reported 0 would show as a blank (reads as 未填报)
                    raise XlsxError("bad_workbook", f"{part}: 工作表设置为不显示零值")
        if name == "cols":
            for col in el:
                if _local(col) == "col" and (col.get("hidden") in _TRUE or not _size_ok(col.get("width"), MIN_COL_WIDTH)):
                    raise XlsxError("bad_workbook", f"{part}: 工作表有隐藏或宽度为零的列")


def _check_after(root: Any, sheet_data: Any, part: str, rules: SheetRules) -> None:
    allowed = _AFTER | rules.extra_children
    for el in sheet_data.itersiblings():
        name = _local(el)
        if not name:
            continue
        if name not in allowed:
            raise XlsxError("bad_workbook", f"{part}: 工作表含有数据包不使用的内容 <{name[:40]}>（条件格式、数据验证、超链接、合并单元格、图形等）")
        if name == "headerFooter" and rules.footer is not None:
            parts = {_local(c): (c.text or "") for c in el}
            if set(parts) - {"oddHeader", "oddFooter"} or parts.get("oddHeader", "") or parts.get("oddFooter") != rules.footer:
                raise XlsxError("bad_workbook", f"{part}: 打印页眉页脚与签名数据生成的不同")
        elif name == "headerFooter":
            continue


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


_COLUMNS = {_letters(i): i for i in range(1, 16385)}  # "A" → 1 … "XFD" → 16384: exact, ASCII only


def rows(
    zf: zipfile.ZipFile, part: str, sst: list[str], max_row: int | None = None, max_col: int | None = None,
    rules: SheetRules | None = None,
) -> Iterator[tuple[int, list[tuple[int, Any, str]]]]:
    """Yield (row number, [(column, value, kind)]) with kind 'v' (value), 'f' (formula) or 'e' (error).

    Values: shared/inline strings → str, numbers → int (integral) or float, booleans → bool.
    A cell is filed under its own reference (as spreadsheets do), which must agree with its ``<row r>``;
    numbers, references and indexes are strict ASCII; a row holds only ``<c>`` elements. A row's XML is bounded
    by the guard's quiet-bytes limit (no event for 1 MiB → refused), so a row of millions of empty cells never
    builds. With ``max_row``/``max_col`` (the rendering's size), a row or cell more than ``ROW_SLACK`` past them
    is refused. With ``rules``, hidden or near-zero-height rows, hidden columns, worksheet children outside an
    allowlist and unknown style indexes are refused, and the printed footer must be the writer's."""
    c_tag, v_tag, f_tag, is_tag = MAIN + "c", MAIN + "v", MAIN + "f", MAIN + "is"
    t_tag, row_tag, sd_tag = MAIN + "t", MAIN + "row", MAIN + "sheetData"
    n_sst = len(sst)
    row_cap = (max_row + ROW_SLACK) if max_row is not None else None
    col_cap = (max_col + ROW_SLACK) if max_col is not None else 16384
    n_styles = rules.n_styles if rules is not None else None
    styles = frozenset(str(i) for i in range(n_styles)) if n_styles is not None else None
    columns = _COLUMNS
    last_row = 0
    sheet_data = None

    def bad(msg: str) -> XlsxError:
        return XlsxError("bad_workbook", f"{part}: {msg}")

    for el in _iter(zf, part, (row_tag, sd_tag)):
        if sheet_data is not None:
            raise bad("sheetData 之外有行")
        if el.tag == sd_tag:
            if rules is not None:
                _check_before(el, part)
            sheet_data = el
            continue
        parent = el.getparent()
        if parent is None or parent.tag != sd_tag:
            raise bad("行不在 sheetData 内")
        r = el.get("r")
        if r is None:
            idx = last_row + 1
        elif _ROWNUM.fullmatch(r):
            idx = int(r)
        else:
            raise bad(f"行号“{r[:20]}”无效")
        if row_cap is not None and idx > row_cap:
            raise XlsxError("extra_cells", f"{part}: 第{idx}行远超签名数据的范围，拒绝解析")
        if rules is not None and (el.get("hidden") in _TRUE or not _size_ok(el.get("ht"), MIN_ROW_PT)):
            raise bad(f"第{idx}行被隐藏或行高过小")
        suffix = str(idx)
        k = -len(suffix)
        cells: list[tuple[int, Any, str]] = []
        col = 0
        for c in el:
            if c.tag != c_tag:
                if c.tag is etree.Comment:
                    continue
                raise bad(f"第{idx}行含有单元格以外的内容")
            ref = c.get("r")
            if ref is None:
                col += 1
            else:
                got = columns.get(ref[:k]) if ref.endswith(suffix) else None
                if got is None:
                    if _REF.fullmatch(ref):
                        raise bad(f"单元格 {ref} 不在它所在的第{idx}行（行号与单元格引用不一致）")
                    raise bad(f"单元格引用“{ref[:20]}”无效")
                col = got
            if col > col_cap:
                raise XlsxError("extra_cells", f"{part}: 第{idx}行的单元格远超签名数据的列数，拒绝解析")
            if styles is not None:
                st = c.get("s")
                if st is not None and st not in styles:
                    raise XlsxError("bad_styles", f"{part}: 单元格 {_show_ref(col, idx)} 的样式编号“{st[:12]}”无效")
            cells.append(_cell(c, col, part, sst, n_sst, v_tag, f_tag, is_tag, t_tag))
        last_row = idx
        yield idx, cells
    if rules is not None and sheet_data is not None:
        # the elements after sheetData stay in the tree (bounded by the guard's quiet-bytes limit)
        _check_after(sheet_data.getparent(), sheet_data, part, rules)


def _show_ref(col: int, row: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _cell(c: Any, col: int, part: str, sst: list[str], n_sst: int, v_tag: str, f_tag: str, is_tag: str, t_tag: str) -> tuple[int, Any, str]:
    t = c.get("t")
    kind = "v"
    value: Any = None
    v = None
    for child in c:
        tag = child.tag
        if tag == v_tag:
            v = child.text
        elif tag == f_tag:
            kind = "f"
        elif tag == is_tag:
            value = _text(child, t_tag, part)
        elif tag is not etree.Comment:  # markup-compatibility fallbacks, junk: what a spreadsheet shows is unknown
            raise XlsxError("bad_workbook", f"{part}: 单元格 {_show_ref(col, 0)[:-1]}列含有数据包不使用的内容")
    if t == "s":
        if v is not None:
            if not (v.isdigit() and v.isascii() and (v[0] != "0" or v == "0")) and not _INDEX.fullmatch(v):
                raise XlsxError("bad_workbook", f"{part}: 共享字符串索引无效")
            i = int(v)
            if not 0 <= i < n_sst:
                raise XlsxError("bad_workbook", f"{part}: 共享字符串索引越界")
            value = sst[i]
    elif t == "inlineStr":
        pass
    elif t == "str":
        value = unescape(v) if v is not None else v
    elif t == "b":
        value = v in ("1", "true")
    elif t == "e":
        kind, value = ("f" if kind == "f" else "e"), v
    elif v is not None:  # number (t="n" or absent)
        if v.isdigit() and v.isascii():
            value = int(v)
        else:
            m = _NUMBER.fullmatch(v)
            if m is None:
                raise XlsxError("bad_workbook", f"{part}: 数值“{v[:20]}”无效")
            value = int(v) if m.group(1) is None and m.group(2) is None else float(v)
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            value = int(value)
    return col, value, kind


# ---- styles.xml ---------------------------------------------------------------------------------------------
MAX_STYLES_BYTES = 1 << 20
# number formats: the writer uses the built-ins General (0) and 0 (1); a LibreOffice re-save declares them as
# custom 164/165 with the same codes. Anything else (literals, text sections, colours, conditions) can make a
# spreadsheet show another number or another text than the cell holds.
_BUILTIN_FMTS = frozenset({0, 1, 49})
_FMT_CODES = frozenset({"General", "0", "@"})
# the writer's palette: header/section fills, and the consolidated workbook's traffic lights (dxfs)
FILL_PALETTE = frozenset({"FFDDEBF7", "FFF2F2F2", "FFF8CBAD", "FFFFE699", "FFC6EFCE"})
_FONT_CHILDREN = frozenset({"b", "i", "sz", "color", "name", "family", "charset", "scheme"})
_HALIGN = frozenset({"general", "left", "right", "center"})


def _dark(color: Any) -> bool:
    """A text colour that shows on the writer's light fills: theme 1 (dark text), auto, or a dark rgb."""
    keys = set(color.keys())
    if keys <= {"theme"} and color.get("theme") in (None, "1"):
        return True
    if keys == {"auto"} or (keys == {"indexed"} and color.get("indexed") in ("8", "64")):
        return True
    rgb = color.get("rgb") or ""
    return keys == {"rgb"} and re.fullmatch(r"[0-9A-Fa-f]{8}", rgb) is not None and max(int(rgb[i:i + 2], 16) for i in (2, 4, 6)) <= 0x99


def _fill_ok(fill: Any) -> bool:
    for pf in fill:
        if _local(pf) != "patternFill":
            return False
        if pf.get("patternType") not in (None, "none", "gray125", "solid"):
            return False
        for c in pf:
            name = _local(c)
            if name not in ("fgColor", "bgColor"):
                return False
            keys = set(c.keys())
            if keys == {"indexed"} and c.get("indexed") in ("64", "65"):
                continue
            if keys == {"auto"} or (keys == {"rgb"} and (c.get("rgb") or "").upper() in FILL_PALETTE):
                continue
            return False
    return True


def _xf_ok(xf: Any, fmts: set[int] | None) -> bool:
    """``fmts`` None: a cell-style base format (LibreOffice declares Comma/Currency/Percent ones); what a cell
    displays is its cellXfs entry's number format, which is checked."""
    try:
        if fmts is not None and int(xf.get("numFmtId") or "0") not in fmts:
            return False
    except ValueError:
        return False
    for child in xf:
        name = _local(child)
        if name == "alignment":
            if (child.get("horizontal") or "general") not in _HALIGN:
                return False
            if (child.get("textRotation") or "0") != "0" or (child.get("indent") or "0") != "0":
                return False
            if child.get("shrinkToFit") in _TRUE:
                return False
        elif name not in ("protection", ""):
            return False
    return True


def check_styles(zf: zipfile.ZipFile, *, allow_dxfs: bool = False) -> int:
    """Refuse styles that can make a cell show something other than its value; returns the number of cell formats.

    Number formats other than General/0, fonts that are tiny, light, struck out or in a symbol face, fills
    outside the writer's palette, alignments that repeat, shrink, rotate or push text out of view, and (in unit
    packets) differential formats for conditional formatting are all refused."""
    part = "xl/styles.xml"
    try:
        info = zf.getinfo(part)
    except KeyError:
        raise XlsxError("bad_styles", "工作簿缺少样式部件 xl/styles.xml") from None
    if info.file_size > MAX_STYLES_BYTES:
        raise XlsxError("bad_styles", f"样式部件过大（{info.file_size:,} 字节）")
    with zf.open(info) as fh:
        data = fh.read(MAX_STYLES_BYTES + 1)
    if not encoding_ok(data) or any(p in data.upper() for p in _DTD_PROBES):
        raise XlsxError("xml_dtd", "样式部件的编码不受支持或含有 DTD")
    try:
        root = etree.fromstring(data, etree.XMLParser(**_PARSER_OPTS))
    except etree.XMLSyntaxError as exc:
        raise XlsxError("bad_workbook", f"样式部件不是有效的 XML：{exc}") from None

    def bad(what: str) -> XlsxError:
        return XlsxError("bad_styles", f"样式（styles.xml）中{what}：可能让单元格显示与数值不同的内容，拒绝")

    fmts = set(_BUILTIN_FMTS)
    n_xfs = 0
    for section in root:
        name = _local(section)
        if name == "numFmts":
            for fmt in section:
                if _local(fmt) != "numFmt":
                    continue
                if (fmt.get("formatCode") or "") not in _FMT_CODES:
                    raise bad(f"有自定义数字格式“{(fmt.get('formatCode') or '')[:40]}”")
                try:
                    fmts.add(int(fmt.get("numFmtId") or ""))
                except ValueError:
                    raise bad("数字格式编号无效") from None
        elif name == "fonts":
            for font in section:
                for prop in font:
                    pname = _local(prop)
                    if not pname:
                        continue
                    if pname not in _FONT_CHILDREN:
                        raise bad(f"字体带有特殊效果 <{pname[:20]}>")
                    if pname == "sz" and not _size_ok(prop.get("val"), MIN_RUN_PT):
                        raise bad("字号过小")
                    if pname == "color" and not _dark(prop):
                        raise bad("字体颜色过浅")
                    if pname == "name" and symbol_font(prop.get("val") or ""):
                        raise bad("使用了符号字体")
                    if pname == "charset" and prop.get("val") == "2":
                        raise bad("使用了符号字符集")
        elif name == "fills":
            if not all(_fill_ok(f) for f in section if _local(f) == "fill"):
                raise bad("填充颜色不在数据包的配色之内")
        elif name in ("cellXfs", "cellStyleXfs"):
            for xf in section:
                if _local(xf) != "xf":
                    continue
                if not _xf_ok(xf, fmts if name == "cellXfs" else None):
                    raise bad("单元格格式不是数据包使用的格式")
                if name == "cellXfs":
                    n_xfs += 1
        elif name == "dxfs":
            for dxf in section:
                if not _local(dxf):
                    continue
                if not allow_dxfs:
                    raise bad("有条件格式用的差异格式（dxf）")
                for prop in dxf:
                    if _local(prop) != "fill" or not _fill_ok(prop):
                        raise bad("条件格式的差异格式不只是配色之内的填充")
    return n_xfs


# ---- workbook.xml defined names, [Content_Types].xml ---------------------------------------------------------
_TITLES = re.compile(r"(?:'((?:[^']|'')+)'|([^'!]+))!\$1:\$([1-9][0-9]{0,6})")
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKBOOK_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def defined_names(zf: zipfile.ZipFile) -> list[tuple[str, str | None, str]]:
    """(name, localSheetId, text) of every ``<definedName>`` in ``xl/workbook.xml``."""
    return [(d.get("name") or "", d.get("localSheetId"), d.text or "") for d in _iter(zf, "xl/workbook.xml", MAIN + "definedName")]


def check_defined_names(zf: zipfile.ZipFile, sheet_names: list[str], title_rows: dict[str, int], *, consolidated: bool) -> None:
    """Only the writer's print titles (repeated header rows) — a print area, a hidden name or anything else could
    change what gets printed and stamped. The consolidated workbook also has its filters' ``_FilterDatabase``."""
    for name, local, text in defined_names(zf):
        if consolidated and name == "_xlnm._FilterDatabase":
            continue
        if name != "_xlnm.Print_Titles":
            raise XlsxError("bad_workbook", f"工作簿含有数据包不使用的名称定义“{name[:40]}”（如打印区域），可能改变打印内容")
        if consolidated:
            continue
        m = _TITLES.fullmatch(text.strip())
        try:
            sheet = sheet_names[int(local or "")]
        except (ValueError, IndexError):
            sheet = None
        target = (m.group(1).replace("''", "'") if m and m.group(1) is not None else m.group(2) if m else None)
        if m is None or sheet is None or target != sheet or int(m.group(3)) != title_rows.get(sheet, 0):
            raise XlsxError("bad_workbook", f"工作簿的打印标题行定义与签名数据生成的不同：{text[:60]}")


def check_content_types(zf: zipfile.ZipFile, sheet_parts: list[str]) -> None:
    """Each rendered sheet is declared a worksheet, the workbook a plain (macro-free) workbook."""
    overrides: dict[str, str] = {}
    for el in _iter(zf, "[Content_Types].xml", "{http://schemas.openxmlformats.org/package/2006/content-types}Override"):
        overrides[(el.get("PartName") or "").lstrip("/")] = el.get("ContentType") or ""
    if any("macroenabled" in ct.lower() or "vba" in ct.lower() for ct in overrides.values()):
        raise XlsxError("macro", "内容类型声明了含宏的工作簿或宏部件")
    if overrides.get("xl/workbook.xml", WORKBOOK_CT) != WORKBOOK_CT:
        raise XlsxError("bad_workbook", "工作簿的内容类型不是普通工作簿")
    for part in sheet_parts:
        if overrides.get(part) != WORKSHEET_CT:
            raise XlsxError("bad_workbook", f"{part} 的内容类型不是工作表（{overrides.get(part, '未声明')[:80]}）")
