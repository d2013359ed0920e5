"""Export: refusal of unfinished work, the crash-safe state machine, seq reuse, payload shape."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from yanta_desktop import canonical
from yanta_desktop.errors import PassphraseError
from yanta_desktop.packets import TrustStore, envelope, export_packet, pki, readiness, verify_packet
from yanta_desktop.packets import atomic as atomic_mod
from yanta_desktop.packets.export import ExportRefused
from yanta_desktop.packets.model import PAYLOAD_PART, SIGNATURE_PART
from yanta_desktop.store import Store

REPO = Path(__file__).resolve().parents[2]
PW = "正确的口令-correct horse"
PERIOD = "2025Q2"
CHEAP = envelope.KdfParams(memory_kib=8192, iterations=1, lanes=1)


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(envelope, "DEFAULT_PARAMS", CHEAP)
    monkeypatch.setattr(envelope, "MIN_PARAMS", CHEAP)


def sample(task: int) -> dict:
    return json.loads((REPO / "forms" / "samples" / f"task{task:02d}.json").read_text(encoding="utf-8"))


@pytest.fixture
def bureau(tmp_path: Path, catalog):
    """The IP bureau's CA and a certified 区发改委 (FGW: task 1 in 2025Q2) with its store open."""
    ipb, fgw = tmp_path / "ipb", tmp_path / "fgw"
    pki.ca_init(ipb, PW)
    store = Store.open(fgw)
    store.set_unit("FGW", "区发改委")
    csr, _ = pki.key_request(fgw, "FGW", "区发改委", PW)
    cert = pki.ca_issue(ipb, csr.read_bytes(), PW, catalog.plan)
    pki.key_install(fgw, pki.cert_pem(cert), (ipb / "keys/ca/root.pem").read_bytes(), "FGW")
    yield store, ipb, tmp_path / "out"
    store.close()


def final(store: Store, catalog, task: int = 1, **changes) -> None:
    data = sample(task)
    data["values"].update(changes)
    store.save_final("FGW", task, PERIOD, data, catalog.form(task), catalog)


def test_draft_refused_with_task_and_field(bureau, catalog) -> None:
    store, _, out = bureau
    data = sample(1)
    del data["values"]["filled_by"]
    store.save_draft("FGW", 1, PERIOD, data, catalog.form(1))
    (item,) = readiness(store, catalog, "FGW", PERIOD)
    assert tuple(item)[:2] == (1, "draft") and any("填报人" in p for p in item.problems)
    with pytest.raises(ExportRefused) as err:
        export_packet(store, catalog, PERIOD, out, PW)
    assert "任务1" in str(err.value) and "填报人" in str(err.value)
    assert store.exports() == []
    assert not out.exists() or not any(out.iterdir())


def test_missing_task_refused_unless_allowed(bureau, catalog) -> None:
    store, _, out = bureau
    assert [tuple(r)[1] for r in readiness(store, catalog, "FGW", PERIOD)] == ["missing"]
    with pytest.raises(ExportRefused, match="尚未填报"):
        export_packet(store, catalog, PERIOD, out, PW)
    with pytest.raises(ExportRefused, match="没有已定稿"):
        export_packet(store, catalog, PERIOD, out, PW, allow_missing=True)


def test_wrong_passphrase_burns_no_seq(bureau, catalog) -> None:
    store, _, out = bureau
    final(store, catalog)
    with pytest.raises(PassphraseError):
        export_packet(store, catalog, PERIOD, out, "not the passphrase")
    assert store.exports() == []


def test_export_payload_shape_and_verify(bureau, catalog) -> None:
    store, ipb, out = bureau
    final(store, catalog)
    calls: list[tuple[int, int, str]] = []
    res = export_packet(store, catalog, PERIOD, out, PW, progress=lambda d, t, m: calls.append((d, t, m)))
    assert calls[-1][0] == calls[-1][1] and all(isinstance(m, str) for *_, m in calls)
    with zipfile.ZipFile(res.path) as z:
        payload = z.read(PAYLOAD_PART)
        assert len(z.read(SIGNATURE_PART)) == 64
    doc = canonical.loads_strict(payload)
    assert doc["format"] == "yanta-packet/1" and doc["kind"] == "unit" and doc["seq"] == 1 and doc["prev_sha256"] == ""
    assert doc["unit"] == {"code": "FGW", "name": "区发改委"} and doc["period"] == PERIOD
    assert doc["signer_cert_sha256"] == res.cert_sha256 and doc["plan"]["sha256"] == catalog.plan.sha256
    (entry,) = doc["entries"]
    assert entry["form"] == catalog.form(1).identity() and entry["values"]["filled_by"] == sample(1)["values"]["filled_by"]
    assert doc["audit_head"]["seq"] >= 1 and len(doc["audit_head"]["sha256"]) == 64
    report = verify_packet(res.path, TrustStore.load(ipb), catalog)
    assert report.ok, report.problems
    assert (report.unit_code, report.seq, report.payload_sha256) == ("FGW", 1, res.payload_sha256)
    assert store.get_entry(entry["entry_id"]).exported_seq == 1


def test_same_content_keeps_seq_changed_content_chains(bureau, catalog) -> None:
    store, ipb, out = bureau
    final(store, catalog)
    first = export_packet(store, catalog, PERIOD, out, PW)
    again = export_packet(store, catalog, PERIOD, out, PW)
    assert (again.seq, again.payload_sha256, again.reused) == (first.seq, first.payload_sha256, True)
    entry = store.find_entry("FGW", 1, PERIOD)
    store.reopen(entry.id, "更正")
    store.save_final("FGW", 1, PERIOD, {**sample(1), "values": {**sample(1)["values"], "problems": "更正后的问题"}}, catalog.form(1), catalog)
    second = export_packet(store, catalog, PERIOD, out, PW)
    assert second.seq == 2 and second.payload_sha256 != first.payload_sha256
    with zipfile.ZipFile(second.path) as z:
        assert json.loads(z.read(PAYLOAD_PART))["prev_sha256"] == first.payload_sha256
    # back to the first content: a new seq, never a replay of seq 1
    store.reopen(entry.id, "恢复")
    store.save_final("FGW", 1, PERIOD, sample(1), catalog.form(1), catalog)
    third = export_packet(store, catalog, PERIOD, out, PW)
    assert third.seq == 3
    assert all(verify_packet(r.path, TrustStore.load(ipb), catalog).ok for r in (first, second, third))


def test_crash_before_rename_leaves_no_file_and_rematerialises_identically(bureau, catalog, monkeypatch) -> None:
    store, ipb, out = bureau
    final(store, catalog)
    real_replace = os.replace

    def crash(src, dst):
        raise OSError("simulated power cut")

    monkeypatch.setattr(atomic_mod.os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        export_packet(store, catalog, PERIOD, out, PW)
    (pending,) = store.pending_exports()
    assert pending.seq == 1
    assert list(out.iterdir()) == []  # neither a half-written packet nor a temp file
    monkeypatch.setattr(atomic_mod.os, "replace", real_replace)
    res = export_packet(store, catalog, PERIOD, out, PW)
    assert res.seq == 1 and res.payload_sha256 == pending.sha256
    with zipfile.ZipFile(res.path) as z:
        assert z.read(PAYLOAD_PART) == pending.payload
        sig = z.read(SIGNATURE_PART)
    key = pki.unit_key(store.data_dir, PW)
    assert sig == key.sign(pending.payload)  # Ed25519 is deterministic: same bytes, same signature
    assert store.pending_exports() == [] and [r.seq for r in store.exports()] == [1]
    assert verify_packet(res.path, TrustStore.load(ipb), catalog).ok


def test_file_open_in_excel_gives_clear_message(bureau, catalog, monkeypatch) -> None:
    store, _, out = bureau
    final(store, catalog)
    monkeypatch.setattr(atomic_mod, "RETRY_DELAY", 0)
    attempts = []

    def locked(src, dst):
        attempts.append(dst)
        raise PermissionError(32, "The process cannot access the file")

    monkeypatch.setattr(atomic_mod.os, "replace", locked)
    with pytest.raises(atomic_mod.FileLockedError, match="Excel"):
        export_packet(store, catalog, PERIOD, out, PW)
    assert len(attempts) == atomic_mod.RETRIES and list(out.iterdir()) == []


def test_rotation_continues_seq_with_new_certificate(bureau, catalog) -> None:
    store, ipb, out = bureau
    final(store, catalog)
    first = export_packet(store, catalog, PERIOD, out, PW)
    old = pki.unit_cert(store.data_dir)
    csr, rotation = pki.key_request(store.data_dir, "FGW", "区发改委", PW)
    assert rotation
    new = pki.ca_issue(ipb, csr.read_bytes(), PW, catalog.plan)
    pki.key_install(store.data_dir, pki.cert_pem(new), (ipb / "keys/ca/root.pem").read_bytes(), "FGW")
    pki.ca_revoke(ipb, pki.serial_hex(old), "密钥更换")
    entry = store.find_entry("FGW", 1, PERIOD)
    store.reopen(entry.id, "更换密钥后重新报送")
    final(store, catalog, problems="换钥后")
    second = export_packet(store, catalog, PERIOD, out, PW)
    assert second.seq == first.seq + 1 and second.cert_sha256 == pki.cert_sha256(new)
    trust = TrustStore.load(ipb)
    assert verify_packet(second.path, trust, catalog).ok
    assert verify_packet(first.path, trust, catalog).codes == ["cert_revoked"]


def test_atomic_write_cleans_stale_temp_files(tmp_path: Path) -> None:
    (tmp_path / ".tmp-abc.part").write_bytes(b"half")
    assert atomic_mod.clean_temp_files(tmp_path) == 1 and not list(tmp_path.iterdir())


def test_evidence_over_the_packet_limit_is_refused_before_a_seq(bureau, catalog, monkeypatch, tmp_path) -> None:
    from yanta_desktop.packets import export as export_mod

    store, _, out = bureau
    f = tmp_path / "扫描件.pdf"
    f.write_bytes(b"%PDF" + b"x" * 4096)
    ref = store.add_evidence(f)
    data = sample(1)
    data["evidence"] = [ref.as_item(kind="盖章页扫描件")]
    store.save_final("FGW", 1, PERIOD, data, catalog.form(1), catalog)
    monkeypatch.setattr(export_mod, "MAX_EVIDENCE_TOTAL", 1024)
    with pytest.raises(ExportRefused, match="佐证材料过大"):
        export_packet(store, catalog, PERIOD, out, PW)
    assert store.exports() == []
    assert not out.exists() or not any(out.iterdir())
