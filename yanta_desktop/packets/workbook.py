"""Write a signed workbook: the rendered sheets (xlsxwriter) plus the ``packet/*`` parts.

Why xlsxwriter and not openpyxl: writing the same 100k-row sheet is about 1.7× faster
(README.md, tests/bench/bench_packets.py), which is what lets a packet — signature and extra
parts included — be written faster than plain openpyxl write-only mode. Text safety holds the same:
every text value goes through ``write_string`` (never interpreted as a formula, number or URL) with a
``quotePrefix`` style, so ``=HYPERLINK(...)`` stays literal text in Excel, WPS and LibreOffice even
after F2 + Enter. Shared strings (normal mode, not constant_memory) keep openpyxl's reading fast.

The packet parts are added through xlsxwriter's supported ``_get_packager`` hook: the parts, a
``Default``/``Override`` content type each, and a package relationship each, so LibreOffice keeps
them on re-save and the file stays a valid package (no repair prompt).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter
from xlsxwriter.packager import Packager
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from . import algs
from .atomic import write_atomic_with
from .model import CERT_PART, EVIDENCE_PREFIX, PAYLOAD_PART, SIGNATURE_PART
from .sheets import HEADER, NOTE, SECTION, SUBTITLE, TITLE, Sheet, text_width

REL_BASE = "https://yanta-desktop.invalid/relationships/packet/"
CONTENT_TYPES = {"json": "application/json", "sig": "application/octet-stream", "pem": "application/x-pem-file"}


def sign_payload(payload_bytes: bytes, private_key: Any) -> bytes:
    """The signature over exactly these bytes, by the algorithm of the key (Ed25519: 64 raw bytes)."""
    return algs.for_private_key(private_key).sign(private_key, payload_bytes)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_REL_KIND = {PAYLOAD_PART: "payload", SIGNATURE_PART: "signature", CERT_PART: "signer"}


class _PacketPackager(Packager):
    def __init__(self, parts: list[tuple[str, bytes]]) -> None:
        super().__init__()
        self._extra_parts = parts

    def _create_package(self):
        files = super()._create_package()
        out = []
        for handle, name, is_binary in files:
            if name == "[Content_Types].xml":
                handle = io.StringIO(self._patch_types(handle.getvalue()))
            elif name == "_rels/.rels":
                handle = io.StringIO(self._patch_rels(handle.getvalue()))
            out.append((handle, name, is_binary))
        for name, data in self._extra_parts:
            out.append((io.BytesIO(data), name, True))
        return out

    def _patch_types(self, xml: str) -> str:
        add = "".join(f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in CONTENT_TYPES.items())
        add += "".join(
            f'<Override PartName="/{name}" ContentType="application/octet-stream"/>'
            for name, _ in self._extra_parts
            if name.startswith(EVIDENCE_PREFIX)
        )
        return xml.replace("</Types>", add + "</Types>", 1)

    def _patch_rels(self, xml: str) -> str:
        add = ""
        for i, (name, _) in enumerate(self._extra_parts, start=1):
            kind = "evidence" if name.startswith(EVIDENCE_PREFIX) else _REL_KIND[name]
            add += f'<Relationship Id="rIdYanta{i}" Type="{REL_BASE}{kind}" Target="{name}"/>'
        return xml.replace("</Relationships>", add + "</Relationships>", 1)


class _Workbook(xlsxwriter.Workbook):
    def __init__(self, target: Any, parts: list[tuple[str, bytes]]) -> None:
        super().__init__(
            target,
            {
                "in_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "use_future_functions": False,
            },
        )
        self._parts = parts

    def _get_packager(self):
        return _PacketPackager(self._parts)


def _formats(wb: xlsxwriter.Workbook) -> dict[str, Any]:
    base = {"font_name": "宋体", "font_size": 10.5, "valign": "top"}
    text = {**base, "quote_prefix": True}
    f = {
        "text": wb.add_format(text),
        "wrap": wb.add_format({**text, "text_wrap": True}),
        "int": wb.add_format({**base, "num_format": "0"}),
        "num_text": wb.add_format({**text, "align": "right"}),
        TITLE: wb.add_format({**text, "bold": True, "font_size": 14}),
        SUBTITLE: wb.add_format({**text, "font_color": "#444444"}),
        HEADER: wb.add_format({**text, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
        SECTION: wb.add_format({**text, "bold": True, "bg_color": "#F2F2F2"}),
        NOTE: wb.add_format({**text, "font_color": "#666666", "italic": True}),
    }
    return f


_NUMERIC = re.compile(r"-?\d[\d,]*(\.\d+)?")


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped cell needs (estimate; CJK characters count double)."""
    per_line = max(int(width) - 1, 4)
    if 2 * len(text) <= per_line and "\n" not in text:
        return 1
    return sum(max(1, math.ceil(text_width(part) / per_line)) for part in text.split("\n"))


class _FastWorksheet(Worksheet):
    """An xlsxwriter worksheet whose ``<sheetData>`` is pre-rendered XML (see ``_rows_xml``).

    xlsxwriter still writes everything around it (columns, panes, page setup, print titles,
    styles, shared strings); only its per-cell bookkeeping, the slow part for 100k-row tables,
    is replaced. Strings go through the workbook's shared-string table, as ``write_string`` would.
    """

    yanta_rows: list[str]

    def _write_sheet_data(self) -> None:
        rows = getattr(self, "yanta_rows", None)
        if not rows:
            self._xml_empty_tag("sheetData")
            return
        write = self.fh.write
        write("<sheetData>")
        for chunk in rows:
            write(chunk)
        write("</sheetData>")


def _rows_xml(wb: xlsxwriter.Workbook, fmt: dict[str, Any], sheet: Sheet) -> list[str]:
    xf = {name: f._get_xf_index() for name, f in fmt.items()}
    sst = wb.str_table._get_shared_string_index
    ncols = max(sheet.max_cols, len(sheet.widths), 1)
    letters = [xl_col_to_name(i) for i in range(ncols)]
    wrap_cols, widths, styles = sheet.wrap_cols, sheet.widths, sheet.styles
    numeric = _NUMERIC.fullmatch
    text_xf, wrap_xf, int_xf, num_text_xf = xf["text"], xf["wrap"], xf["int"], xf["num_text"]
    out: list[str] = []
    append = out.append
    for r, row in enumerate(sheet.rows):
        rn = r + 1
        style = styles.get(r)
        row_xf = xf[style] if style else None
        lines = 1
        cells: list[str] = []
        add = cells.append
        for c, value in enumerate(row):
            if value is None:
                if row_xf is not None:
                    add(f'<c r="{letters[c]}{rn}" s="{row_xf}"/>')
                continue
            if type(value) is int:
                add(f'<c r="{letters[c]}{rn}" s="{row_xf or int_xf}"><v>{value}</v></c>')
                continue
            wraps = (row_xf is None and c in wrap_cols) or style == HEADER
            if row_xf is not None:
                cell_xf = row_xf
            elif wraps:
                cell_xf = wrap_xf
            elif value[:1] in _DIGITS and numeric(value):
                cell_xf = num_text_xf
            else:
                cell_xf = text_xf
            add(f'<c r="{letters[c]}{rn}" s="{cell_xf}" t="s"><v>{sst(value)}</v></c>')
            if wraps and c < len(widths):
                n = _lines(value, widths[c])
                if n > lines:
                    lines = n
        if not cells:
            continue
        height = f' ht="{min(14.5 * lines, 409):g}" customHeight="1"' if lines > 1 else ""
        append(f'<row r="{rn}"{height}>{"".join(cells)}</row>')
    return out


_DIGITS = frozenset("-0123456789")


def _write_sheet(wb: xlsxwriter.Workbook, fmt: dict[str, Any], sheet: Sheet) -> None:
    ws = wb.add_worksheet(sheet.name, worksheet_class=_FastWorksheet)
    for i, w in enumerate(sheet.widths):
        ws.set_column(i, i, w)
    if sheet.freeze_rows:
        ws.freeze_panes(sheet.freeze_rows, 0)
    ws.set_paper(9)  # A4
    if sheet.landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    if sheet.print_title_rows:
        ws.repeat_rows(0, sheet.print_title_rows - 1)
    left = sheet.footer_left.replace("&", "&&")
    ws.set_footer(f"&L{left}&R第 &P 页，共 &N 页")
    ws.yanta_rows = _rows_xml(wb, fmt, sheet)
    if sheet.rows:
        ws.dim_rowmin, ws.dim_rowmax = 0, len(sheet.rows) - 1
        ws.dim_colmin, ws.dim_colmax = 0, max(sheet.max_cols, 1) - 1


def write_sheets(fh: BinaryIO, sheets: Iterable[Sheet], parts: list[tuple[str, bytes]]) -> None:
    wb = _Workbook(fh, parts)
    fmt = _formats(wb)
    for sheet in sheets:
        _write_sheet(wb, fmt, sheet)
    wb.close()


def packet_parts(
    payload_bytes: bytes, signature: bytes, cert_pem: bytes, evidence: Mapping[str, bytes | Path] | None = None
) -> list[tuple[str, bytes]]:
    parts = [(PAYLOAD_PART, payload_bytes), (SIGNATURE_PART, signature), (CERT_PART, cert_pem)]
    for sha, src in sorted((evidence or {}).items()):
        data = src.read_bytes() if isinstance(src, Path) else bytes(src)
        if sha256_hex(data) != sha:
            raise ValueError(f"佐证材料 {sha[:12]}… 的内容与其 SHA-256 不一致（文件可能已被改动）")
        parts.append((EVIDENCE_PREFIX + sha, data))
    return parts


def write_signed_workbook(
    path: Path,
    payload_bytes: bytes,
    signature: bytes,
    cert_pem: bytes,
    sheets: Iterable[Sheet],
    evidence: Mapping[str, bytes | Path] | None = None,
) -> Path:
    """Atomically write ``path``: the sheets plus payload, signature, certificate and evidence parts.

    ``sheets`` is what a renderer returns for the payload (the verifier re-renders and compares);
    ``evidence`` maps SHA-256 → bytes or file path (checked against the hash).
    """
    parts = packet_parts(payload_bytes, signature, cert_pem, evidence)
    return write_atomic_with(Path(path), lambda fh: write_sheets(fh, sheets, parts))
