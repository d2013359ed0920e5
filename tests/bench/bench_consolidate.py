"""Province-scale consolidation against the clerk's pandas script, ratios measured in the same run.

    .venv/bin/python tests/bench/bench_consolidate.py            # 2,000 packets, 1,000,000 records
    .venv/bin/python tests/bench/bench_consolidate.py --small    # 200 packets, 100,000 records (~ minutes)

1. generate (``gen_province.py``; reused if ``--data`` already holds it): genuine signed packets.
2. ours, in a fresh process (peak RSS = that process + its verify workers): ``import_paths`` of the whole
   folder (verify every packet — signature, certificate, canonical JSON, every visible cell — ledger,
   normalised rows into consolidation.db) with 2 workers, then ``consolidate_workbook`` (signed, every
   record with provenance), then importing ONE more packet into the consolidation that holds them all.
3. naive, in a fresh process, before and after ours (the faster run is kept): for a subset of packets, ``pandas.read_excel(sheet_name=None)`` of each file,
   ``concat`` per sheet name, ``to_excel`` — the clerk's way, with pandas defaults — scaled linearly
   to the full count (pandas only gets slower per row as it grows, so the scaling flatters it).
4. libraries: write and read the same merged rows with openpyxl write-only / read-only, xlsxwriter
   (normal, constant_memory) and python-calamine.

Goals: ours ≥ 10× faster than naive; peak RSS < 500 MB; one more packet < 1/100 of the full import.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "bench"))


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its finished children (verify workers)."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def _rss_mb() -> tuple[float, float]:
    self_ = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(self_, 1), round(children, 1)


# ---- phases (each runs in its own process) ------------------------------------------------------
def phase_ours(data: Path, workers: int) -> dict:
    import datetime as dt
    import shutil

    from yanta_desktop.catalog import load_catalog
    from yanta_desktop.consolidate import Consolidation, import_paths
    from yanta_desktop.consolidate.fastpack import issue_fast
    from yanta_desktop.consolidate.workbook import Signer, consolidate_workbook
    from yanta_desktop.packets import TrustStore, pki

    meta = json.loads((data / "province.json").read_text("utf-8"))
    catalog = load_catalog(Path(meta["forms"]))
    work = Path(tempfile.mkdtemp(prefix="ours-", dir=data))
    ipb = work / "ipb"
    shutil.copytree(meta["ipb"], ipb)
    trust = TrustStore.load(ipb)
    key, cert = issue_fast(pki.ca_key(ipb, meta["passphrase"]), pki.ca_root(ipb), "SCJGJ", catalog.plan.units["SCJGJ"].name)
    cons = Consolidation.open(ipb)
    c0 = _cpu()
    t0 = time.perf_counter()
    outcomes = import_paths(cons, [Path(meta["packet_dir"])], trust, catalog, workers=workers,
                            clock=lambda: "2026-01-10T02:00:00Z")
    t_import = time.perf_counter() - t0
    c_import = _cpu() - c0
    bad = [o for o in outcomes if o.outcome != "accepted"]
    assert not bad, bad[:3]
    rss_after_import = _rss_mb()
    c0 = _cpu()
    t0 = time.perf_counter()
    out = work / "汇总表_2025H2.xlsx"
    result = consolidate_workbook(cons, catalog, "2025H2", out, Signer(key, cert), today=dt.date(2026, 2, 1))
    t_cons = time.perf_counter() - t0
    c_cons = _cpu() - c0
    t0 = time.perf_counter()
    one = import_paths(cons, [Path(meta["spare"])], trust, catalog, clock=lambda: "2026-01-11T02:00:00Z")
    t_one = time.perf_counter() - t0
    assert [o.outcome for o in one] == ["accepted"], one
    records = cons.counts()["records"]
    cons.close()
    res = {
        "packets": len(outcomes), "records": records, "import_s": round(t_import, 2), "consolidate_s": round(t_cons, 2),
        "import_cpu_s": round(c_import, 2), "consolidate_cpu_s": round(c_cons, 2),
        "one_more_s": round(t_one, 3), "out_mb": round(out.stat().st_size / 2**20, 1), "rows_written": result.records,
        "db_mb": round((ipb / "consolidation.db").stat().st_size / 2**20, 1),
        "rss_after_import_mb": rss_after_import, "rss_mb": _rss_mb(), "workbook": str(out),
    }
    return res


def phase_naive(data: Path, n: int) -> dict:
    import warnings

    import pandas as pd

    warnings.simplefilter("ignore")
    meta = json.loads((data / "province.json").read_text("utf-8"))
    files = sorted(Path(meta["packet_dir"]).glob("*.xlsx"))[:n]
    c0 = _cpu()
    t0 = time.perf_counter()
    frames: dict[str, list] = {}
    rows = 0
    for f in files:
        for name, df in pd.read_excel(f, sheet_name=None).items():
            df["来源文件"] = f.name
            frames.setdefault(name, []).append(df)
            rows += len(df)
    t_read = time.perf_counter() - t0
    out = Path(tempfile.mkdtemp(prefix="naive-", dir=data)) / "merged.xlsx"
    t0 = time.perf_counter()
    with pd.ExcelWriter(out) as xw:
        for name, dfs in frames.items():
            pd.concat(dfs, ignore_index=True).to_excel(xw, sheet_name=name[:31], index=False)
    t_write = time.perf_counter() - t0
    return {"packets": len(files), "rows": rows, "read_s": round(t_read, 2), "write_s": round(t_write, 2),
            "cpu_s": round(_cpu() - c0, 2),
            "total_s": round(t_read + t_write, 2), "rss_mb": _rss_mb()}


def phase_libs(data: Path, n_rows: int) -> dict:
    """Write and read the same merged rows (from the consolidated workbook's largest sheet) with each library."""
    import openpyxl
    import python_calamine
    import xlsxwriter

    meta = json.loads((data / "province.json").read_text("utf-8"))
    src = next(iter(sorted(Path(meta["packet_dir"]).glob("*.xlsx"))))
    # rows: the outlet ledger shape (text-heavy, Chinese) repeated to n_rows
    wb = openpyxl.load_workbook(src, read_only=True)
    ws = next(wb[s] for s in wb.sheetnames if "服务网点" in s or "网点" in s)
    base = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
    wb.close()
    rows = [["省内填报单位", 1, "0123456789abcdef", i, *base[i % len(base)][1:]] for i in range(n_rows)]
    tmp = Path(tempfile.mkdtemp(prefix="libs-", dir=data))
    res: dict[str, dict] = {}

    def timed(name: str, fn) -> None:
        t0 = time.perf_counter()
        fn()
        dt_ = time.perf_counter() - t0
        res[name] = {"s": round(dt_, 2), "rows_per_s": int(n_rows / dt_)}

    def w_openpyxl() -> None:
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("data")
        for r in rows:
            ws.append(r)
        wb.save(tmp / "openpyxl.xlsx")

    def w_xlsxwriter(mode: str) -> None:
        wb = xlsxwriter.Workbook(str(tmp / f"xw-{mode}.xlsx"), {"constant_memory": mode == "cm", "strings_to_numbers": False,
                                                               "strings_to_formulas": False, "strings_to_urls": False})
        ws = wb.add_worksheet("data")
        fmt = wb.add_format({"quote_prefix": True})
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if isinstance(v, int):
                    ws.write_number(i, j, v)
                elif v is not None:
                    ws.write_string(i, j, str(v), fmt)
        wb.close()

    def w_raw() -> None:
        import zipfile

        from yanta_desktop.consolidate.workbook import RowDigest, _ConsWorkbook, _raw_sheet_data
        from yanta_desktop.packets.workbook import _formats

        wb = _ConsWorkbook(str(tmp / "frame.xlsx"))
        fmt = _formats(wb)
        _raw_sheet_data(tmp / "raw.sheetdata", [["t"], ["h"], *rows], fmt, frozenset(), [], RowDigest(), None)
        with zipfile.ZipFile(tmp / "raw.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            z.write(tmp / "raw.sheetdata", "xl/worksheets/sheet1.xml")

    timed("write openpyxl write_only", w_openpyxl)
    timed("write xlsxwriter normal", lambda: w_xlsxwriter("normal"))
    timed("write xlsxwriter constant_memory", lambda: w_xlsxwriter("cm"))
    timed("write streamed sheetData + deflate (ours; incl. row digest)", w_raw)

    def r_openpyxl() -> None:
        wb = openpyxl.load_workbook(tmp / "xw-normal.xlsx", read_only=True)
        n = sum(1 for _ in wb["data"].iter_rows(values_only=True))
        wb.close()
        assert n == n_rows

    def r_calamine() -> None:
        book = python_calamine.CalamineWorkbook.from_path(str(tmp / "xw-normal.xlsx"))
        n = sum(1 for _ in book.get_sheet_by_name("data").iter_rows())
        assert n == n_rows

    timed("read openpyxl read_only", r_openpyxl)
    timed("read python-calamine", r_calamine)
    return res


# ---- driver -------------------------------------------------------------------------------------
def _run_phase(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-3000:])
        raise SystemExit(f"phase {args[:2]} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="200 packets / 100,000 records")
    ap.add_argument("--packets", type=int)
    ap.add_argument("--records", type=int)
    ap.add_argument("--data", type=Path, help="folder for generated data (reused when it matches)")
    ap.add_argument("--naive-packets", type=int, help="subset size for the pandas baseline")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--lib-rows", type=int, default=50_000)
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        data = Path(a.data)
        if a.phase == "ours":
            res = phase_ours(data, a.workers)
        elif a.phase == "naive":
            res = phase_naive(data, a.naive_packets)
        else:
            res = phase_libs(data, a.lib_rows)
        print(json.dumps(res, ensure_ascii=False))
        return
    packets = a.packets or (200 if a.small else 2000)
    records = a.records or (100_000 if a.small else 1_000_000)
    naive_n = a.naive_packets or (50 if a.small else 100)
    data = a.data or Path(tempfile.gettempdir()) / f"yanta-province-{packets}-{records}"
    meta_file = data / "province.json"
    meta = json.loads(meta_file.read_text("utf-8")) if meta_file.exists() else {}
    if meta.get("packets") != packets or meta.get("records") != records:
        from gen_province import generate

        print(f"generating {packets} packets / {records:,} records into {data} …", flush=True)
        meta = generate(data, packets, records, workers=2)
    print(f"data: {data} ({meta['packets']} packets, {meta['records']:,} records; generated in {meta['seconds']} s)")
    common = ["--data", str(data), "--workers", str(a.workers)]
    # the machine is shared: the baseline runs before and after ours and its faster run is kept
    # (conservative: noise can only make the ratio smaller)
    print(f"naive pandas on {naive_n} packets (1/2) …", flush=True)
    naive_runs = [_run_phase(["--phase", "naive", "--naive-packets", str(naive_n), *common])]
    print("ours: import + verify + consolidate …", flush=True)
    ours = _run_phase(["--phase", "ours", *common])
    print(f"naive pandas on {naive_n} packets (2/2) …", flush=True)
    naive_runs.append(_run_phase(["--phase", "naive", "--naive-packets", str(naive_n), *common]))
    naive = min(naive_runs, key=lambda r: r["total_s"])
    naive["runs_total_s"] = [r["total_s"] for r in naive_runs]
    print(f"libraries on {a.lib_rows:,} rows …", flush=True)
    libs = _run_phase(["--phase", "libs", "--lib-rows", str(a.lib_rows), *common])

    scale = packets / naive["packets"]
    naive_full = naive["total_s"] * scale
    ours_total = ours["import_s"] + ours["consolidate_s"]
    ours_peak = sum(ours["rss_mb"])  # this process + its largest verify worker
    lines = [
        "",
        f"Province consolidation: {packets} packets, {ours['records']:,} records (2-core machine, {os.cpu_count()} CPUs seen)",
        "",
        "| step | ours | naive pandas |",
        "|---|---|---|",
        f"| import + verify (all cells) | {ours['import_s']:.1f} s | read_excel {naive['read_s']:.1f} s × {scale:.0f} = {naive['read_s'] * scale:.0f} s |",
        f"| consolidate (signed workbook, {ours['out_mb']} MB) | {ours['consolidate_s']:.1f} s | concat + to_excel {naive['write_s']:.1f} s × {scale:.0f} = {naive['write_s'] * scale:.0f} s |",
        f"| total | **{ours_total:.1f} s** | **{naive_full:.0f} s** (measured on {naive['packets']} packets, {naive['rows']:,} rows: best of {naive['runs_total_s']} s) |",
        f"| peak RSS | {ours['rss_mb'][0]:.0f} MB (+ largest worker {ours['rss_mb'][1]:.0f} MB) | {naive['rss_mb'][0]:.0f} MB at {naive['packets']} packets |",
        "",
        f"speed-up ours vs naive: {naive_full / ours_total:.1f}×  (goal ≥ 10×; wall clock)",
        f"CPU seconds (less sensitive to other jobs on a shared machine): ours {ours['import_cpu_s'] + ours['consolidate_cpu_s']:.0f} s "
        f"(import {ours['import_cpu_s']:.0f}, consolidate {ours['consolidate_cpu_s']:.0f}) vs naive "
        f"{naive['cpu_s'] * scale:.0f} s → {naive['cpu_s'] * scale / (ours['import_cpu_s'] + ours['consolidate_cpu_s']):.1f}× less CPU",
        f"peak RSS: {ours_peak:.0f} MB  (goal < 500 MB)",
        f"one more packet into {packets}: {ours['one_more_s'] * 1000:.0f} ms = 1/{ours['import_s'] / max(ours['one_more_s'], 1e-9):.0f} of the full import  (goal < 1/100)",
        "",
        "| library (same rows) | seconds | rows/s |",
        "|---|---|---|",
        *[f"| {k} | {v['s']} | {v['rows_per_s']:,} |" for k, v in libs.items()],
    ]
    print("\n".join(lines))
    (data / "bench_result.json").write_text(json.dumps({"ours": ours, "naive": naive, "libs": libs,
                                                        "speedup": naive_full / ours_total}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
