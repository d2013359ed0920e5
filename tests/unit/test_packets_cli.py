"""Two installations end to end through the real CLI: from nothing to a verified packet."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from yanta_desktop.cli import main
from yanta_desktop.packets import envelope

REPO = Path(__file__).resolve().parents[2]
CHEAP = envelope.KdfParams(memory_kib=8192, iterations=1, lanes=1)


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(envelope, "DEFAULT_PARAMS", CHEAP)
    monkeypatch.setattr(envelope, "MIN_PARAMS", CHEAP)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_two_installations_end_to_end(tmp_path: Path, data_dir: Path, capsys, monkeypatch) -> None:
    ipb, bureau, out = str(tmp_path / "ipb"), str(tmp_path / "kgj"), tmp_path / "out"
    # IP bureau: its own installation and CA
    assert run(capsys, "--data-dir", ipb, "init", "--unit", "区知识产权局")[0] == 0
    code, text, _ = run(capsys, "--data-dir", ipb, "ca", "init", "--json")
    assert code == 0 and len(json.loads(text)["sha256"]) == 64
    root = Path(json.loads(text)["root"])
    # the bureau: unit, key request
    assert run(capsys, "--data-dir", bureau, "init", "--unit", "区科工局")[0] == 0
    code, text, _ = run(capsys, "--data-dir", bureau, "key", "request", "--out", str(tmp_path / "kgj.csr.pem"), "--json")
    assert code == 0 and json.loads(text)["unit"] == "KGJ"
    # IP bureau issues; bureau installs certificate + root
    code, text, _ = run(capsys, "--data-dir", ipb, "ca", "issue", str(tmp_path / "kgj.csr.pem"), "--out", str(tmp_path / "kgj.pem"), "--json")
    assert code == 0 and json.loads(text)["subject_cn"] == "KGJ"
    code, text, _ = run(capsys, "--data-dir", bureau, "key", "install", str(tmp_path / "kgj.pem"), "--root", str(root))
    assert code == 0 and "已安装证书" in text
    # entries saved final via the store (the CLI's entry add --final)
    for task in (1, 4, 5, 6, 16):
        code, _, err = run(capsys, "--data-dir", bureau, "entry", "add", "--task", str(task), "--period", "2025Q2",
                           "--file", str(REPO / "forms" / "samples" / f"task{task:02d}.json"), "--final")
        assert code == 0, err
    code, text, _ = run(capsys, "--data-dir", bureau, "export", "--period", "2025Q2", "--out", str(out), "--json")
    assert code == 0
    exported = json.loads(text)
    assert exported["seq"] == 1 and exported["entries"] == 5
    # the file travels to the IP bureau, which verifies it with its own trust
    received = tmp_path / "received.xlsx"
    shutil.copy(exported["path"], received)
    code, text, _ = run(capsys, "--data-dir", ipb, "verify", str(received), "--json")
    doc = json.loads(text)
    assert code == 0 and doc["ok"] and doc["files"][0]["unit"]["code"] == "KGJ"
    assert doc["files"][0]["payload_sha256"] == exported["payload_sha256"]
    code, text, _ = run(capsys, "--data-dir", ipb, "verify", str(received))
    assert code == 0 and "真实有效" in text
    # a wrong passphrase: clear Chinese error, non-zero exit
    monkeypatch.setenv("YANTA_PASSPHRASE", "wrong passphrase!")
    code, _, err = run(capsys, "--data-dir", bureau, "export", "--period", "2025Q2", "--out", str(out))
    assert code != 0 and "口令错误" in err
    monkeypatch.setenv("YANTA_PASSPHRASE", "测试口令-correct horse")
    # revoke → the IP bureau refuses at once; an auditor with root + CRL refuses too
    code, text, _ = run(capsys, "--data-dir", ipb, "ca", "revoke", str(tmp_path / "kgj.pem"), "--json")
    assert code == 0
    code, text, _ = run(capsys, "--data-dir", ipb, "verify", str(received), "--json")
    assert code == 1 and json.loads(text)["files"][0]["problems"][0]["code"] == "cert_revoked"
    auditor = str(tmp_path / "auditor")
    assert run(capsys, "--data-dir", auditor, "trust", "import-root", str(root))[0] == 0
    assert run(capsys, "--data-dir", auditor, "verify", str(received))[0] == 0
    assert run(capsys, "--data-dir", ipb, "ca", "crl", "--out", str(tmp_path / "ipb.crl"))[0] == 0
    assert run(capsys, "--data-dir", auditor, "trust", "import-crl", str(tmp_path / "ipb.crl"))[0] == 0
    code, text, _ = run(capsys, "--data-dir", auditor, "verify", str(received))
    assert code == 1 and "cert_revoked" in text
    code, text, _ = run(capsys, "--data-dir", ipb, "ca", "list", "--json")
    assert json.loads(text)["certificates"][0]["revoked"] is True


def test_verify_exit_code_with_several_files(tmp_path: Path, data_dir: Path, capsys) -> None:
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_bytes(b"not a zip")
    code, text, _ = run(capsys, "verify", str(bogus), str(tmp_path / "absent.xlsx"), "--json")
    doc = json.loads(text)
    assert code == 1 and [f["problems"][0]["code"] for f in doc["files"]] == ["not_a_zip", "unreadable"]


def test_issue_refuses_a_unit_outside_the_plan(tmp_path: Path, data_dir: Path, capsys) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.x509.oid import NameOID

    assert run(capsys, "ca", "init")[0] == 0
    csr = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "EVIL")])
    ).sign(ed25519.Ed25519PrivateKey.generate(), None)
    req = tmp_path / "evil.csr.pem"
    req.write_bytes(csr.public_bytes(serialization.Encoding.PEM))
    code, _, err = run(capsys, "ca", "issue", str(req), "--out", str(tmp_path / "evil.pem"))
    assert code == 1 and "不是工作方案中的填报单位" in err and not (tmp_path / "evil.pem").exists()
