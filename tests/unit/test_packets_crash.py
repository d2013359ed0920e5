"""kill -9 at random moments of an export: never a half-written packet, never a seq with new content."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from yanta_desktop.packets import TrustStore, envelope, pki, verify_packet
from yanta_desktop.store import Store

REPO = Path(__file__).resolve().parents[2]
PW = "正确的口令-correct horse"
CHEAP = envelope.KdfParams(memory_kib=8192, iterations=1, lanes=1)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="SIGKILL")]

_CHILD = r"""
import sys
from pathlib import Path
from yanta_desktop.packets import envelope, export_packet
envelope.DEFAULT_PARAMS = envelope.MIN_PARAMS = envelope.KdfParams(8192, 1, 1)
from yanta_desktop.catalog import load_catalog
from yanta_desktop.store import Store
with Store.open(Path(sys.argv[1])) as st:
    print("start", flush=True)
    export_packet(st, load_catalog(), "2025Q2", Path(sys.argv[2]), sys.argv[3])
"""


def test_kill_loop(tmp_path: Path, catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(envelope, "DEFAULT_PARAMS", CHEAP)
    monkeypatch.setattr(envelope, "MIN_PARAMS", CHEAP)
    sys.path.insert(0, str(REPO / "tests" / "bench"))
    import bench_packets

    ipb, fgw, out = tmp_path / "ipb", tmp_path / "fgw", tmp_path / "out"
    pki.ca_init(ipb, PW)
    with Store.open(fgw) as st:
        st.set_unit("FGW", "区发改委")
        csr, _ = pki.key_request(fgw, "FGW", "区发改委", PW)
        cert = pki.ca_issue(ipb, csr.read_bytes(), PW, catalog.plan)
        pki.key_install(fgw, pki.cert_pem(cert), (ipb / "keys/ca/root.pem").read_bytes(), "FGW")
        st.save_final("FGW", 1, "2025Q2", bench_packets.entry_data(catalog, 3000), catalog.form(1), catalog)
    trust = TrustStore.load(ipb)
    # how long one export takes here (on a copy), so the kills spread over the whole of it
    shutil.copytree(fgw, tmp_path / "probe")
    with subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(tmp_path / "probe"), str(tmp_path / "probe-out"), PW], stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "start"
        t0 = time.perf_counter()
        assert proc.wait(timeout=120) == 0
        duration = time.perf_counter() - t0
    rng = random.Random(20251125)
    seen: dict[int, str] = {}  # seq → payload sha256, must never change
    killed = 0
    states = {"pending": 0, "temp file": 0, "written": 0}
    for _ in range(12):
        with subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(fgw), str(out), PW], stdout=subprocess.PIPE, text=True
        ) as proc:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "start"
            time.sleep(rng.uniform(0.0, duration * 1.1))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
            proc.wait(timeout=60)
        # whatever is in the output folder as a packet is a whole, genuine packet
        for f in out.glob("*.xlsx") if out.exists() else []:
            report = verify_packet(f, trust, catalog)
            assert report.ok, (f, report.problems)
        tmp_left = bool(out.exists() and list(out.glob(".tmp-*")))
        with Store.open(fgw) as st:
            states["pending"] += bool(st.pending_exports())
            states["temp file"] += tmp_left
            states["written"] += any(r.state == "written" for r in st.exports())
            for rec in st.exports():
                assert seen.setdefault(rec.seq, rec.sha256) == rec.sha256
                assert json.loads(rec.payload)["seq"] == rec.seq
    assert killed >= 1, states  # states: what the kills left behind (pending exports, temp files)
    # a normal export afterwards recovers: the same single seq, nothing pending, a genuine packet
    from yanta_desktop.packets import export_packet

    with Store.open(fgw) as st:
        res = export_packet(st, catalog, "2025Q2", out, PW)
        assert st.pending_exports() == []
        assert [r.seq for r in st.exports()] == [1] and res.seq == 1
        assert seen.get(1, res.payload_sha256) == res.payload_sha256
    assert verify_packet(res.path, trust, catalog).ok
    assert not list(out.glob(".tmp-*"))
