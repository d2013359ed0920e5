"""The README's "Verify a packet without Yanta Desktop" commands, run as written on a real packet."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from yanta_desktop.packets import envelope, export_packet, pki
from yanta_desktop.store import Store

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "README.md"
PW = "正确的口令-correct horse"
CHEAP = envelope.KdfParams(memory_kib=8192, iterations=1, lanes=1)

pytestmark = pytest.mark.skipif(
    not (shutil.which("openssl") and shutil.which("unzip")), reason="needs openssl and unzip"
)


def doc_commands() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- verify-commands -->\s*```sh\n(.*?)```", text, re.S)
    assert block, "README.md lost its verify-commands block"
    return [line for line in block.group(1).splitlines() if line.strip()]


@pytest.fixture
def packet_dir(tmp_path: Path, catalog, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(envelope, "DEFAULT_PARAMS", CHEAP)
    monkeypatch.setattr(envelope, "MIN_PARAMS", CHEAP)
    ipb, fgw = tmp_path / "ipb", tmp_path / "fgw"
    root = pki.ca_init(ipb, PW)
    with Store.open(fgw) as store:
        store.set_unit("FGW", "区发改委")
        csr, _ = pki.key_request(fgw, "FGW", "区发改委", PW)
        cert = pki.ca_issue(ipb, csr.read_bytes(), PW, catalog.plan)
        pki.key_install(fgw, pki.cert_pem(cert), pki.cert_pem(root), "FGW")
        data = json.loads((REPO / "forms/samples/task01.json").read_text(encoding="utf-8"))
        data["values"]["problems"] = "=HYPERLINK(\"http://evil.example\",\"点我\")"
        store.save_final("FGW", 1, "2025Q2", data, catalog.form(1), catalog)
        res = export_packet(store, catalog, "2025Q2", tmp_path / "out", PW)
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(res.path, work / "packet.xlsx")
    (work / "ipb-root.pem").write_bytes(pki.cert_pem(root))
    (work / "ipb.crl").write_bytes(pki.ca_crl(ipb, PW).public_bytes(serialization.Encoding.PEM))
    (work / "expected.sha256").write_text(res.payload_sha256)
    (work / "ipb").symlink_to(ipb)
    return work


def sh(cmd: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", cmd], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_readme_commands_verify_a_genuine_packet(packet_dir: Path) -> None:
    outputs = {}
    for cmd in doc_commands():
        r = sh(cmd, packet_dir)
        assert r.returncode == 0, (cmd, r.stdout, r.stderr)
        outputs[cmd] = r.stdout
    verify = [o for c, o in outputs.items() if c.startswith("openssl verify")]
    assert verify and all(o.strip() == "signer.pem: OK" for o in verify)
    assert any("Signature Verified Successfully" in o for o in outputs.values())
    digest = next(o for c, o in outputs.items() if c.startswith("openssl dgst"))
    assert (packet_dir / "expected.sha256").read_text() in digest
    subject = next(o for c, o in outputs.items() if c.startswith("openssl x509"))
    assert "CN=FGW" in subject.replace(" = ", "=")
    formulas = next(o for c, o in outputs.items() if "grep -c" in c)
    assert formulas.strip() == "0"


def test_readme_commands_refuse_tampering_and_revocation(packet_dir: Path) -> None:
    for cmd in doc_commands()[:4]:
        assert sh(cmd, packet_dir).returncode == 0
    payload = packet_dir / "payload.json"
    payload.write_bytes(payload.read_bytes().replace(b'"seq":1', b'"seq":9', 1))
    r = sh("openssl pkeyutl -verify -certin -inkey signer.pem -rawin -in payload.json -sigfile payload.sig", packet_dir)
    assert r.returncode != 0 and "Signature Verification Failure" in r.stdout + r.stderr
    # a certificate from a look-alike root is refused by openssl as well
    rogue_dir = packet_dir.parent / "rogue"
    rogue = pki.ca_init(rogue_dir, PW)
    (packet_dir / "rogue-root.pem").write_bytes(pki.cert_pem(rogue))
    r = sh("openssl verify -x509_strict -CAfile rogue-root.pem signer.pem", packet_dir)
    assert r.returncode != 0
    # revoke and publish a new CRL: openssl -crl_check says so
    ipb = packet_dir / "ipb"
    serial = sh("openssl x509 -in signer.pem -noout -serial", packet_dir).stdout.strip().split("=")[1]
    pki.ca_revoke(ipb.resolve(), serial.lower())
    (packet_dir / "ipb.crl").write_bytes(pki.ca_crl(ipb.resolve(), PW).public_bytes(serialization.Encoding.PEM))
    r = sh("openssl verify -x509_strict -crl_check -CAfile ipb-root.pem -CRLfile ipb.crl signer.pem", packet_dir)
    assert r.returncode != 0 and "revoked" in r.stdout + r.stderr
