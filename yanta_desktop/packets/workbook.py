"""Write a signed workbook: rendered sheets + packet/* parts (skeleton)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def sign_payload(payload_bytes: bytes, private_key: Any) -> bytes:
    raise NotImplementedError


def write_signed_workbook(
    path: Path, payload_bytes: bytes, signature: bytes, cert_pem: bytes, sheets: Any, evidence: dict | None = None
) -> Path:
    raise NotImplementedError
