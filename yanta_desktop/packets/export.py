"""Export a unit's final entries for one period as a signed packet (skeleton; implementation follows)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .model import ExportResult, Progress, Readiness


def readiness(store: Any, catalog: Any, unit: str, period: str) -> list[Readiness]:
    raise NotImplementedError


def export_packet(
    store: Any, catalog: Any, period: str, out_dir: Path, passphrase: str, progress: Progress | None = None
) -> ExportResult:
    raise NotImplementedError
