"""Registers the ``consolidated`` payload kind with the packet verifier (imported by ``packets.verify``).

* ``render``       — 封面 / 指标进度 / 报送情况, re-rendered from the payload and compared cell by cell;
* ``check``        — the payload's shape (sources, completeness, indicators, data-sheet digests);
* ``sheets_check`` — every data sheet declared in the payload: no formulas or error cells, and the
  SHA-256 digest of its rows equals the signed one (streamed: a million rows never sit in memory).
"""

from __future__ import annotations

from typing import Any

from ..packets.model import Problem
from ..packets.verify import register_kind
from .workbook import KIND, RowDigest, render_consolidated


def _render(payload: dict, payload_sha256: str, catalog: Any) -> list:
    try:
        return render_consolidated(payload, payload_sha256, catalog)
    except (KeyError, TypeError, IndexError, AttributeError) as exc:
        raise ValueError(f"汇总数据结构不完整：{exc!r}") from None


def _check(payload: dict, catalog: Any, cert: Any) -> list[Problem]:
    problems = []
    for key, typ in (("sources", list), ("completeness", dict), ("indicators", list), ("sheets", list)):
        if not isinstance(payload.get(key), typ):
            problems.append(Problem("bad_payload", f"汇总数据缺少“{key}”"))
    if problems:
        return problems
    for meta in payload["sheets"]:
        if not (isinstance(meta, dict) and isinstance(meta.get("name"), str) and isinstance(meta.get("rows"), int)
                and isinstance(meta.get("sha256"), str)):
            problems.append(Problem("bad_payload", "汇总数据中的工作表摘要格式不对"))
            break
    return problems


def _sheets_check(payload: dict, wb: Any) -> tuple[set[str], list[Problem]]:
    """Digest every declared data sheet with the packets' hardened streaming reader (``packets.xlsxread``:
    strict numbers and references, a cell filed under its own reference, no DTDs), so that what is digested
    is what a spreadsheet shows."""
    from ..packets import xlsxread

    declared = {m["name"]: m for m in payload.get("sheets", [])}
    problems: list[Problem] = []
    zf = getattr(wb, "_archive", None)  # openpyxl's read-only workbook keeps the package open
    if zf is None:
        return set(declared), [Problem("internal_error", "无法读取汇总表的工作表")]
    try:
        refs = {r.name: r for r in xlsxread.sheets(zf)}
        sst = xlsxread.shared_strings(zf)
        for name, meta in declared.items():
            ref = refs.get(name)
            if ref is None:
                problems.append(Problem("missing_sheet", f"缺少工作表“{name}”"))
                continue
            if ref.state != "visible":
                problems.append(Problem("hidden_sheet", f"工作表“{name}”被隐藏"))
            if not ref.part.startswith("xl/worksheets/"):
                problems.append(Problem("extra_sheet", f"“{name}”不是普通工作表"))
                continue
            problem = _digest_sheet(name, meta, xlsxread.rows(zf, ref.part, sst))
            if problem:
                problems.append(problem)
    except xlsxread.XlsxError as exc:
        problems.append(Problem(exc.code, str(exc)))
    except KeyError as exc:
        problems.append(Problem("bad_workbook", f"工作簿缺少部件：{exc}"))
    return set(declared), problems


def _digest_sheet(name: str, meta: dict, found: Any) -> Problem | None:
    digest = RowDigest()
    next_row = 1
    for idx, cells in found:
        row: list[Any] = []
        for col, value, kind in cells:
            if kind != "v":
                what = "含有公式" if kind == "f" else "错误值"
                return Problem("formula" if kind == "f" else "cell_mismatch", f"{name} 第{idx}行第{col}列：{what}")
            if isinstance(value, bool | float):
                return Problem("cell_mismatch", f"{name} 第{idx}行第{col}列：签名数据中没有这种数值")
            if col > 16384:
                return Problem("extra_cells", f"{name} 第{idx}行：列号超出范围")
            while len(row) < col:
                row.append(None)
            row[col - 1] = value
        if not any(v not in (None, "") for v in row):
            continue
        if idx < next_row:
            return Problem("cell_mismatch", f"工作表“{name}”的行顺序被改动")
        while next_row < idx:  # a non-empty row where the signed sheet had none
            digest.add([])
            next_row += 1
        digest.add(row)
        next_row = idx + 1
        if digest.rows > meta["rows"]:
            break
    if digest.rows != meta["rows"] or digest.hexdigest() != meta["sha256"]:
        return Problem("cell_mismatch", f"工作表“{name}”的内容与签名数据不一致（单元格被改动、增加或删除）")
    return None


register_kind(KIND, _render, _check, None, signer_must_be_ip_bureau=True, sheets_check=_sheets_check)
