"""Generate a province-size consolidation input: N genuine signed packets holding R records in all.

    .venv/bin/python tests/bench/gen_province.py --out /tmp/province --packets 2000 --records 1000000

Layout of ``--out``:
  forms/      the project's forms with a province plan.yaml: N extra reporting units P0001… that belong to
              各街办 and the leading group, so each reports tasks 7 (管理体系) and 12 (公共服务), half-yearly;
  ipb/        the IP bureau's data dir with a real CA (root key under Argon2id, passphrase below);
  packets/    N packets for 2025H2, each ~R/N records in three ledgers (服务网点, 领导小组会议, 示范企业).

Fast path (allowed for the benchmark): unit keys stay in memory and certificates are issued directly with the
CA key (``consolidate.fastpack.issue_fast``), skipping each unit's store and Argon2 envelope. The packets are
nevertheless genuine: canonical payloads, Ed25519 signatures, certificates chained to the CA root, sheets
rendered and written by the packets code — ``verify_packet`` accepts them like any export.
"""

from __future__ import annotations

import argparse
import copy
import json
import multiprocessing
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

PASSPHRASE = "province-bench-2026"
PERIOD = "2025H2"
_w: dict = {}


def make_forms(out: Path, n_units: int) -> Path:
    src = REPO / "forms"
    dst = out / "forms"
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("samples"))
    plan = yaml.safe_load((src / "plan.yaml").read_text("utf-8"))
    codes = [f"P{i:04d}" for i in range(1, n_units + 1)]
    plan["units"] += [{"code": c, "name": f"省内填报单位{c[1:]}", "kind": "street"} for c in codes]
    for g in plan["groups"]:
        if g["code"] in ("STREETS", "LEADING_GROUP"):
            g["members"] += codes
    plan["id"] = plan["id"] + "-province-bench"
    (dst / "plan.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), "utf-8")
    return dst


def _init(forms_dir: str, ca_raw: bytes, root_pem: bytes) -> None:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from yanta_desktop.catalog import load_catalog
    from yanta_desktop.packets import pki

    _w["catalog"] = load_catalog(Path(forms_dir))
    _w["ca_key"] = ed25519.Ed25519PrivateKey.from_private_bytes(ca_raw)
    _w["root"] = pki.load_cert(root_pem)
    _w["samples"] = {t: json.loads((REPO / "forms" / "samples" / f"task{t:02d}.json").read_text("utf-8")) for t in (7, 12)}


def entries_for(code: str, n: int, samples: dict, catalog) -> dict:
    """Task 7 and 12 entries with n ledger rows in all (60 % outlets, 20 % meetings, 20 % firms)."""
    from yanta_desktop.forms import make_context, strip_hidden

    ctx = make_context(catalog.plan, code, catalog.plan.period(PERIOD))
    n_out = n * 3 // 5
    n_meet = n // 5
    n_firm = n - n_out - n_meet
    t12 = copy.deepcopy(samples[12])
    base = t12["tables"]["outlets"]
    t12["tables"] = {"outlets": [
        {**base[i % len(base)], "name": f"{base[i % len(base)]['name']}（{code}-{i + 1}）", "services": 10 + i % 200}
        for i in range(n_out)
    ]}
    t7 = copy.deepcopy(samples[7])
    meet, firm = t7["tables"]["meetings"], t7["tables"]["firms"]
    t7["tables"] = {
        "meetings": [{**meet[i % len(meet)], "topic": f"{meet[i % len(meet)]['topic']}（第{i + 1}次）", "items": 1 + i % 9}
                     for i in range(n_meet)],
        "firms": [{**firm[i % len(firm)], "firm_name": f"{code}示范企业{i + 1}",
                   "certificate_no": f"国知办函运字〔2025〕{i + 1}号"} for i in range(n_firm)],
    }
    return {7: strip_hidden(catalog.form(7), ctx, t7), 12: strip_hidden(catalog.form(12), ctx, t12)}


def _one(job: tuple[str, int, str]) -> tuple[str, str]:
    from yanta_desktop.consolidate.fastpack import issue_fast, make_payload, write_packet

    code, n, out = job
    catalog = _w["catalog"]
    key, cert = issue_fast(_w["ca_key"], _w["root"], code, catalog.plan.units[code].name)
    payload = make_payload(catalog, code, PERIOD, 1, "", entries_for(code, n, _w["samples"], catalog), cert,
                           created_at="2026-01-08T02:00:00Z")
    path = Path(out) / f"{code}_{PERIOD}.xlsx"
    return str(path), write_packet(path, payload, key, cert, catalog)


def ca_material(ipb: Path):
    from cryptography.hazmat.primitives import serialization

    from yanta_desktop.packets import pki

    if not pki.ca_exists(ipb):
        pki.ca_init(ipb, PASSPHRASE)
    key = pki.ca_key(ipb, PASSPHRASE)
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return key, raw, pki.cert_pem(pki.ca_root(ipb))


def generate(out: Path, packets: int, records: int, workers: int = 2, log=print) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    forms_dir = make_forms(out, packets + 1)  # one spare unit for the "one more packet" measurement
    ipb = out / "ipb"
    _, raw, root_pem = ca_material(ipb)
    pdir = out / "packets"
    if pdir.exists():
        shutil.rmtree(pdir)
    pdir.mkdir()
    spare = out / "spare"
    spare.mkdir(exist_ok=True)
    per = records // packets
    jobs = [(f"P{i:04d}", per + (1 if i <= records % packets else 0), str(pdir)) for i in range(1, packets + 1)]
    jobs.append((f"P{packets + 1:04d}", per, str(spare)))
    ctx = multiprocessing.get_context("spawn")
    done = 0
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init, initargs=(str(forms_dir), raw, root_pem)) as pool:
        for _ in pool.map(_one, jobs, chunksize=8):
            done += 1
            if done % 200 == 0:
                log(f"  generated {done}/{len(jobs)} packets ({time.perf_counter() - t0:.0f} s)")
    meta = {"packets": packets, "records": records, "forms": str(forms_dir), "ipb": str(ipb), "packet_dir": str(pdir),
            "spare": str(spare), "seconds": round(time.perf_counter() - t0, 1), "passphrase": PASSPHRASE}
    (out / "province.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
    return meta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--packets", type=int, default=2000)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    meta = generate(a.out, a.packets, a.records, a.workers)
    print(json.dumps(meta, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
