"""The small certificate authority and the bureau's key files.

Layout under ``<data_dir>/keys/``::

    ca/root.key          IP bureau only: the root private key (Argon2id + AES-GCM envelope)
    ca/root.pem          the root certificate (self-signed, Ed25519)
    ca/issued/<serial>.pem   every certificate issued
    ca/revoked.json      [{"serial": hex, "unit": code, "revoked_at": iso, "reason": text}]
    unit.key  unit.csr.pem  unit.pem     this bureau's key, request and certificate
    pending.key pending.csr.pem          a rotation in progress (new key waiting for its certificate)
    root.pem             the root this bureau installed with its certificate (trusted for verify)
    retired/<serial>.pem(.key)           certificates and keys replaced by a rotation
    trust/roots/*.pem  trust/crl/*.pem   roots and revocation lists imported by `yanta trust`
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtensionOID, NameOID

from .. import paths
from ..errors import YantaError
from . import algs, envelope
from .atomic import write_atomic
from .model import Problem

ROOT_DAYS = 3650
LEAF_DAYS = 730
CRL_DAYS = 180
ORG = "雁塔区知识产权强县建设"
ROOT_CN = "雁塔区知识产权局 填报签名根证书"


class PkiError(YantaError):
    """证书操作失败。"""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def cert_sha256(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def serial_hex(cert: x509.Certificate) -> str:
    return f"{cert.serial_number:x}"


def cn_of(name: x509.Name) -> str | None:
    attrs = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else None


def ou_of(name: x509.Name) -> str | None:
    attrs = name.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    return str(attrs[0].value) if attrs else None


def load_cert(data: bytes, where: str = "证书") -> x509.Certificate:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise PkiError("不是有效的 X.509 证书", where=where) from None


def load_cert_file(path: Path) -> x509.Certificate:
    try:
        return load_cert(Path(path).read_bytes(), where=str(path))
    except OSError as exc:
        raise PkiError(f"无法读取证书文件：{exc.strerror}", where=str(path)) from None


def _ski(public_key: Any) -> x509.SubjectKeyIdentifier:
    return x509.SubjectKeyIdentifier.from_public_key(public_key)


def leaf_certificate(ca_key: Any, root: x509.Certificate, public_key: Any, code: str, name: str, days: int) -> x509.Certificate:
    """A unit's signing certificate: CN = unit code, OU = unit name, CA:FALSE, digitalSignature +
    contentCommitment, SKI/AKI (so ``openssl verify -x509_strict`` accepts the chain), within the root's validity."""
    t = now()
    root_ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, code),
                    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, name),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG),
                ]
            )
        )
        .issuer_name(root.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(t - dt.timedelta(minutes=5))
        .not_valid_after(min(t + dt.timedelta(days=days), root.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(_ski(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
        .sign(ca_key, None)
    )


# ---- the IP bureau's CA ------------------------------------------------------------------------


def ca_dir(data_dir: Path) -> Path:
    return paths.keys_dir(data_dir) / "ca"


def ca_exists(data_dir: Path) -> bool:
    return (ca_dir(data_dir) / "root.pem").exists()


def ca_init(data_dir: Path, passphrase: str, *, force: bool = False) -> x509.Certificate:
    """Create the Ed25519 root key (encrypted) and its self-signed certificate."""
    d = ca_dir(data_dir)
    if (d / "root.key").exists() and not force:
        raise PkiError("本机已有根证书（ca/root.key）。换发根证书会使所有已签发证书失效，如确需重建请先备份并加 --force。")
    key = algs.DEFAULT.generate()
    name = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, ROOT_CN), x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG)]
    )
    t = now()
    ski = _ski(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(t - dt.timedelta(minutes=5))
        .not_valid_after(t + dt.timedelta(days=ROOT_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, None)
    )
    (d / "issued").mkdir(parents=True, exist_ok=True)
    write_atomic(d / "root.key", envelope.encrypt_key(key, passphrase, label="root"))
    write_atomic(d / "root.pem", cert_pem(cert))
    if not (d / "revoked.json").exists():
        write_atomic(d / "revoked.json", b"[]\n")
    return cert


def ca_root(data_dir: Path) -> x509.Certificate:
    p = ca_dir(data_dir) / "root.pem"
    if not p.exists():
        raise PkiError("本机还没有根证书。请先运行 `yanta ca init`（仅区知识产权局）。")
    return load_cert_file(p)


def ca_key(data_dir: Path, passphrase: str) -> Any:
    p = ca_dir(data_dir) / "root.key"
    if not p.exists():
        raise PkiError("本机没有根证书私钥（ca/root.key）。")
    return envelope.decrypt_key(p.read_bytes(), passphrase, where=str(p))


def load_csr(data: bytes, where: str = "证书申请") -> x509.CertificateSigningRequest:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_csr(data)
        return x509.load_der_x509_csr(data)
    except ValueError:
        raise PkiError("不是有效的证书申请文件（CSR）", where=where) from None


def ca_issue(
    data_dir: Path, csr_data: bytes, passphrase: str, plan: Any, *, days: int = LEAF_DAYS, where: str = "证书申请"
) -> x509.Certificate:
    """Check the request and issue a 2-year certificate for the unit it names."""
    csr = load_csr(csr_data, where)
    if not csr.is_signature_valid:
        raise PkiError("证书申请的签名无效（文件可能被改动）", where=where)
    try:
        algs.for_public_key(csr.public_key())
    except algs.UnsupportedKey as exc:
        raise PkiError(str(exc), where=where) from None
    code = cn_of(csr.subject)
    unit = plan.units.get(code or "")
    if unit is None or unit.is_group:
        raise PkiError(f"证书申请中的单位代码“{code}”不是工作方案中的填报单位", where=where)
    root = ca_root(data_dir)
    key = ca_key(data_dir, passphrase)
    if key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) != root.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    ):
        raise PkiError("根证书与根私钥不匹配")
    cert = leaf_certificate(key, root, csr.public_key(), unit.code, unit.name, days)
    write_atomic(ca_dir(data_dir) / "issued" / f"{serial_hex(cert)}.pem", cert_pem(cert))
    return cert


def revoked_list(data_dir: Path) -> list[dict]:
    p = ca_dir(data_dir) / "revoked.json"
    if not p.exists():
        return []
    return json.loads(p.read_text(encoding="utf-8"))


def ca_revoke(data_dir: Path, serial_or_cert: str, reason: str = "") -> dict:
    """Record a revocation (by hex serial or certificate file). Takes effect on this machine at once."""
    ca_root(data_dir)
    p = Path(serial_or_cert)
    if p.is_file():
        cert = load_cert_file(p)
        serial = serial_hex(cert)
    else:
        serial = serial_or_cert.strip().lower().removeprefix("0x").replace(":", "")
        try:
            serial = f"{int(serial, 16):x}"  # openssl prints upper case with leading zeros
        except ValueError:
            raise PkiError(f"“{serial_or_cert}”既不是证书文件，也不是十六进制序列号") from None
        issued = ca_dir(data_dir) / "issued" / f"{serial}.pem"
        cert = load_cert_file(issued) if issued.exists() else None
    items = revoked_list(data_dir)
    for item in items:
        if item["serial"] == serial:
            return item
    item = {
        "serial": serial,
        "unit": cn_of(cert.subject) if cert else "",
        "revoked_at": now().isoformat().replace("+00:00", "Z"),
        "reason": reason,
    }
    items.append(item)
    write_atomic(
        ca_dir(data_dir) / "revoked.json", (json.dumps(items, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    )
    return item


def ca_crl(data_dir: Path, passphrase: str) -> x509.CertificateRevocationList:
    """An X.509 CRL of every revoked serial, signed by the root (for other verifiers and openssl)."""
    root = ca_root(data_dir)
    key = ca_key(data_dir, passphrase)
    t = now()
    root_ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    b = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(root.subject)
        .last_update(t - dt.timedelta(minutes=5))
        .next_update(t + dt.timedelta(days=CRL_DAYS))
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
        .add_extension(x509.CRLNumber(int(t.timestamp())), critical=False)
    )
    for item in revoked_list(data_dir):
        at = dt.datetime.fromisoformat(item["revoked_at"].replace("Z", "+00:00"))
        b = b.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(int(item["serial"], 16)).revocation_date(at).build()
        )
    return b.sign(key, None)


# ---- a bureau's own key ------------------------------------------------------------------------


def _unit_paths(data_dir: Path) -> dict[str, Path]:
    k = paths.keys_dir(data_dir)
    return {
        "key": k / "unit.key",
        "csr": k / "unit.csr.pem",
        "cert": k / "unit.pem",
        "root": k / "root.pem",
        "pending_key": k / "pending.key",
        "pending_csr": k / "pending.csr.pem",
        "retired": k / "retired",
    }


def key_request(
    data_dir: Path, unit_code: str, unit_name: str, passphrase: str, *, force: bool = False
) -> tuple[Path, bool]:
    """Generate a key pair and a CSR (CN = unit code). Returns (csr path, is_rotation).

    With a certified key already installed this starts a rotation: the new key waits in
    ``pending.key`` until its certificate is installed; the current key keeps signing until then.
    """
    p = _unit_paths(data_dir)
    p["key"].parent.mkdir(parents=True, exist_ok=True)
    rotation = p["cert"].exists()
    if p["key"].exists() and p["csr"].exists() and not rotation and not force:
        # a request is outstanding and not yet certified: keep that key, re-emit the same CSR
        return p["csr"], False
    key = algs.DEFAULT.generate()
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, unit_code),
                    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit_name),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG),
                ]
            )
        )
        .sign(key, None)
    )
    key_file, csr_file = (p["pending_key"], p["pending_csr"]) if rotation else (p["key"], p["csr"])
    write_atomic(key_file, envelope.encrypt_key(key, passphrase, label=unit_code))
    write_atomic(csr_file, csr.public_bytes(serialization.Encoding.PEM))
    return csr_file, rotation


def _raw_pub(key: Any) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_install(data_dir: Path, cert_data: bytes, root_data: bytes, unit_code: str | None) -> x509.Certificate:
    """Install this bureau's certificate and the root; checks key match and the chain."""
    p = _unit_paths(data_dir)
    cert = load_cert(cert_data, "证书")
    root = load_cert(root_data, "根证书")
    problems = check_root(root) + check_chain(cert, root)
    if problems:
        raise PkiError("；".join(x.message for x in problems))
    if unit_code and cn_of(cert.subject) != unit_code:
        raise PkiError(f"证书属于单位“{cn_of(cert.subject)}”，而本机是“{unit_code}”")
    pub = _raw_pub(cert.public_key())
    target = None
    for name in ("pending_key", "key"):
        if p[name].exists() and envelope.public_key_of(p[name].read_bytes()) == pub:
            target = name
            break
    if target is None:
        raise PkiError("证书与本机的私钥不匹配（请确认是本机 `yanta key request` 生成的申请所签发的证书）")
    if target == "pending_key":
        old = load_cert_file(p["cert"])
        p["retired"].mkdir(parents=True, exist_ok=True)
        write_atomic(p["retired"] / f"{serial_hex(old)}.pem", cert_pem(old))
        write_atomic(p["retired"] / f"{serial_hex(old)}.key", p["key"].read_bytes())
        os.replace(p["pending_key"], p["key"])
        if p["pending_csr"].exists():
            os.replace(p["pending_csr"], p["csr"])
    write_atomic(p["root"], cert_pem(root))
    write_atomic(p["cert"], cert_pem(cert))
    return cert


def unit_cert(data_dir: Path) -> x509.Certificate:
    p = _unit_paths(data_dir)["cert"]
    if not p.exists():
        raise PkiError("本机还没有签名证书。请先运行 `yanta key request`，把申请文件交区知识产权局签发，再运行 `yanta key install`。")
    return load_cert_file(p)


def unit_key(data_dir: Path, passphrase: str) -> Any:
    p = _unit_paths(data_dir)["key"]
    if not p.exists():
        raise PkiError("本机还没有签名私钥。请先运行 `yanta key request`。")
    key = envelope.decrypt_key(p.read_bytes(), passphrase, where=str(p))
    return key


# ---- checks shared by install and verify -------------------------------------------------------


def _ext(cert: x509.Certificate, cls: type) -> Any:
    try:
        return cert.extensions.get_extension_for_class(cls).value
    except x509.ExtensionNotFound:
        return None


def check_root(root: x509.Certificate) -> list[Problem]:
    bc = _ext(root, x509.BasicConstraints)
    if bc is None or not bc.ca:
        return [Problem("root_not_ca", "根证书不是 CA 证书")]
    try:
        root.verify_directly_issued_by(root)
    except (ValueError, TypeError, Exception):
        return [Problem("root_not_self_signed", "根证书的自签名无效")]
    return []


def check_chain(cert: x509.Certificate, root: x509.Certificate) -> list[Problem]:
    try:
        cert.verify_directly_issued_by(root)
    except Exception:
        return [Problem("cert_untrusted", "签名证书不是由受信任的根证书签发的（可能是伪造的根证书）")]
    out = []
    bc = _ext(cert, x509.BasicConstraints)
    if bc is None or bc.ca:
        out.append(Problem("cert_bad_usage", "签名证书的基本约束不对（不能是 CA 证书）"))
    ku = _ext(cert, x509.KeyUsage)
    if ku is None or not ku.digital_signature:
        out.append(Problem("cert_bad_usage", "签名证书不允许数字签名"))
    return out


def find_issuer(cert: x509.Certificate, roots: list[x509.Certificate]) -> x509.Certificate | None:
    for root in roots:
        if root.subject != cert.issuer:
            continue
        try:
            cert.verify_directly_issued_by(root)
        except Exception:
            continue
        return root
    return None


def check_validity(cert: x509.Certificate, at: dt.datetime | None = None) -> list[Problem]:
    t = at or now()
    if t < cert.not_valid_before_utc:
        return [Problem("cert_not_yet_valid", f"签名证书尚未生效（生效时间 {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC）")]
    if t > cert.not_valid_after_utc:
        return [Problem("cert_expired", f"签名证书已过期（到期时间 {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC）")]
    return []


def ext_id(cert: x509.Certificate) -> str:
    ski = _ext(cert, x509.SubjectKeyIdentifier)
    return ski.digest.hex() if ski else ""


_ = ExtensionOID  # re-exported for callers that inspect extensions
