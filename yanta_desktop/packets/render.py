"""Render a unit packet's payload into sheets (cover + one sheet per task + one per record table)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..forms.model import FieldSpec, FieldType
from .sheets import HEADER, NOTE, SECTION, SUBTITLE, TITLE, Cell, Sheet, sheet_name, text_width

COL_WIDTH = {
    FieldType.integer: 12,
    FieldType.decimal: 14,
    FieldType.text: 24,
    FieldType.textarea: 40,
    FieldType.date: 12,
    FieldType.choice: 14,
    FieldType.multichoice: 24,
    FieldType.boolean: 8,
    FieldType.uscc: 22,
    FieldType.phone: 16,
}


class RenderError(ValueError):
    """The payload cannot be rendered (unknown form, malformed structure)."""


def show(field: FieldSpec, value: Any) -> Cell:
    """How a stored value looks in a cell: integers as numbers, everything else as text."""
    if value is None:
        return None
    if field.type == FieldType.integer and isinstance(value, int) and not isinstance(value, bool):
        return value
    if field.type == FieldType.boolean and isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def period_label(code: str) -> str:
    from ..plan.periods import parse_period

    try:
        return f"{parse_period(code).label}（{code}）"
    except ValueError:
        return code


def beijing(iso: str) -> str:
    """'2026-01-10T08:00:00Z' → '2026-01-10 16:00:00（北京时间）'; other text unchanged."""
    try:
        t = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return str(iso)
    if t.tzinfo is None:
        return str(iso)
    return (t.astimezone(dt.timezone(dt.timedelta(hours=8)))).strftime("%Y-%m-%d %H:%M:%S") + "（北京时间）"


def label_with_unit(field: FieldSpec) -> str:
    return f"{field.label}（{field.unit}）" if field.unit else field.label


def form_for(catalog: Any, ident: dict) -> Any:
    """The form with exactly this identity (current or an archived released version), or RenderError."""
    if not isinstance(ident, dict):
        raise RenderError(f"未知的表单 {ident}")
    form_id, version, sha = ident.get("id"), ident.get("version"), ident.get("sha256")
    form = None
    if isinstance(form_id, str) and isinstance(version, int) and isinstance(sha, str) and set(ident) == {"id", "version", "sha256"}:
        form = catalog.form_version(form_id, version, sha)
    if form is None:
        raise RenderError(
            f"表单 {form_id} 第{version}版（{str(sha)[:12]}）不是本机已知的表单版本"
            "（请升级雁塔知识产权强县填报后再核验）"
        )
    return form


def _fit_widths(sheet: Sheet, sample: int, cap: int = 26) -> None:
    """Widen columns to the header and the first ``sample`` rows (bounded work for big tables);
    columns that would be wider than ``cap`` wrap instead, so a wide table still prints legibly."""
    wrap = set(sheet.wrap_cols)
    for row in sheet.rows[1 : sample + 2]:
        for c, v in enumerate(row):
            if isinstance(v, str) and c < len(sheet.widths) and c not in sheet.wrap_cols:
                want = text_width(v) + 2
                if want > cap:
                    wrap.add(c)
                sheet.widths[c] = min(max(sheet.widths[c], want), cap)
    sheet.wrap_cols = frozenset(wrap)


def render_unit(payload: dict, payload_sha256: str, catalog: Any) -> list[Sheet]:
    try:
        return _render_unit(payload, payload_sha256, catalog)
    except RenderError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise RenderError(f"数据结构不完整：{exc!r}") from None


def _render_unit(payload: dict, payload_sha256: str, catalog: Any) -> list[Sheet]:
    unit, period = payload["unit"], payload["period"]
    unit_code, unit_name = unit["code"], unit["name"]
    footer = f"{unit_name}　{period}"
    taken: set[str] = set()
    cover_name = sheet_name("封面", taken)
    sheets: list[Sheet] = []
    index_rows: list[list[Cell]] = []
    n_rows = n_evidence = 0
    for entry in payload["entries"]:
        form = form_for(catalog, entry["form"])
        task = catalog.task(form.task)
        in_scope = lambda codes: catalog.plan.in_scope(unit_code, codes)  # noqa: E731
        values, tables, evidence = entry.get("values", {}), entry.get("tables", {}), entry.get("evidence", [])
        title = f"任务{form.task:02d} {task.title}"
        main = Sheet(
            name=sheet_name(title, taken),
            rows=[
                [f"任务{form.task}：{task.title}"],
                [f"{unit_name}　{period_label(period)}　表单 {form.id} 第{form.version}版　定稿于 {beijing(entry['finalised_at'])}"],
                ["项目", "填报值", "单位"],
            ],
            widths=[36, 60, 12],
            styles={0: TITLE, 1: SUBTITLE, 2: HEADER},
            freeze_rows=3,
            print_title_rows=3,
            wrap_cols=frozenset({0, 1}),
            footer_left=footer,
        )
        for section in form.sections:
            if not in_scope(section.visible_to):
                continue
            fields = [f for f in section.fields if in_scope(f.visible_to)]
            if not fields:
                continue
            main.styles[len(main.rows)] = SECTION
            main.rows.append([section.title])
            for f in fields:
                main.rows.append([f.label, show(f, values.get(f.key)), f.unit])
        table_sheets: list[Sheet] = []
        for table in form.tables:
            rows = tables.get(table.key, [])
            if not in_scope(table.visible_to) and not rows:
                continue
            cols = table.columns
            main.rows.append([f"{table.title}：{len(rows)} 条记录，见工作表“{{{table.key}}}”"])
            t = Sheet(
                name=sheet_name(f"任务{form.task:02d}·{table.title}", taken),
                rows=[[f"任务{form.task} {table.title}（{unit_name}　{period}）"], ["序号", *[label_with_unit(c) for c in cols]]],
                widths=[7, *[max(COL_WIDTH[c.type], min(len(c.label) * 2 + 2, 16)) for c in cols]],
                styles={0: TITLE, 1: HEADER},
                freeze_rows=2,
                print_title_rows=2,
                landscape=len(cols) > 5,
                wrap_cols=frozenset(i + 1 for i, c in enumerate(cols) if c.type == FieldType.textarea),
                footer_left=footer,
            )
            for i, row in enumerate(rows, start=1):
                t.rows.append([i, *[show(c, row.get(c.key)) for c in cols]])
            _fit_widths(t, sample=200, cap=26 if len(cols) <= 6 else 18)
            n_rows += len(rows)
            table_sheets.append(t)
            # the pointer row names the sheet; fill the name now that it is final
            main.rows[-1] = [f"{table.title}：{len(rows)} 条记录，见工作表“{t.name}”"]
        if evidence:
            main.rows.append([])
            main.styles[len(main.rows)] = SECTION
            main.rows.append(["佐证材料"])
            main.styles[len(main.rows)] = HEADER
            main.rows.append(["文件名", "类别 / 说明 / SHA-256", "大小（字节）"])
            for ev in evidence:
                about = "；".join(x for x in (ev.get("kind", ""), ev.get("note", "")) if x)
                main.rows.append([ev["name"], f"{about}\nSHA-256：{ev['sha256']}" if about else f"SHA-256：{ev['sha256']}", ev["size"]])
            n_evidence += len(evidence)
        sheets.append(main)
        sheets.extend(table_sheets)
        index_rows.append(
            [f"任务{form.task}", task.title, f"{form.id} 第{form.version}版", beijing(entry["finalised_at"]), main.name,
             sum(len(tables.get(t.key, [])) for t in form.tables), len(evidence)]
        )
    contact = payload.get("contact", {})
    audit = payload.get("audit_head", {})
    plan = payload.get("plan", {})
    cover_rows: list[list[Cell]] = [
        ["雁塔区知识产权强县建设工作 报送数据包"],
        [f"{unit_name}　{period_label(period)}"],
        [],
        ["填报单位", f"{unit_name}（{unit_code}）"],
        ["报告期", period_label(period)],
        ["导出时间", beijing(payload["created_at"])],
        ["数据包序号", f"第 {payload['seq']} 号"],
        ["上一数据包指纹", payload["prev_sha256"] or "（首个数据包）"],
        ["数据包指纹（SHA-256）", payload_sha256],
        ["签名证书指纹（SHA-256）", payload["signer_cert_sha256"]],
        ["本机审计日志", f"第 {audit.get('seq', 0)} 条　{audit.get('sha256', '')}"],
        ["工作方案", f"{plan.get('id', '')} 第{plan.get('version', '')}版"],
        ["任务数", f"{len(payload['entries'])} 项"],
        ["台账记录数", f"{n_rows} 条"],
        ["佐证材料", f"{n_evidence} 份"],
        ["填报人", contact.get("filled_by") or None],
        ["联系电话", contact.get("phone") or None],
        [],
        ["任务", "任务名称", "表单", "定稿时间", "工作表", "台账记录", "佐证材料"],
        *index_rows,
        [],
        ["说明：本表仅供阅读。权威数据是文件内经数字签名的数据（packet/payload.json）；改动任何单元格都会使校验失败。"],
        ["核验方法：在雁塔填报软件中“核验数据包”，或按用户手册“不使用雁塔填报软件核验数据包”用 unzip 与 openssl 核验。"],
    ]
    header_at = 18
    cover = Sheet(
        name=cover_name,
        rows=cover_rows,
        widths=[24, 30, 14, 30, 30, 9, 9],
        styles={0: TITLE, 1: SUBTITLE, header_at: HEADER, len(cover_rows) - 2: NOTE, len(cover_rows) - 1: NOTE},
        freeze_rows=0,
        landscape=True,
        footer_left=footer,
    )
    return [cover, *sheets]
