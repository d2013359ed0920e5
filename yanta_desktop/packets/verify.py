"""Verify a packet file (skeleton; implementation follows)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .model import VerifyReport
from .trust import TrustStore


def register_kind(kind: str, render: Callable[..., Any], check: Callable[..., Any] | None = None) -> None:
    raise NotImplementedError


def verify_packet(path: Path, trust: TrustStore, catalog: Any = None) -> VerifyReport:
    raise NotImplementedError
