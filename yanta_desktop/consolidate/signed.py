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
    from openpyxl.worksheet._reader import WorkSheetParser

    declared = {m["name"]: m for m in payload.get("sheets", [])}
    problems: list[Problem] = []
    names = set(wb.sheetnames)
    for name, meta in declared.items():
        if name not in names:
            problems.append(Problem("missing_sheet", f"缺少工作表“{name}”"))
            continue
        ws = wb[name]
        if getattr(ws, "sheet_state", "visible") != "visible":
            problems.append(Problem("hidden_sheet", f"工作表“{name}”被隐藏"))
        if not hasattr(ws, "_get_source"):
            problems.append(Problem("extra_sheet", f"“{name}”不是普通工作表"))
            continue
        digest = RowDigest()
        bad = False
        next_row = 1
        with ws._get_source() as src:
            parser = WorkSheetParser(src, ws._shared_strings, data_only=False, epoch=wb.epoch,
                                     date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
            for idx, cells in parser.parse():
                row: list[Any] = []
                for cell in cells:
                    if cell["data_type"] in ("f", "e"):
                        kind = "含有公式" if cell["data_type"] == "f" else "错误值"
                        problems.append(Problem("formula" if cell["data_type"] == "f" else "cell_mismatch",
                                                f"{name} 第{idx}行第{cell['column']}列：{kind}"))
                        bad = True
                        break
                    col = cell["column"]
                    if col > 16384:
                        bad = True
                        break
                    while len(row) < col:
                        row.append(None)
                    value = cell["value"]
                    if isinstance(value, float) and value.is_integer():
                        value = int(value)
                    row[col - 1] = value
                if bad:
                    break
                if not any(v not in (None, "") for v in row):
                    continue
                while next_row < idx:  # a non-empty row where the signed sheet had none
                    digest.add([])
                    next_row += 1
                digest.add(row)
                next_row = idx + 1
                if digest.rows > meta["rows"]:
                    break
        if not bad and (digest.rows != meta["rows"] or digest.hexdigest() != meta["sha256"]):
            problems.append(Problem("cell_mismatch", f"工作表“{name}”的内容与签名数据不一致（单元格被改动、增加或删除）"))
    return set(declared), problems


register_kind(KIND, _render, _check, None, signer_must_be_ip_bureau=True, sheets_check=_sheets_check)
