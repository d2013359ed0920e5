"""SQLite store (skeleton: the public API; bodies being filled in)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import StoreError
from .model import AuditReport, Entry, EvidenceRef, ExportRecord, Revision

SCHEMA_VERSION = 2
DEFAULT_MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


class EntryIsFinal(StoreError):
    """该填报已定稿，不能再保存为草稿。请先退回（reopen）并说明原因。"""


class Store:
    def __init__(self, path: Path, user: str) -> None:
        self.path = path
        self.user = user

    @classmethod
    def open(cls, data_dir: Path | None = None, user: str | None = None) -> Store:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def unit(self) -> str | None:
        raise NotImplementedError

    def set_unit(self, code: str, name: str) -> None:
        raise NotImplementedError

    def get_setting(self, key: str, default: Any = None) -> Any:
        raise NotImplementedError

    def set_setting(self, key: str, value: Any) -> None:
        raise NotImplementedError

    def find_entry(self, unit: str, task: int, period: str) -> Entry | None:
        raise NotImplementedError

    def get_entry(self, entry_id: str) -> Entry:
        raise NotImplementedError

    def list_entries(self, unit=None, period=None, task=None, status=None) -> list[Entry]:
        raise NotImplementedError

    def save_draft(self, unit: str, task: int, period: str, data: dict, form) -> Entry:
        raise NotImplementedError

    def finalise(self, entry_id: str, catalog) -> Entry:
        raise NotImplementedError

    def save_final(self, unit: str, task: int, period: str, data: dict, form, catalog) -> Entry:
        raise NotImplementedError

    def reopen(self, entry_id: str, reason: str) -> Entry:
        raise NotImplementedError

    def revisions(self, entry_id: str) -> list[Revision]:
        raise NotImplementedError

    def previous_data(self, unit: str, task: int, period: str) -> dict | None:
        raise NotImplementedError

    def add_evidence(self, path: Path, max_bytes: int = DEFAULT_MAX_EVIDENCE_BYTES) -> EvidenceRef:
        raise NotImplementedError

    def evidence_path(self, sha256: str) -> Path:
        raise NotImplementedError

    def audit_head(self) -> tuple[int, str]:
        raise NotImplementedError

    def audit(self, action: str, target: str, detail: dict) -> None:
        raise NotImplementedError

    def verify_audit(self) -> AuditReport:
        raise NotImplementedError

    def allocate_export(self, unit: str, period: str, build: Callable[[int, str], bytes]) -> ExportRecord:
        raise NotImplementedError

    def mark_export_written(self, seq: int, path: str | Path) -> None:
        raise NotImplementedError

    def pending_exports(self) -> list[ExportRecord]:
        raise NotImplementedError

    def exports(self) -> list[ExportRecord]:
        raise NotImplementedError

    def mark_exported(self, entry_ids: Iterable[str], seq: int) -> None:
        raise NotImplementedError
