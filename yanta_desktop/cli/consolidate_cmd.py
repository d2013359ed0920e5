"""``yanta import | status | indicators | consolidate | diff | quarantine | demo`` — the IP bureau's consolidation.

``--json`` shapes (stable; documented in README.md):

* ``import --json``      → ``{"outcomes": [ImportOutcome...], "summary": {outcome: n}}``
* ``status --json``      → ``Matrix.to_json()``
* ``indicators --json``  → ``{"period": P, "indicators": [IndicatorValue...]}``
* ``consolidate --json`` → ``ConsolidateResult.to_json()``
* ``diff --json``        → ``{"a": sha, "b": sha, "differences": [FieldDiff...]}``
* ``quarantine --json``  → ``{"items": [QuarantineItem...]}``
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from .. import paths
from ..errors import YantaError
from . import print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="区知识产权局：核验并导入数据包（文件或文件夹），判定接收/重复/替换/过期/冲突/拒收")
    p.add_argument("paths", nargs="+", help="数据包 .xlsx 文件或文件夹（递归查找 .xlsx）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--workers", type=int, default=0, help="并行核验的进程数（默认：50 个文件以上用 2 个，否则 1 个）")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("status", help="区知识产权局：某报告期的报送情况（单位 × 任务）与催报名单")
    p.add_argument("--period", required=True, help="报告期，如 2025Q4、2025H2、2025")
    p.add_argument("--today", help="统计日（YYYY-MM-DD，默认今天）")
    p.add_argument("--chase-out", help="把催报名单写成 .xlsx")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("indicators", help="区知识产权局：方案指标的进度（由已接收的数据计算）")
    p.add_argument("--period", required=True)
    p.add_argument("--sources", action="store_true", help="列出每个数字的来源（数据包、字段、台账行）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("consolidate", help="区知识产权局：生成签名的汇总表（.xlsx）")
    p.add_argument("--period", required=True)
    p.add_argument("--out", required=True, help="输出文件，如 汇总表_2025Q4.xlsx")
    p.add_argument("--today", help="报送情况的统计日（YYYY-MM-DD，默认今天）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_consolidate)

    p = sub.add_parser("diff", help="比较同一单位两个版本的数据包（按数据包指纹，可只写前几位）")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("quarantine", help="列出被拒收（隔离）的文件及原因")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_quarantine)

    p = sub.add_parser("demo", help="一条命令生成一个完整的示范区县：根证书、各单位、填报、数据包、导入与汇总")
    p.add_argument("--out", required=True, help="输出目录（须为空或不存在）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_demo)


def _open(args: argparse.Namespace):
    from ..catalog import load_catalog
    from ..consolidate import Consolidation

    dd = paths.data_dir(args.data_dir)
    return dd, Consolidation.open(dd), load_catalog()


def _today(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise YantaError(f"日期格式不对：“{text}”，应为 YYYY-MM-DD") from None


def cmd_import(args: argparse.Namespace) -> int:
    from ..consolidate.ledger import import_paths
    from ..packets import TrustStore

    dd, cons, catalog = _open(args)
    missing = [p for p in args.paths if not Path(p).exists()]
    try:
        trust = TrustStore.load(dd)

        def progress(done: int, total: int, message: str) -> None:
            if not args.json and sys.stderr.isatty():
                sys.stderr.write(f"\r[{done}/{total}] {message[:60]}\033[K")

        workers = args.workers
        if workers <= 0:
            from ..consolidate.ledger import expand

            workers = min(2, os.cpu_count() or 1) if len(expand(Path(p) for p in args.paths)) >= 50 else 1
        outcomes = import_paths(cons, [Path(p) for p in args.paths], trust, catalog, progress=progress, workers=workers)
    finally:
        cons.close()
    if not args.json and sys.stderr.isatty():
        sys.stderr.write("\n")
    summary: dict[str, int] = {}
    for o in outcomes:
        summary[o.outcome] = summary.get(o.outcome, 0) + 1
    if args.json:
        print_json({"outcomes": [o.to_json() for o in outcomes], "summary": summary})
    else:
        for o in outcomes:
            who = f"{o.unit or '?'} {o.period or ''} 第{o.seq}号" if o.seq is not None else ""
            line = f"{o.label}：{o.path.name}　{who}"
            if o.reason:
                line += f"\n    {o.reason}"
            if o.quarantine_path:
                line += f"\n    已隔离：{o.quarantine_path}"
            sys.stdout.write(line + "\n")
        zh = {"accepted": "接收", "supersedes": "替换", "duplicate": "重复", "stale": "过期", "fork": "冲突", "rejected": "拒收"}
        sys.stdout.write("合计：" + "，".join(f"{zh[k]} {v}" for k, v in summary.items()) + "\n")
    for p in missing:
        sys.stderr.write(f"错误：找不到 {p}\n")
    bad = summary.get("rejected", 0) + summary.get("fork", 0)
    return 1 if bad or missing else 0


def cmd_status(args: argparse.Namespace) -> int:
    from ..consolidate import completeness
    from ..consolidate.matrix import export_chase_list

    _, cons, catalog = _open(args)
    try:
        m = completeness(cons, catalog, args.period, today=_today(args.today))
        if args.chase_out:
            export_chase_list(m, catalog, Path(args.chase_out), cons)
    finally:
        cons.close()
    if args.json:
        print_json(m.to_json())
        return 0
    sym = {"received": "✓", "late": "迟", "missing": "✗", "expected": "…", "not_applicable": "·"}
    out = [f"{m.period_label}（{m.period}）报送情况　截止 {m.due}　统计日 {m.today}",
           "✓ 已报送　迟 逾期报送　✗ 未报送　… 待报送　· 不适用", "",
           _pad("单位", 26) + "".join(f"{t:>3}" for t in m.tasks)]
    for u in m.units:
        out.append(_pad(m.unit_names[u], 26) + "".join(_pad(sym[m.cells[(u, t)].state], 3, right=True) for t in m.tasks))
    counts = m.counts()
    zh = {"received": "已报送", "late": "逾期报送", "missing": "未报送", "expected": "待报送", "not_applicable": "不适用"}
    out += ["", "合计：" + "，".join(f"{zh[k]} {counts[k]}" for k in zh)]
    if m.chase:
        out += ["", "催报名单："]
        out += [f"  {c.unit_name}：任务 {'、'.join(map(str, c.tasks))}" for c in m.chase]
    if args.chase_out:
        out.append(f"催报名单已写入 {args.chase_out}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a display width (CJK characters take two columns in a terminal)."""
    import unicodedata

    w = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    while w > width and text:
        w -= 2 if unicodedata.east_asian_width(text[-1]) in "WF" else 1
        text = text[:-1]
    fill = " " * max(width - w, 0)
    return fill + text if right else text + fill


def cmd_indicators(args: argparse.Namespace) -> int:
    from ..consolidate import indicators

    _, cons, catalog = _open(args)
    try:
        values = indicators(cons, catalog, args.period)
    finally:
        cons.close()
    if args.json:
        docs = [v.to_json() for v in values]
        if not args.sources:
            for d in docs:
                d["sources"] = len(d["sources"])
        print_json({"period": args.period, "indicators": docs})
        return 0
    out = []
    for v in values:
        met = {True: "已达标", False: "未达标", None: "暂无"}[v.met]
        out.append(f"{v.name}：{v.value if v.value is not None else '—'} {v.unit}（目标 {v.target_text}；{met}）")
        out.append(f"    分子 {v.numerator}" + (f"，分母 {v.denominator}" if v.denominator is not None else "")
                   + f"；{len(v.sources)} 个来源" + (f"；{v.note}" if v.note else ""))
        if args.sources:
            for s in v.sources:
                out.append(f"      {s.unit} {s.period} 第{s.seq}号 {s.packet_sha256[:12]} 任务{s.task} {s.where} = {s.value}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def cmd_consolidate(args: argparse.Namespace) -> int:
    from ..consolidate.workbook import Signer, consolidate_workbook
    from .packet_cmd import passphrase

    dd, cons, catalog = _open(args)
    try:
        signer = Signer.load(dd, passphrase())
        if signer.unit_code != catalog.plan.ip_bureau.code:
            raise YantaError(f"汇总表须由{catalog.plan.ip_bureau.name}的证书签名；本机证书属于“{signer.unit_code}”")
        result = consolidate_workbook(cons, catalog, args.period, Path(args.out), signer, today=_today(args.today))
    finally:
        cons.close()
    if args.json:
        print_json(result.to_json())
    else:
        sys.stdout.write(
            f"汇总表已生成：{result.path}\n  报告期 {result.period}，来源数据包 {result.packets} 个，台账记录 {result.records} 条，"
            f"工作表 {len(result.sheets)} 张，用时 {result.seconds:.1f} 秒\n  指纹（SHA-256）：{result.payload_sha256}\n"
            f"  核验：yanta verify {result.path}\n"
        )
    return 0


def _resolve(cons, prefix: str) -> str:
    rows = [r[0] for r in cons.conn.execute("SELECT sha256 FROM packets WHERE sha256 LIKE ?", (prefix.lower() + "%",))]
    if len(rows) != 1:
        raise YantaError(f"指纹“{prefix}”{'找不到' if not rows else '对应多个数据包，请多写几位'}")
    return rows[0]


def cmd_diff(args: argparse.Namespace) -> int:
    from ..consolidate import packet_diff

    _, cons, catalog = _open(args)
    try:
        a, b = _resolve(cons, args.a), _resolve(cons, args.b)
        diffs = packet_diff(cons, a, b, catalog)
    finally:
        cons.close()
    if args.json:
        print_json({"a": a, "b": b, "differences": [d.to_json() for d in diffs]})
        return 0
    zh = {"added": "新增", "removed": "删除", "changed": "修改"}
    for d in diffs:
        sys.stdout.write(f"{zh[d.change]}　{d.label}：{d.old if d.old is not None else '（无）'} → {d.new if d.new is not None else '（无）'}\n")
    sys.stdout.write(f"共 {len(diffs)} 处不同。\n")
    return 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    _, cons, _ = _open(args)
    try:
        items = cons.quarantine()
    finally:
        cons.close()
    if args.json:
        print_json({"items": [i.to_json() for i in items]})
        return 0
    for i in items:
        sys.stdout.write(f"{i.at}　{i.original}\n    原因：{i.reason}\n    隔离副本：{i.path}\n")
    sys.stdout.write(f"共 {len(items)} 个被隔离的文件。\n")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ..consolidate.demo import build_demo

    result = build_demo(Path(args.out), log=None if args.json else (lambda m: sys.stdout.write(m + "\n")))
    if args.json:
        print_json(result)
    return 0
