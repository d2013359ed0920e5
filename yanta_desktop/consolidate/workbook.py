"""The signed consolidated workbook (汇总表), kind ``consolidated``.

Layout: 封面 · 指标进度 (with charts) · 报送情况 · 指标来源 · one sheet per task (each unit's values) and
one per record table (all units' rows merged), every row carrying its provenance (单位, 数据包序号, 数据包指纹).

Signing, like a unit packet: ``packet/payload.json`` (canonical JSON) + ``packet/payload.sig`` +
``packet/signer.pem`` (the IP bureau's certificate). The payload holds the cover, the indicators and the
completeness matrix in full — the verifier re-renders those three sheets with :func:`render_consolidated`
and compares every cell — and, for each data sheet, its name, row count and a SHA-256 digest of its rows
(:func:`row_digest`), so a data sheet of a million rows can be streamed out and checked without ever holding
it in memory. Any edited cell changes a digest or a rendered cell; any edit to the payload breaks the signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.packager import Packager
from xlsxwriter.utility import xl_col_to_name

from .. import canonical
from ..packets.render import show
from ..packets.sheets import HEADER, NOTE, SUBTITLE, TITLE, Cell, Sheet, sheet_name
from .db import Consolidation, utc_now
from .matrix import as_period, completeness
from .measures import indicators
from .model import STATE_ZH, Cancel, Cancelled, ConsolidateResult, Progress

KIND = "consolidated"
FORMAT = "yanta-packet/1"
FP = 16  # fingerprint prefix shown on every data row (the cover has the full SHA-256)
TRANSPOSE_MAX_UNITS = 12  # a task's values sheet lists units as columns up to this many, as rows beyond


# ---- signer ------------------------------------------------------------------------------------
@dataclass
class Signer:
    """The IP bureau's signing identity: its unit key and certificate (from ``yanta_desktop.packets``)."""

    key: Any
    cert: Any

    @classmethod
    def load(cls, data_dir: Path, passphrase: str) -> Signer:
        from ..packets import pki

        return cls(pki.unit_key(Path(data_dir), passphrase), pki.unit_cert(Path(data_dir)))

    @property
    def cert_pem(self) -> bytes:
        from ..packets import pki

        return pki.cert_pem(self.cert)

    @property
    def cert_sha256(self) -> str:
        from ..packets import pki

        return pki.cert_sha256(self.cert)

    @property
    def unit_code(self) -> str:
        from ..packets import pki

        return pki.cn_of(self.cert.subject) or ""

    def sign(self, data: bytes) -> bytes:
        from ..packets.workbook import sign_payload

        return sign_payload(data, self.key)


# ---- digests -----------------------------------------------------------------------------------
def norm_row(row: Iterable[Cell]) -> list[str]:
    """A row as digested: each cell ``i<int>`` or ``s<text>`` ('' and None both empty), trailing empties dropped."""
    out = ["" if v is None or v == "" else f"i{v}" if type(v) is int else "s" + str(v) for v in row]
    while out and not out[-1]:
        out.pop()
    return out


class RowDigest:
    """SHA-256 over the rows of a sheet: cells joined by U+001F, each row ended by U+001E.

    Both separators are XML-illegal, so they can never occur inside a cell (a text with a newline cannot
    pass for two rows). About 10× cheaper than JSON per row, which matters at a million rows.
    """

    def __init__(self) -> None:
        self.h = hashlib.sha256()
        self.rows = 0

    def add(self, row: Iterable[Cell]) -> None:
        self.h.update(("\x1f".join(norm_row(row)) + "\x1e").encode("utf-8"))
        self.rows += 1

    def hexdigest(self) -> str:
        return self.h.hexdigest()


def row_digest(rows: Iterable[Iterable[Cell]]) -> tuple[int, str]:
    d = RowDigest()
    for r in rows:
        d.add(r)
    return d.rows, d.hexdigest()


# ---- the three rendered sheets -----------------------------------------------------------------
def _beijing(iso: str) -> str:
    from ..packets.render import beijing

    return beijing(iso)


def render_consolidated(payload: dict, payload_sha256: str = "", catalog: Any = None) -> list[Sheet]:
    """封面, 指标进度 and 报送情况 from the payload alone (writer and verifier both call this)."""
    per_label = payload.get("period_label", payload["period"])
    taken = {s["name"].lower() for s in payload.get("sheets", [])}
    footer = f"{payload['unit']['name']}　汇总表　{payload['period']}"
    # 封面
    src = payload["sources"]
    cover_rows: list[list[Cell]] = [
        ["雁塔区国家知识产权强县建设示范县工作 汇总表"],
        [f"{per_label}（{payload['period']}）"],
        [],
        ["汇总单位", f"{payload['unit']['name']}（{payload['unit']['code']}）"],
        ["报告期", f"{per_label}（{payload['period']}）"],
        ["生成时间", _beijing(payload["created_at"])],
        ["报送截止日期", payload["completeness"]["due"]],
        ["统计日", payload["completeness"]["today"]],
        ["工作方案", f"{payload['plan']['id']} 第{payload['plan']['version']}版"],
        ["来源数据包", len(src)],
        ["汇总台账记录", payload["records"]],
        ["签名证书指纹（SHA-256）", payload["signer_cert_sha256"]],
        [],
        ["来源数据包（每一个数字都可追溯到下列经签名核验的数据包）"],
        ["单位", "报告期", "序号", "数据包指纹（SHA-256）", "签名证书（单位代码）", "接收时间"],
    ]
    header_at = len(cover_rows) - 1
    for s in src:
        cover_rows.append([s["unit_name"], s["period"], s["seq"], s["sha256"], s["signer"], _beijing(s["received_at"])])
    cover_rows += [
        [],
        ["说明：本表由区知识产权局汇总生成，仅供阅读。权威数据是文件内经数字签名的数据（packet/payload.json）；"
         "改动任何单元格都会使核验失败。核验：yanta verify 本文件，或按用户手册用 unzip 与 openssl 核验签名。"],
    ]
    cover = Sheet(
        name="封面", rows=cover_rows, widths=[26, 14, 8, 68, 20, 28],
        styles={0: TITLE, 1: SUBTITLE, 13: SUBTITLE, header_at: HEADER, len(cover_rows) - 1: NOTE},
        freeze_rows=0, landscape=True, footer_left=footer, wrap_cols=frozenset({0}),
    )
    # 指标进度
    inds = payload["indicators"]
    periods = [p["period"] for p in inds[0]["series"]] if inds else []
    irows: list[list[Cell]] = [
        [f"指标进度（截至{per_label}）"],
        ["指标值一律由各单位报送的计数计算（比率不接受直接填写）；完成进度 = 当前值 ÷ 2026年目标 × 100%，达标计 100。"],
        ["指标", "单位", "2026年目标", "当前值", "完成进度（%）", "是否达标", "分子", "分母", "来源记录", "说明"],
    ]
    for i in inds:
        irows.append([i["name"], i["unit"], i["target_text"], i["value"] or "暂无", i.get("pct"),
                      i["met"], i["numerator"], i["denominator"] or "—", i["sources"],
                      i["definition"] + (f"\n{i['note']}" if i["note"] else "")])
    irows.append([])
    series_header_at = len(irows)
    irows.append(["完成进度（%）按报告期", *periods])
    for i in inds:
        irows.append([i["name"], *[p.get("pct") for p in i["series"]]])
    irows.append([])
    irows.append(["当前值按报告期", *periods])
    for i in inds:
        irows.append([i["name"], *[p["value"] or None for p in i["series"]]])
    ind_sheet = Sheet(
        name="指标进度", rows=irows, widths=[30, 9, 26, 11, 11, 9, 11, 11, 9, 50],
        styles={0: TITLE, 1: SUBTITLE, 2: HEADER, series_header_at: HEADER, series_header_at + len(inds) + 2: HEADER},
        freeze_rows=3, print_title_rows=3, landscape=True, footer_left=footer, wrap_cols=frozenset({0, 2, 9}),
    )
    # 报送情况
    comp = payload["completeness"]
    tasks = comp["tasks"]
    crow: list[list[Cell]] = [
        [f"报送情况（{per_label}，截止日期 {comp['due']}，统计日 {comp['today']}）"],
        ["已报送 · 逾期报送（按区知识产权局接收时间）· 未报送 · 待报送（未到截止日）· — 不适用"],
        ["单位", *[f"任务{t}" for t in tasks], "未报送任务数"],
    ]
    for _code, name, *states in comp["units"]:
        owed = sum(1 for s in states if s in ("missing", "expected"))
        crow.append([name, *[STATE_ZH[s] for s in states], owed])
    crow.append([])
    crow.append(["合计", *[f"{sum(1 for u in comp['units'] if u[2 + k] in ('received', 'late'))}/"
                          f"{sum(1 for u in comp['units'] if u[2 + k] != 'not_applicable')}" for k in range(len(tasks))]])
    crow.append([])
    crow.append(["催报名单"])
    chase_at = len(crow)
    crow.append(["单位", "逾期天数", "未报送任务"])
    for c in comp["chase"]:
        crow.append([c["unit_name"], c["days_overdue"], "、".join(f"任务{t}" for t in c["tasks"])])
    comp_sheet = Sheet(
        name="报送情况", rows=crow, widths=[24, *[7] * len(tasks), 10],
        styles={0: TITLE, 1: SUBTITLE, 2: HEADER, chase_at - 1: SUBTITLE, chase_at: HEADER},
        freeze_rows=3, print_title_rows=3, landscape=True, footer_left=footer, wrap_cols=frozenset({0}),
    )
    for s in (cover, ind_sheet, comp_sheet):
        if s.name.lower() in taken:
            raise ValueError(f"工作表名称重复：{s.name}")
    return [cover, ind_sheet, comp_sheet]


# ---- the payload -------------------------------------------------------------------------------
def _pct(value: Decimal | None, target: Decimal) -> int | None:
    """完成进度 in whole percent of the 2026 target, capped at 100 (达标 = 100)."""
    if value is None or target <= 0:
        return None
    return min(100, int(value * 100 / target))


def _decimal_text(d: Decimal | None) -> str:
    if d is None:
        return ""
    text = format(d, "f")
    return text


def _base_payload(cons: Consolidation, catalog: Any, per: Any, signer: Signer, today: dt.date | None) -> tuple[dict, list]:
    plan = catalog.plan
    matrix = completeness(cons, catalog, per, today=today)
    inds = indicators(cons, catalog, per)
    order = {u.code: i for i, u in enumerate(plan.reporting_units())}
    used: set[str] = {c.packet_sha256 for c in matrix.cells.values() if c.packet_sha256}
    used |= {s.packet_sha256 for i in inds for s in i.sources}
    used |= {p.sha256 for p in cons.packets(period=per.code, current_only=True)}
    info = {p.sha256: p for p in cons.packets() if p.sha256 in used}
    sources = sorted(info.values(), key=lambda p: (order.get(p.unit, 10**6), p.unit, p.period, p.seq))
    ip = plan.ip_bureau
    payload = {
        "format": FORMAT,
        "kind": KIND,
        "packet_id": str(uuid.uuid4()),
        "unit": {"code": ip.code, "name": ip.name},
        "period": per.code,
        "period_label": per.label,
        "seq": 1,
        "prev_sha256": "",
        "created_at": utc_now(),
        "signer_cert_sha256": signer.cert_sha256,
        "plan": {"id": plan.spec.id, "version": plan.spec.version, "sha256": plan.sha256},
        "sources": [
            {"unit": p.unit, "unit_name": p.unit_name, "period": p.period, "seq": p.seq, "sha256": p.sha256,
             "signer": p.signer or p.unit, "signer_cert_sha256": p.signer_cert_sha256, "received_at": p.received_at}
            for p in sources
        ],
        "records": sum(p.records for p in sources if p.period == per.code),
        "completeness": {
            "due": matrix.due.isoformat(),
            "today": matrix.today.isoformat(),
            "tasks": matrix.tasks,
            "units": [[u, matrix.unit_names[u], *[matrix.cells[(u, t)].state for t in matrix.tasks]] for u in matrix.units],
            "chase": [{"unit": c.unit, "unit_name": c.unit_name, "tasks": list(c.tasks), "days_overdue": c.days_overdue}
                      for c in matrix.chase],
        },
        "indicators": [
            {
                "key": i.key, "name": i.name, "unit": i.unit, "target": _decimal_text(i.target),
                "target_text": i.target_text, "definition": i.definition,
                "value": _decimal_text(i.value), "met": {True: "是", False: "否", None: "—"}[i.met],
                "numerator": _decimal_text(i.numerator), "denominator": _decimal_text(i.denominator),
                "sources": len(i.sources), "note": i.note,
                **({"pct": _pct(i.value, i.target)} if _pct(i.value, i.target) is not None else {}),
                "series": [
                    {"period": p.period, "value": _decimal_text(p.value),
                     **({"pct": _pct(p.value, i.target)} if _pct(p.value, i.target) is not None else {})}
                    for p in i.series
                ],
            }
            for i in inds
        ],
    }
    return payload, inds


# ---- data sheets (streamed) --------------------------------------------------------------------
@dataclass
class DataSheet:
    name: str
    widths: list[float]
    header_rows: int
    rows: Iterator[list[Cell]]  # title + header + data
    landscape: bool = True
    wrap_cols: frozenset[int] = frozenset()


def _show(field: Any, value: Any) -> Cell:
    return show(field, value)


def _data_sheets(cons: Consolidation, catalog: Any, per: Any, inds: list, taken: set[str]) -> Iterator[DataSheet]:
    from ..packets.render import COL_WIDTH, label_with_unit

    plan = catalog.plan
    order = [u.code for u in plan.reporting_units()]
    current = {
        unit: (sha, seq)
        for sha, unit, seq in cons.conn.execute(
            "SELECT sha256, unit, seq FROM packets WHERE period = ? AND status = 'current'", (per.code,)
        )
    }
    units = [u for u in order if u in current] + sorted(u for u in current if u not in order)
    # 指标来源
    def sources_rows() -> Iterator[list[Cell]]:
        yield ["指标来源：每个指标数字所用的数据包与字段/台账行"]
        yield ["指标", "单位", "报告期", "数据包序号", "数据包指纹", "任务", "字段/台账行", "值"]
        for i in inds:
            for s in i.sources:
                yield [i.name, plan.units[s.unit].name if s.unit in plan.units else s.unit, s.period, s.seq,
                       s.packet_sha256[:FP], s.task, s.where, s.value]

    yield DataSheet(sheet_name("指标来源", taken), [28, 22, 9, 9, 18, 6, 30, 30], 2, sources_rows())
    for task in sorted(plan.tasks):
        have = [
            u for u in units
            if cons.conn.execute("SELECT 1 FROM entries WHERE packet = ? AND task = ?", (current[u][0], task)).fetchone()
        ]
        if not have:
            continue
        form = catalog.form(task)
        title = plan.tasks[task].title
        fields = form.fields()

        vals_by_unit = {
            u: {k: json.loads(v) for k, v in cons.conn.execute(
                "SELECT field, value FROM field_values WHERE packet = ? AND task = ?", (current[u][0], task))}
            for u in have
        }
        used = [f for f in fields if any(f.key in v for v in vals_by_unit.values())]  # drop all-empty columns
        uname = {u: plan.units[u].name if u in plan.units else u for u in have}
        if len(have) <= TRANSPOSE_MAX_UNITS:
            # few units: one column per unit, one row per field — reads and prints like the paper form
            def value_rows(task=task, have=have, used=used, title=title, vals=vals_by_unit, uname=uname) -> Iterator[list[Cell]]:
                yield [f"任务{task}：{title}（{per.label}，{len(have)} 个单位）"]
                yield ["项目", "计量单位", *[uname[u] for u in have]]
                yield ["数据包序号", None, *[current[u][1] for u in have]]
                yield ["数据包指纹", None, *[current[u][0][:FP] for u in have]]
                for f in used:
                    yield [f.label, f.unit, *[_show(f, vals[u].get(f.key)) for u in have]]

            yield DataSheet(
                sheet_name(f"任务{task:02d} {title}", taken),
                [28, 8, *[26 if any(f.type.value == "textarea" for f in used) else 18 for _ in have]],
                4, value_rows(), landscape=len(have) > 3,
                wrap_cols=frozenset(range(0, 2 + len(have))),
            )
        else:
            def value_rows(task=task, have=have, used=used, title=title, vals=vals_by_unit, uname=uname) -> Iterator[list[Cell]]:
                yield [f"任务{task}：{title}（{per.label}，{len(have)} 个单位）"]
                yield ["单位", "数据包序号", "数据包指纹", *[label_with_unit(f) for f in used]]
                for u in have:
                    sha, seq = current[u]
                    yield [uname[u], seq, sha[:FP], *[_show(f, vals[u].get(f.key)) for f in used]]

            yield DataSheet(
                sheet_name(f"任务{task:02d} {title}", taken),
                [22, 8, 18, *[min(max(COL_WIDTH[f.type], len(f.label) + 4), 40) for f in used]],
                2, value_rows(),
                wrap_cols=frozenset(3 + i for i, f in enumerate(used) if f.type.value == "textarea"),
            )
        for table in form.tables:
            n = 0
            for u in have:
                n += cons.conn.execute(
                    "SELECT count(*) FROM records WHERE packet = ? AND task = ? AND tbl = ?", (current[u][0], task, table.key)
                ).fetchone()[0]
            if not n:
                continue
            cols = table.columns

            def table_rows(task=task, have=have, table=table, cols=cols, n=n) -> Iterator[list[Cell]]:
                yield [f"任务{task} {table.title}（{per.label}，{n} 条记录）"]
                yield ["单位", "数据包序号", "数据包指纹", "原行号", *[label_with_unit(c) for c in cols]]
                for u in have:
                    sha, seq = current[u]
                    name = plan.units[u].name if u in plan.units else u
                    fp = sha[:FP]
                    for rowno, data in cons.conn.execute(
                        "SELECT rowno, data FROM records WHERE packet = ? AND task = ? AND tbl = ? ORDER BY rowno",
                        (sha, task, table.key),
                    ):
                        row = json.loads(data)
                        yield [name, seq, fp, rowno, *[show(c, row.get(c.key)) for c in cols]]

            yield DataSheet(
                sheet_name(f"任务{task:02d}·{table.title}", taken),
                [22, 8, 18, 7, *[max(COL_WIDTH[c.type], min(len(c.label) * 2 + 2, 30)) for c in cols]],
                2, table_rows(),
                wrap_cols=frozenset(4 + i for i, c in enumerate(cols) if c.type.value == "textarea"),
            )


# ---- writing -----------------------------------------------------------------------------------
class _ConsWorkbook(xlsxwriter.Workbook):
    """xlsxwriter in constant_memory mode (rows streamed to temp files) + the packet parts at close."""

    def __init__(self, target: Any) -> None:
        super().__init__(
            target,
            {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
             "strings_to_urls": False, "use_future_functions": False},
        )
        self.parts: list[tuple[str, bytes]] = []

    def _get_packager(self):
        return _FilePackager(self.parts)


class _FilePackager(Packager):
    """The packet parts for xlsxwriter's temp-file (constant_memory) mode: the same content types and
    package relationships as ``packets.workbook._PacketPackager`` (which handles in-memory mode)."""

    def __init__(self, parts: list[tuple[str, bytes]]) -> None:
        super().__init__()
        self._extra_parts = parts

    def _create_package(self):
        from ..packets.workbook import _PacketPackager

        patcher = _PacketPackager(self._extra_parts)
        files = list(super()._create_package())
        for handle, name, _ in files:
            if name in ("[Content_Types].xml", "_rels/.rels"):
                p = Path(handle)
                text = p.read_text("utf-8")
                p.write_text(patcher._patch_types(text) if name.startswith("[") else patcher._patch_rels(text), "utf-8")
        for name, data in self._extra_parts:
            fd, tmp = tempfile.mkstemp(dir=self.tmpdir)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            files.append((tmp, name, True))
        return files


def _sheet_setup(ws: Any, widths: list[float], freeze: int, landscape: bool, footer: str) -> None:
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    if freeze:
        ws.freeze_panes(freeze, 0)
        ws.repeat_rows(0, freeze - 1)
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
    ws.set_footer(f"&L{footer.replace('&', '&&')}&R第 &P 页，共 &N 页")


def _lines(text: str, width: float) -> int:
    """Printed lines a wrapped cell needs (CJK characters count double)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return max(1, -(-units // max(int(width * 1.1), 1)) + text.count("\n"))


def _write_rows(ws: Any, fmt: dict, rows: Iterable[list[Cell]], styles: dict[int, str], wrap_cols: frozenset[int],
                digest: RowDigest | None = None, cancel: Cancel | None = None, widths: list[float] | None = None) -> int:
    text, wrap, num = fmt["text"], fmt["wrap"], fmt["int"]
    write_string, write_number = ws.write_string, ws.write_number
    r = -1
    for r, row in enumerate(rows):
        if widths and wrap_cols and r not in styles:
            n = max((_lines(str(row[c]), widths[c]) for c in wrap_cols if c < len(row) and c < len(widths) and row[c]),
                    default=1)
            if n > 1:
                ws.set_row(r, min(15 * n, 300))
        if digest is not None:
            digest.add(row)
            if cancel and r % 20000 == 0 and cancel():
                raise Cancelled("生成汇总表已取消，未写出文件。")
        style = styles.get(r)
        row_fmt = fmt[style] if style else None
        for c, value in enumerate(row):
            if value is None or value == "":
                if row_fmt is not None:
                    ws.write_blank(r, c, None, row_fmt)
                continue
            if isinstance(value, int) and not isinstance(value, bool):
                write_number(r, c, value, row_fmt or num)
            else:
                write_string(r, c, str(value), row_fmt or (wrap if c in wrap_cols else text))
    return r + 1



# ---- streamed data sheets ----------------------------------------------------------------------
_COLS = [xl_col_to_name(i) for i in range(16384)]
_NEEDS_ESC = re.compile(r"[&<>\r]")
_EDGE_SPACE = re.compile(r"^\s|\s$|\n")


def _esc(text: str) -> str:
    if _NEEDS_ESC.search(text):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return text


def _raw_sheet_data(path: Path, rows: Iterable[list[Cell]], fmt: dict, wrap_cols: frozenset[int], widths: list[float],
                    digest: RowDigest, cancel: Cancel | None, header_rows: int = 2) -> int:
    """Write ``<sheetData>`` for these rows straight to a file (inline strings with the quotePrefix text style,
    integers as numbers): about 10× faster than going cell by cell through xlsxwriter. Returns the column count."""
    s_text, s_wrap, s_int = fmt["text"]._get_xf_index(), fmt["wrap"]._get_xf_index(), fmt["int"]._get_xf_index()
    s_title, s_header = fmt[TITLE]._get_xf_index(), fmt[HEADER]._get_xf_index()
    cols = _COLS
    n_cols = 0
    buf: list[str] = []
    add = digest.add
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("<sheetData>")
        for r, row in enumerate(rows):
            add(row)
            rn = r + 1
            style = s_title if r == 0 else s_header if r < header_rows else None
            cells = []
            height = 1
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, int) and not isinstance(v, bool):
                    cells.append(f'<c r="{cols[c]}{rn}" s="{style or s_int}"><v>{v}</v></c>')
                    continue
                v = str(v)
                st = style or (s_wrap if c in wrap_cols else s_text)
                if st == s_wrap and c < len(widths):
                    height = max(height, _lines(v, widths[c]))
                space = ' xml:space="preserve"' if _EDGE_SPACE.search(v) else ""
                cells.append(f'<c r="{cols[c]}{rn}" s="{st}" t="inlineStr"><is><t{space}>{_esc(v)}</t></is></c>')
            if len(row) > n_cols:
                n_cols = len(row)
            ht = f' ht="{min(15 * height, 300)}" customHeight="1"' if height > 1 else ""
            buf.append(f'<row r="{rn}"{ht}>{"".join(cells)}</row>')
            if len(buf) >= 2000:
                fh.write("".join(buf))
                buf.clear()
                if cancel and cancel():
                    raise Cancelled("生成汇总表已取消，未写出文件。")
        fh.write("".join(buf))
        fh.write("</sheetData>")
    return n_cols


def _splice(book: Path, fh: Any, raw: dict[str, Path]) -> None:
    """Copy the xlsxwriter package into ``fh``, replacing the <sheetData> of the streamed sheets."""
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename not in raw:
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
                continue
            xml = data.decode("utf-8")
            m = re.search(r"<sheetData/>|<sheetData>.*?</sheetData>", xml, re.S)
            if m is None:
                raise RuntimeError(f"{info.filename}: no sheetData")
            zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi._compresslevel = 1  # type: ignore[attr-defined]  # big and repetitive: level 1 is 3× faster, ~15 % larger
            with zout.open(zi, "w", force_zip64=True) as w, raw[info.filename].open("rb") as src:
                w.write(xml[: m.start()].encode("utf-8"))
                shutil.copyfileobj(src, w, 1 << 20)
                w.write(xml[m.end():].encode("utf-8"))


def _charts(wb: Any, ws: Any, payload: dict, sheet: Sheet) -> None:
    inds = payload["indicators"]
    if not inds:
        return
    periods = [p["period"] for p in inds[0]["series"]]
    top = next(i for i, r in enumerate(sheet.rows) if r and r[0] == "完成进度（%）按报告期")
    name = sheet.name
    bar = wb.add_chart({"type": "bar"})
    bar.add_series({
        "name": "完成进度（%）",
        "categories": [name, 3, 0, 2 + len(inds), 0],
        "values": [name, 3, 4, 2 + len(inds), 4],
        "data_labels": {"value": True},
        "fill": {"color": "#5B9BD5"},
    })
    bar.set_title({"name": "各指标完成进度（占2026年目标 %）", "name_font": {"size": 11}})
    bar.set_x_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True}})
    bar.set_y_axis({"reverse": True})
    bar.set_legend({"none": True})
    bar.set_size({"width": 560, "height": 300})
    anchor = top + 2 * len(inds) + 5
    ws.insert_chart(anchor, 0, bar)
    if len(periods) > 1:
        line = wb.add_chart({"type": "line"})
        for k in range(len(inds)):
            line.add_series({
                "name": [name, top + 1 + k, 0],
                "categories": [name, top, 1, top, len(periods)],
                "values": [name, top + 1 + k, 1, top + 1 + k, len(periods)],
                "marker": {"type": "circle", "size": 5},
            })
        line.set_title({"name": "完成进度变化（%）", "name_font": {"size": 11}})
        line.set_y_axis({"min": 0, "max": 100})
        line.set_legend({"position": "bottom"})
        line.set_size({"width": 560, "height": 300})
        ws.insert_chart(anchor, 4, line, {"x_offset": 40})


def consolidate_workbook(
    cons: Consolidation,
    catalog: Any,
    period: Any,
    out: Path,
    signer: Signer,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    today: dt.date | None = None,
) -> ConsolidateResult:
    from ..packets.atomic import write_atomic_with
    from ..packets.workbook import _formats, packet_parts

    t0 = time.perf_counter()
    per = as_period(catalog, period)
    if progress:
        progress(0, 4, "计算报送情况与指标")
    payload, inds = _base_payload(cons, catalog, per, signer, today)
    last = cons.conn.execute("SELECT seq, sha256 FROM outputs ORDER BY seq DESC LIMIT 1").fetchone()
    payload["seq"], payload["prev_sha256"] = (last[0] + 1, last[1]) if last else (1, "")
    fixed = ["封面", "指标进度", "报送情况"]
    taken = {n.lower() for n in fixed}
    sheets_meta: list[dict] = []
    result: dict[str, Any] = {}

    def write(fh: Any) -> None:
        with tempfile.TemporaryDirectory(prefix=".yanta-cons-", dir=Path(out).parent) as tmp:
            book = Path(tmp) / "book.xlsx"
            wb = _ConsWorkbook(str(book))
            fmt = _formats(wb)
            # the three rendered sheets first (their content does not depend on the data-sheet digests)
            rendered = render_consolidated({**payload, "sheets": []})
            footer = f"{payload['unit']['name']}　汇总表　{payload['period']}"
            for s in rendered:
                ws = wb.add_worksheet(s.name)
                _sheet_setup(ws, s.widths, s.freeze_rows, s.landscape, footer)
                _write_rows(ws, fmt, s.rows, s.styles, s.wrap_cols, widths=s.widths)
                if s.name == "指标进度":
                    _charts(wb, ws, payload, s)
                if s.name == "报送情况":
                    n_units = len(payload["completeness"]["units"])
                    n_tasks = len(payload["completeness"]["tasks"])
                    for label, color in (("未报送", "#F8CBAD"), ("逾期报送", "#FFE699"), ("已报送", "#C6EFCE"), ("待报送", "#DDEBF7")):
                        ws.conditional_format(3, 1, 2 + n_units, n_tasks, {
                            "type": "cell", "criteria": "==", "value": f'"{label}"',
                            "format": wb.add_format({"bg_color": color}),
                        })
            if progress:
                progress(1, 4, "写出各任务汇总表")
            raw: dict[str, Path] = {}
            for ds in _data_sheets(cons, catalog, per, inds, taken):
                if cancel and cancel():
                    raise Cancelled("生成汇总表已取消，未写出文件。")
                ws = wb.add_worksheet(ds.name)
                _sheet_setup(ws, ds.widths, ds.header_rows, ds.landscape, footer)
                digest = RowDigest()
                member = f"xl/worksheets/sheet{len(wb.worksheets())}.xml"
                data_file = Path(tmp) / f"{len(wb.worksheets())}.sheetdata"
                n_cols = _raw_sheet_data(data_file, ds.rows, fmt, ds.wrap_cols, ds.widths, digest, cancel, ds.header_rows)
                # xlsxwriter writes the sheet's frame (columns, panes, print setup, filter, dimension);
                # its <sheetData> is replaced by the streamed rows when the package is spliced below
                ws.write_blank(0, 0, None, fmt["text"])
                ws.write_blank(max(digest.rows - 1, 1), max(n_cols - 1, 0), None, fmt["text"])
                if ds.header_rows == 2:
                    ws.autofilter(1, 0, max(digest.rows - 1, 1), max(n_cols, len(ds.widths)) - 1)
                raw[member] = data_file
                sheets_meta.append({"name": ds.name, "rows": digest.rows, "sha256": digest.hexdigest()})
                if progress:
                    progress(2, 4, f"已写出“{ds.name}”（{digest.rows - 2} 行）")
            payload["sheets"] = sheets_meta
            body = canonical.dumps(payload)
            result["sha"] = hashlib.sha256(body).hexdigest()
            if progress:
                progress(3, 4, "签名并保存")
            wb.parts = packet_parts(body, signer.sign(body), signer.cert_pem)
            wb.close()
            _splice(book, fh, raw)

    write_atomic_with(Path(out), write)
    cons.conn.execute(
        "INSERT INTO outputs VALUES (?,?,?,?,?,?,?,?)",
        (payload["seq"], per.code, result["sha"], payload["prev_sha256"], str(out), payload["created_at"],
         len(payload["sources"]), payload["records"]),
    )
    if progress:
        progress(4, 4, f"汇总表已保存：{out}")
    return ConsolidateResult(
        path=Path(out), period=per.code, payload_sha256=result["sha"], packets=len(payload["sources"]),
        records=payload["records"], sheets=tuple(fixed + [m["name"] for m in sheets_meta]),
        seconds=round(time.perf_counter() - t0, 3),
    )


def check_data_sheets(payload: dict, read_rows: Any) -> list[str]:
    """Compare each data sheet's cells with its signed digest. ``read_rows(name)`` → iterator of row values
    (or None when the sheet is absent). Returns Chinese problems (empty when all match)."""
    problems = []
    for meta in payload.get("sheets", []):
        rows = read_rows(meta["name"])
        if rows is None:
            problems.append(f"缺少工作表“{meta['name']}”")
            continue
        n, digest = row_digest(rows)
        if n != meta["rows"] or digest != meta["sha256"]:
            problems.append(f"工作表“{meta['name']}”的内容与签名数据不一致（可能被改动过）")
    return problems
