"""Crash safety: a writer process SIGKILLed at random moments loses nothing it acknowledged.

The writer saves drafts (and now and then an evidence file and an export record) in a loop and
prints a line after each save returned, i.e. after COMMIT. After each kill the database must pass
``PRAGMA integrity_check``, the audit chain must verify, the bookkeeping must agree (every entry
points at its newest revision, one audit row per revision), and every acknowledged save must be
there with the data it was given.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from yanta_desktop.store import Store

REPO = Path(__file__).resolve().parents[2]
ROUNDS = 15

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from yanta_desktop import paths
    from yanta_desktop.forms.loader import load_common, load_form
    from yanta_desktop.store import Store

    data_dir, start = Path(sys.argv[1]), int(sys.argv[2])
    folder = paths.forms_dir()
    form = load_form(folder / "task01.yaml", load_common(folder / "common.yaml"))
    periods = ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1"]
    out = sys.stdout
    with Store.open(data_dir, user="writer") as store:
        out.write("ready\\n")
        out.flush()
        i = start
        while True:
            data = {"values": {"invention_grants": i, "filled_by": "写入" + str(i)},
                    "tables": {"entities": [{"name": "主体" + str(i), "kind": "企业"}] * (i % 3)}}
            e = store.save_draft("SCJGJ", 1, periods[i % len(periods)], data, form)
            out.write(f"save {e.id} {e.revision} {i}\\n")
            out.flush()
            if i % 7 == 0:
                f = data_dir / f"ev-{i}.bin"
                f.write_bytes(b"evidence %d " % i * 50)
                ref = store.add_evidence(f)
                out.write(f"evidence {ref.sha256} {ref.size}\\n")
                out.flush()
            if i % 11 == 0:
                rec = store.allocate_export("SCJGJ", "2025Q1", lambda seq, prev: f"{seq}|{prev}|{i}".encode())
                out.write(f"export {rec.seq} {rec.sha256}\\n")
                out.flush()
            i += 1
    """
)


def _drain(stream, sink: list[str]) -> None:
    for line in iter(stream.readline, ""):
        sink.append(line)


def check_database(data_dir: Path, acked: list[str]) -> None:
    raw = sqlite3.connect(data_dir / "yanta.db")
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        raw.close()
    with Store.open(data_dir) as store:
        report = store.verify_audit()
        assert report.ok, report.problems
        c = store.conn
        # bookkeeping agrees: the entry row points at its newest revision; one audit row per revision
        for entry_id, current, newest in c.execute(
            "SELECT e.id, e.revision, max(r.number) FROM entries e JOIN revisions r ON r.entry_id = e.id GROUP BY e.id"
        ):
            assert current == newest, entry_id
        saves = c.execute("SELECT count(*) FROM audit WHERE action IN ('create_entry', 'save_draft')").fetchone()[0]
        assert saves == c.execute("SELECT count(*) FROM revisions").fetchone()[0]
        exports = store.exports()
        assert [r.seq for r in exports] == list(range(1, len(exports) + 1))
        for line in acked:
            kind, *rest = line.split()
            if kind == "save":
                entry_id, number, i = rest[0], int(rest[1]), int(rest[2])
                row = c.execute(
                    "SELECT data FROM revisions WHERE entry_id = ? AND number = ?", (entry_id, number)
                ).fetchone()
                assert row is not None, f"acknowledged save lost: {line}"
                assert json.loads(row[0])["values"]["invention_grants"] == i
            elif kind == "evidence":
                sha, size = rest[0], int(rest[1])
                assert store.evidence_path(sha).stat().st_size == size
                assert c.execute("SELECT size FROM evidence WHERE sha256 = ?", (sha,)).fetchone() == (size,)
            elif kind == "export":
                seq, sha = int(rest[0]), rest[1]
                assert any(r.seq == seq and r.sha256 == sha for r in exports), f"acknowledged export lost: {line}"


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_writer_killed_repeatedly_loses_nothing_acknowledged(tmp_path: Path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    rng = random.Random(20240426)
    all_acked: list[str] = []
    for round_no in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(data_dir), str(round_no * 100_000)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
        )
        lines: list[str] = []
        reader = threading.Thread(target=_drain, args=(proc.stdout, lines), daemon=True)
        reader.start()
        if round_no in (0, 5):
            # kill during start-up: creating the schema (round 0) or just opening
            time.sleep(rng.uniform(0.3, 0.9))
        else:
            deadline = time.monotonic() + 20
            while "ready\n" not in lines and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(rng.uniform(0.02, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        reader.join(timeout=10)
        assert proc.stderr is not None
        err = proc.stderr.read()
        proc.stderr.close()
        proc.stdout.close()  # type: ignore[union-attr]
        assert proc.returncode == -signal.SIGKILL, err
        acked = [ln for ln in lines if ln.endswith("\n") and ln != "ready\n"]
        all_acked += acked
        if (data_dir / "yanta.db").exists():
            check_database(data_dir, all_acked)
    assert sum(1 for ln in all_acked if ln.startswith("save")) > 100  # the loop really wrote
    assert any(ln.startswith("export") for ln in all_acked)
