"""Small openpyxl helpers: safe text cells, print setup, atomic save."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(name="等线", size=14, bold=True)
HEADER_FONT = Font(name="等线", bold=True)
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
STATE_FILL = {
    "received": PatternFill("solid", fgColor="E2EFDA"),
    "late": PatternFill("solid", fgColor="FFF2CC"),
    "missing": PatternFill("solid", fgColor="F8CBAD"),
    "expected": PatternFill("solid", fgColor="FFFFFF"),
    "not_applicable": PatternFill("solid", fgColor="F2F2F2"),
}


def text_cell(ws: Any, row: int, col: int, value: Any, header: bool = False) -> Any:
    """Write ``value`` as text that stays text (data_type 's' + quotePrefix): no formulas, no errors."""
    cell = ws.cell(row, col)
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"
    cell.quotePrefix = True
    if header:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    return cell


def value_cell(ws: Any, row: int, col: int, value: Any) -> Any:
    """Integers (not bools) as numbers; everything else as safe text."""
    if isinstance(value, int) and not isinstance(value, bool):
        cell = ws.cell(row, col)
        cell.value = value
        return cell
    if isinstance(value, bool):
        return text_cell(ws, row, col, "是" if value else "否")
    if isinstance(value, list):
        return text_cell(ws, row, col, "、".join(str(v) for v in value))
    return text_cell(ws, row, col, value)


def title_rows(ws: Any, title: str, subtitle: str, ncols: int) -> None:
    text_cell(ws, 1, 1, title).font = TITLE_FONT
    text_cell(ws, 2, 1, subtitle)
    if ncols > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)


def setup_sheet(ws: Any, widths: list[float], header_row: int, landscape: bool = True) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row, max_col=len(widths)):
        for cell in row:
            cell.border = BORDER
            cell.alignment = WRAP


def atomic_write_bytes(data: bytes, out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        for attempt in range(10):
            try:
                os.replace(tmp, out)
                break
            except PermissionError:  # Windows: open in Excel/WPS, or antivirus
                if attempt == 9:
                    raise
                time.sleep(0.2)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return out


def atomic_save(wb: Any, out: Path) -> Path:
    buf = BytesIO()
    wb.save(buf)
    return atomic_write_bytes(buf.getvalue(), out)
