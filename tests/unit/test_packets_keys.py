"""Keys at rest, the small CA, installation, revocation, CRLs and rotation — real keys and certificates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from yanta_desktop.errors import PassphraseError
from yanta_desktop.packets import TrustStore, algs, envelope, pki, trust

PW = "正确的口令-correct horse"
CHEAP = envelope.KdfParams(memory_kib=8192, iterations=1, lanes=1)


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(envelope, "DEFAULT_PARAMS", CHEAP)
    monkeypatch.setattr(envelope, "MIN_PARAMS", CHEAP)


def test_production_kdf_is_memory_hard(monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = envelope.KdfParams()  # DEFAULT_PARAMS is KdfParams(); tests only patch the module constant
    assert shipped.memory_kib >= 128 * 1024 and shipped.iterations >= 3
    monkeypatch.setattr(envelope, "MIN_PARAMS", envelope.KdfParams(65536, 3, 1))
    with pytest.raises(ValueError):
        envelope.encrypt_key(algs.DEFAULT.generate(), PW, params=CHEAP)


def test_envelope_round_trip_and_wrong_passphrase() -> None:
    key = algs.DEFAULT.generate()
    blob = envelope.encrypt_key(key, PW, label="KGJ")
    doc = json.loads(blob)
    assert doc["kdf"]["name"] == "argon2id" and doc["alg"] == "Ed25519"
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    assert raw not in blob and raw.hex().encode() not in blob
    back = envelope.decrypt_key(blob, PW)
    assert back.public_key().public_bytes_raw() == key.public_key().public_bytes_raw()
    with pytest.raises(PassphraseError) as err:
        envelope.decrypt_key(blob, PW + "x")
    assert "口令错误" in str(err.value)


def test_envelope_header_is_authenticated() -> None:
    blob = envelope.encrypt_key(algs.DEFAULT.generate(), PW)
    doc = json.loads(blob)
    doc["kdf"]["iterations"] = 2  # a cheaper-looking header must not decrypt
    with pytest.raises(PassphraseError):
        envelope.decrypt_key(json.dumps(doc).encode(), PW)
    with pytest.raises(envelope.KeyFileError):
        envelope.decrypt_key(b"not json", PW)


def test_short_passphrase_refused() -> None:
    with pytest.raises(PassphraseError):
        envelope.encrypt_key(algs.DEFAULT.generate(), "short")


@pytest.fixture
def world(tmp_path: Path, catalog):
    ipb, kgj = tmp_path / "ipb", tmp_path / "kgj"
    root = pki.ca_init(ipb, PW)
    return ipb, kgj, root, catalog


def _certify(ipb: Path, unit_dir: Path, code: str, catalog) -> x509.Certificate:
    csr, _ = pki.key_request(unit_dir, code, catalog.plan.units[code].name, PW)
    cert = pki.ca_issue(ipb, csr.read_bytes(), PW, catalog.plan)
    return pki.key_install(unit_dir, pki.cert_pem(cert), (ipb / "keys/ca/root.pem").read_bytes(), code)


def test_root_and_leaf_extensions(world) -> None:
    ipb, kgj, root, catalog = world
    cert = _certify(ipb, kgj, "KGJ", catalog)
    bc = root.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert bc.ca and bc.path_length == 0
    assert root.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert pki.cn_of(cert.subject) == "KGJ" and pki.ou_of(cert.subject) == "区科工局"
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    days = (cert.not_valid_after_utc - cert.not_valid_before_utc).days
    assert 729 <= days <= 731
    cert.verify_directly_issued_by(root)
    # the private key is only stored encrypted
    assert b"PRIVATE KEY" not in (kgj / "keys/unit.key").read_bytes()
    assert pki.unit_key(kgj, PW).public_key().public_bytes_raw() == cert.public_key().public_bytes_raw()


def test_issue_refuses_unknown_unit_and_tampered_request(world) -> None:
    ipb, kgj, _, catalog = world
    key = algs.DEFAULT.generate()
    from cryptography.x509.oid import NameOID

    csr = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "NOPE")])
    ).sign(key, None)
    with pytest.raises(pki.PkiError, match="不是工作方案中的填报单位"):
        pki.ca_issue(ipb, csr.public_bytes(serialization.Encoding.PEM), PW, catalog.plan)
    group = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "STREETS")])
    ).sign(key, None)
    with pytest.raises(pki.PkiError):
        pki.ca_issue(ipb, group.public_bytes(serialization.Encoding.PEM), PW, catalog.plan)
    good, _ = pki.key_request(kgj, "KGJ", "区科工局", PW)
    der = x509.load_pem_x509_csr(good.read_bytes()).public_bytes(serialization.Encoding.DER)
    tampered = der.replace(b"KGJ", b"FGW", 1)
    with pytest.raises(pki.PkiError, match="签名无效"):
        pki.ca_issue(ipb, tampered, PW, catalog.plan)
    with pytest.raises(PassphraseError):
        pki.ca_issue(ipb, good.read_bytes(), "wrong passphrase", catalog.plan)


def test_install_checks_key_match_and_chain(world, tmp_path: Path) -> None:
    ipb, kgj, _, catalog = world
    other = tmp_path / "other"
    csr, _ = pki.key_request(other, "KGJ", "区科工局", PW)
    foreign = pki.ca_issue(ipb, csr.read_bytes(), PW, catalog.plan)
    pki.key_request(kgj, "KGJ", "区科工局", PW)
    root_pem = (ipb / "keys/ca/root.pem").read_bytes()
    with pytest.raises(pki.PkiError, match="不匹配"):
        pki.key_install(kgj, pki.cert_pem(foreign), root_pem, "KGJ")
    rogue = pki.ca_init(tmp_path / "rogue", PW)
    with pytest.raises(pki.PkiError, match="不是由受信任的根证书签发"):
        pki.key_install(kgj, pki.cert_pem(foreign), pki.cert_pem(rogue), "KGJ")
    with pytest.raises(pki.PkiError, match="证书属于"):
        pki.key_install(other, pki.cert_pem(foreign), root_pem, "FGW")


def test_revocation_crl_and_trust_import(world, tmp_path: Path) -> None:
    ipb, kgj, root, catalog = world
    cert = _certify(ipb, kgj, "KGJ", catalog)
    assert not TrustStore.load(ipb).is_revoked(cert)
    pki.ca_revoke(ipb, pki.serial_hex(cert), "test")
    assert TrustStore.load(ipb).is_revoked(cert)  # effective at once on the CA machine
    crl = pki.ca_crl(ipb, PW)
    assert crl.is_signature_valid(root.public_key())
    assert crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None
    auditor = tmp_path / "auditor"
    crl_pem = crl.public_bytes(serialization.Encoding.PEM)
    with pytest.raises(pki.PkiError, match="不是由本机信任的根证书"):
        trust.import_crl(auditor, crl_pem)  # no root trusted yet
    trust.import_root(auditor, pki.cert_pem(root))
    ts = TrustStore.load(auditor)
    assert not ts.is_revoked(cert)
    trust.import_crl(auditor, crl_pem)
    ts = TrustStore.load(auditor)
    assert [pki.cert_sha256(r) for r in ts.roots] == [pki.cert_sha256(root)] and ts.is_revoked(cert)
    # a CRL signed by another root is not honoured even if dropped into the folder
    rogue_dir = tmp_path / "rogue"
    pki.ca_init(rogue_dir, PW)
    pki.ca_revoke(rogue_dir, "abcdef")
    (auditor / "keys/trust/crl/zz.pem").write_bytes(pki.ca_crl(rogue_dir, PW).public_bytes(serialization.Encoding.PEM))
    ts = TrustStore.load(auditor)
    assert 0xABCDEF not in ts.revoked and any("不是由受信任的根证书签发" in p for p in ts.problems)


def test_rotation_keeps_old_key_until_new_cert_installed(world) -> None:
    ipb, kgj, _, catalog = world
    old = _certify(ipb, kgj, "KGJ", catalog)
    csr, rotation = pki.key_request(kgj, "KGJ", "区科工局", PW)
    assert rotation and csr.name == "pending.csr.pem"
    assert pki.cert_sha256(pki.unit_cert(kgj)) == pki.cert_sha256(old)  # still signing with the old one
    new = pki.ca_issue(ipb, csr.read_bytes(), PW, catalog.plan)
    pki.key_install(kgj, pki.cert_pem(new), (ipb / "keys/ca/root.pem").read_bytes(), "KGJ")
    assert pki.cert_sha256(pki.unit_cert(kgj)) == pki.cert_sha256(new)
    assert pki.unit_key(kgj, PW).public_key().public_bytes_raw() == new.public_key().public_bytes_raw()
    retired = kgj / "keys/retired" / f"{pki.serial_hex(old)}.pem"
    assert retired.exists() and retired.with_suffix(".key").exists()
    pki.ca_revoke(ipb, str(retired))
    ts = TrustStore.load(ipb)
    assert ts.is_revoked(old) and not ts.is_revoked(new)


def test_algorithm_comes_from_the_key_type() -> None:
    key = algs.DEFAULT.generate()
    assert algs.for_public_key(key.public_key()).name == "Ed25519"
    from cryptography.hazmat.primitives.asymmetric import ec

    with pytest.raises(algs.UnsupportedKey):
        algs.for_public_key(ec.generate_private_key(ec.SECP256R1()).public_key())
