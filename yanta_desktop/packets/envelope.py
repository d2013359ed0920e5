"""Private keys at rest: Argon2id → AES-256-GCM over the raw key, the JSON header as AAD.

File format (UTF-8 JSON)::

    {"format": "yanta-key/1", "alg": "Ed25519", "kdf": {"name": "argon2id", "salt": b64,
     "memory_kib": 131072, "iterations": 3, "lanes": 4}, "nonce": b64, "public": b64, "label": "KGJ",
     "ciphertext": b64}

Everything except ``ciphertext`` is the header and is authenticated (AAD), so changing the KDF cost,
the algorithm or the public key makes decryption fail. ``public`` also lets us tell a wrong passphrase
from a key file that belongs to another key.

Cost: m = 128 MiB, t = 3, p = 4 takes about 0.3 s on the 2-core build machine (0.13 s at 64 MiB,
0.62 s at 256 MiB). ``MIN_PARAMS`` is the floor accepted when *encrypting* in production; tests lower
``DEFAULT_PARAMS`` / ``MIN_PARAMS`` by monkeypatching, never through an environment variable.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from ..errors import PassphraseError, YantaError
from . import algs

FORMAT = "yanta-key/1"


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int = 131072
    iterations: int = 3
    lanes: int = 4


DEFAULT_PARAMS = KdfParams()
MIN_PARAMS = KdfParams(memory_kib=65536, iterations=3, lanes=1)
MAX_MEMORY_KIB = 1 << 21  # 2 GiB: refuse absurd headers instead of exhausting memory


class KeyFileError(YantaError):
    """私钥文件无法读取。"""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, what: str) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except (ValueError, TypeError):
        raise KeyFileError(f"私钥文件字段 {what} 不是有效的 Base64") from None


def _derive(passphrase: str, salt: bytes, p: KdfParams) -> bytes:
    return Argon2id(
        salt=salt, length=32, iterations=p.iterations, lanes=p.lanes, memory_cost=p.memory_kib
    ).derive(passphrase.encode("utf-8"))


def _aad(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < 8:
        raise PassphraseError("口令至少需要 8 个字符")


def encrypt_key(private_key: Any, passphrase: str, label: str = "", params: KdfParams | None = None) -> bytes:
    """The key file bytes for ``private_key`` under ``passphrase``."""
    check_passphrase(passphrase)
    p = params or DEFAULT_PARAMS
    if p.memory_kib < MIN_PARAMS.memory_kib or p.iterations < MIN_PARAMS.iterations:
        raise ValueError("Argon2id 参数低于最低要求")
    alg = algs.for_private_key(private_key)
    salt, nonce = os.urandom(16), os.urandom(12)
    public = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    header = {
        "format": FORMAT,
        "alg": alg.name,
        "kdf": {"name": "argon2id", "salt": _b64(salt), **asdict(p)},
        "nonce": _b64(nonce),
        "public": _b64(public),
        "label": label,
    }
    ct = AESGCM(_derive(passphrase, salt, p)).encrypt(nonce, alg.private_raw(private_key), _aad(header))
    return (json.dumps({**header, "ciphertext": _b64(ct)}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def decrypt_key(data: bytes, passphrase: str, where: str = "私钥文件") -> Any:
    """The private key, or PassphraseError (wrong passphrase) / KeyFileError (damaged file)."""
    try:
        doc = json.loads(data.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError
        ct = _unb64(doc.pop("ciphertext"), "ciphertext")
        kdf = doc["kdf"]
        if kdf.get("name") != "argon2id":
            raise ValueError
        p = KdfParams(int(kdf["memory_kib"]), int(kdf["iterations"]), int(kdf["lanes"]))
        alg = algs.by_name(doc["alg"])
    except KeyFileError:
        raise
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, algs.UnsupportedKey):
        raise KeyFileError("不是 Yanta 私钥文件，或文件已损坏", where=where) from None
    if not (8 <= p.memory_kib <= MAX_MEMORY_KIB and 1 <= p.iterations <= 64 and 1 <= p.lanes <= 64):
        raise KeyFileError("私钥文件的密钥派生参数异常", where=where)
    salt, nonce = _unb64(kdf["salt"], "salt"), _unb64(doc["nonce"], "nonce")
    try:
        raw = AESGCM(_derive(passphrase, salt, p)).decrypt(nonce, ct, _aad(doc))
    except InvalidTag:
        raise PassphraseError(
            "口令错误，无法解开私钥（或私钥文件已被改动）。请核对口令后重试。", where=where
        ) from None
    key = alg.private_from_raw(raw)
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if _b64(public) != doc.get("public"):
        raise KeyFileError("私钥与文件中记录的公钥不一致，文件已损坏", where=where)
    return key


def public_key_of(data: bytes) -> bytes:
    """The raw public key recorded in a key file header (no passphrase needed)."""
    try:
        return _unb64(json.loads(data.decode("utf-8"))["public"], "public")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise KeyFileError("不是 Yanta 私钥文件，或文件已损坏") from None
