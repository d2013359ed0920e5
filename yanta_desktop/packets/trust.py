"""The verifier's trust: pinned root certificate(s) and revoked serials, from its own installation.

Nothing here ever comes from the packet being verified. Sources, under ``<data_dir>/keys/``:
the CA's own root and ``revoked.json`` (IP bureau), the root installed with this bureau's
certificate (``root.pem``), and roots / CRLs imported with ``yanta trust import-root|import-crl``.
A CRL only counts if it is signed by one of the trusted roots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from .. import paths
from . import pki
from .atomic import write_atomic


@dataclass
class TrustStore:
    roots: list[x509.Certificate] = field(default_factory=list)
    revoked: dict[int, str] = field(default_factory=dict)  # serial → where we learnt it
    problems: list[str] = field(default_factory=list)  # unreadable trust files (shown, not fatal)

    @classmethod
    def load(cls, data_dir: Path) -> TrustStore:
        keys = paths.keys_dir(Path(data_dir))
        store = cls()
        candidates = [keys / "ca" / "root.pem", keys / "root.pem", *sorted((keys / "trust" / "roots").glob("*.pem"))]
        seen: set[str] = set()
        for p in candidates:
            if not p.exists():
                continue
            try:
                cert = pki.load_cert_file(p)
            except pki.PkiError as exc:
                store.problems.append(str(exc))
                continue
            if pki.check_root(cert):
                store.problems.append(f"{p}: 不是有效的根证书，已忽略")
                continue
            fp = pki.cert_sha256(cert)
            if fp not in seen:
                seen.add(fp)
                store.roots.append(cert)
        for item in pki.revoked_list(Path(data_dir)) if (keys / "ca" / "revoked.json").exists() else []:
            store.revoked[int(item["serial"], 16)] = "本机吊销记录"
        for p in sorted((keys / "trust" / "crl").glob("*.pem")):
            try:
                crl = load_crl(p.read_bytes())
            except ValueError as exc:
                store.problems.append(f"{p}: {exc}")
                continue
            if store.crl_issuer(crl) is None:
                store.problems.append(f"{p}: 吊销列表不是由受信任的根证书签发的，已忽略")
                continue
            for r in crl:
                store.revoked.setdefault(r.serial_number, f"吊销列表 {p.name}")
        return store

    @classmethod
    def from_roots(cls, roots: list[x509.Certificate], revoked: set[int] | None = None) -> TrustStore:
        return cls(roots=list(roots), revoked={s: "参数" for s in (revoked or set())})

    def crl_issuer(self, crl: x509.CertificateRevocationList) -> x509.Certificate | None:
        for root in self.roots:
            if root.subject == crl.issuer and crl.is_signature_valid(root.public_key()):  # type: ignore[arg-type]
                return root
        return None

    def is_revoked(self, cert: x509.Certificate) -> bool:
        return cert.serial_number in self.revoked


def load_crl(data: bytes) -> x509.CertificateRevocationList:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError:
        raise ValueError("不是有效的证书吊销列表（CRL）") from None


def import_root(data_dir: Path, data: bytes) -> x509.Certificate:
    cert = pki.load_cert(data, "根证书")
    problems = pki.check_root(cert)
    if problems:
        raise pki.PkiError(problems[0].message)
    write_atomic(paths.keys_dir(data_dir) / "trust" / "roots" / f"{pki.cert_sha256(cert)[:16]}.pem", pki.cert_pem(cert))
    return cert


def import_crl(data_dir: Path, data: bytes) -> x509.CertificateRevocationList:
    """Store a CRL after checking it is signed by a root this installation trusts."""
    try:
        crl = load_crl(data)
    except ValueError as exc:
        raise pki.PkiError(str(exc)) from None
    issuer = TrustStore.load(data_dir).crl_issuer(crl)
    if issuer is None:
        raise pki.PkiError("吊销列表不是由本机信任的根证书签发的，未导入")
    name = f"{pki.cert_sha256(issuer)[:16]}.pem"  # one current CRL per root: newer replaces older
    from cryptography.hazmat.primitives import serialization

    write_atomic(paths.keys_dir(data_dir) / "trust" / "crl" / name, crl.public_bytes(serialization.Encoding.PEM))
    return crl


