"""Signature algorithms, chosen by the certificate's key type — never by a field of the packet.

Each entry says how to sign, how to verify and how the raw signature bytes look. Ed25519 ships now;
SM2-with-SM3 (DER signature, distinguishing ID 1234567812345678) slots in here later without changing
the packet's shape (``packet/payload.sig`` simply holds that algorithm's signature bytes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519


@dataclass(frozen=True)
class Algorithm:
    name: str  # shown to people and in --json
    public_type: type
    private_type: type
    signature_size: int | None  # exact size when fixed
    generate: Callable[[], Any]
    sign: Callable[[Any, bytes], bytes]
    verify: Callable[[Any, bytes, bytes], bool]
    private_raw: Callable[[Any], bytes]
    private_from_raw: Callable[[bytes], Any]


def _ed_verify(pub: ed25519.Ed25519PublicKey, sig: bytes, data: bytes) -> bool:
    try:
        pub.verify(sig, data)
    except InvalidSignature:
        return False
    return True


def _ed_raw(key: ed25519.Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization as s

    return key.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption())


ED25519 = Algorithm(
    name="Ed25519",
    public_type=ed25519.Ed25519PublicKey,
    private_type=ed25519.Ed25519PrivateKey,
    signature_size=64,
    generate=ed25519.Ed25519PrivateKey.generate,
    sign=lambda key, data: key.sign(data),
    verify=_ed_verify,
    private_raw=_ed_raw,
    private_from_raw=ed25519.Ed25519PrivateKey.from_private_bytes,
)

ALGORITHMS: dict[str, Algorithm] = {ED25519.name: ED25519}
DEFAULT = ED25519


class UnsupportedKey(ValueError):
    pass


def for_public_key(key: Any) -> Algorithm:
    for alg in ALGORITHMS.values():
        if isinstance(key, alg.public_type):
            return alg
    raise UnsupportedKey(f"不支持的密钥类型：{type(key).__name__}")


def for_private_key(key: Any) -> Algorithm:
    for alg in ALGORITHMS.values():
        if isinstance(key, alg.private_type):
            return alg
    raise UnsupportedKey(f"不支持的密钥类型：{type(key).__name__}")


def by_name(name: str) -> Algorithm:
    try:
        return ALGORITHMS[name]
    except KeyError:
        raise UnsupportedKey(f"不支持的签名算法：{name}") from None
