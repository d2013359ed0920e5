"""版本比对: field-by-field differences between two stored packets."""

from __future__ import annotations

from typing import Any

from ..errors import YantaError
from .db import Consolidation
from .model import FieldDiff


def _labels(catalog: Any, task: int) -> tuple[dict[str, str], dict[str, str], dict[tuple[str, str], str]]:
    fields: dict[str, str] = {}
    tables: dict[str, str] = {}
    cols: dict[tuple[str, str], str] = {}
    if catalog is None:
        return fields, tables, cols
    try:
        form = catalog.form(task)
    except Exception:
        return fields, tables, cols
    for f in form.fields():
        fields[f.key] = f.label
    for t in form.tables:
        tables[t.key] = t.title
        for c in t.columns:
            cols[(t.key, c.key)] = c.label
    return fields, tables, cols


def packet_diff(cons: Consolidation, a_sha: str, b_sha: str, catalog: Any = None) -> list[FieldDiff]:
    a = cons.payload(a_sha)
    b = cons.payload(b_sha)
    if a is None or b is None:
        missing = a_sha if a is None else b_sha
        raise YantaError(f"找不到指纹为 {missing[:12]} 的数据包，请先导入。")
    ea = {e["task"]: e for e in a.get("entries", [])}
    eb = {e["task"]: e for e in b.get("entries", [])}
    out: list[FieldDiff] = []
    for task in sorted(set(ea) | set(eb)):
        fl, tl, cl = _labels(catalog, task)
        x, y = ea.get(task), eb.get(task)
        if x is None or y is None:
            out.append(FieldDiff(task, "", f"任务{task}", "added" if x is None else "removed"))
            continue
        va, vb = x.get("values", {}), y.get("values", {})
        for k in sorted(set(va) | set(vb), key=lambda k: list(fl).index(k) if k in fl else 10**6):
            if va.get(k) != vb.get(k):
                change = "added" if k not in va else "removed" if k not in vb else "changed"
                out.append(FieldDiff(task, k, f"任务{task} {fl.get(k, k)}", change, va.get(k), vb.get(k)))
        ta, tb = x.get("tables", {}), y.get("tables", {})
        for tk in sorted(set(ta) | set(tb)):
            ra, rb = ta.get(tk, []), tb.get(tk, [])
            for i in range(max(len(ra), len(rb))):
                where = f"{tk}[{i + 1}]"
                label = f"任务{task} {tl.get(tk, tk)} 第{i + 1}行"
                if i >= len(ra):
                    out.append(FieldDiff(task, where, label, "added", None, rb[i]))
                elif i >= len(rb):
                    out.append(FieldDiff(task, where, label, "removed", ra[i], None))
                else:
                    for ck in sorted(set(ra[i]) | set(rb[i])):
                        if ra[i].get(ck) != rb[i].get(ck):
                            change = "added" if ck not in ra[i] else "removed" if ck not in rb[i] else "changed"
                            out.append(FieldDiff(task, f"{where}.{ck}", f"{label} {cl.get((tk, ck), ck)}", change,
                                                 ra[i].get(ck), rb[i].get(ck)))
        if x.get("evidence", []) != y.get("evidence", []):
            sa = {e["sha256"]: e.get("name", "") for e in x.get("evidence", [])}
            sb = {e["sha256"]: e.get("name", "") for e in y.get("evidence", [])}
            for sha in sorted(set(sa) | set(sb)):
                if sha not in sa:
                    out.append(FieldDiff(task, "evidence", f"任务{task} 佐证材料", "added", None, sb[sha]))
                elif sha not in sb:
                    out.append(FieldDiff(task, "evidence", f"任务{task} 佐证材料", "removed", sa[sha], None))
    return out
