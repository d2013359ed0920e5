"""What the store hands out: plain dataclasses, no database handles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUS_ZH = {"draft": "草稿", "final": "已定稿"}


@dataclass(frozen=True)
class Entry:
    """One unit × task × period, at its current revision."""

    id: str
    unit: str
    task: int
    period: str
    status: str  # 'draft' | 'final'
    revision: int
    form_id: str
    form_version: int
    form_sha256: str
    data: dict[str, Any]
    created_at: str
    updated_at: str
    finalised_at: str | None = None
    exported_seq: int | None = None

    @property
    def is_final(self) -> bool:
        return self.status == "final"

    @property
    def status_label(self) -> str:
        """草稿 / 已定稿 / 已导出 (final and included in an export since it was finalised)."""
        if self.status == "final" and self.exported_seq is not None:
            return "已导出"
        return STATUS_ZH.get(self.status, self.status)

    def form_identity(self) -> dict[str, Any]:
        return {"id": self.form_id, "version": self.form_version, "sha256": self.form_sha256}


@dataclass(frozen=True)
class Revision:
    """One save of an entry (oldest first; number 1, 2, 3 …). Old revisions are never changed."""

    number: int
    data: dict[str, Any]
    status: str
    user: str
    saved_at: str
    note: str = ""
    form_id: str = ""
    form_version: int = 0
    form_sha256: str = ""


@dataclass(frozen=True)
class AuditReport:
    ok: bool
    rows: int
    problems: list[str] = field(default_factory=list)
    head_seq: int = 0
    head_sha256: str = ""


@dataclass(frozen=True)
class EvidenceRef:
    sha256: str
    name: str
    size: int

    def as_item(self, kind: str = "", note: str = "") -> dict[str, Any]:
        """The entry-data form: ``{"sha256", "name", "size", "kind", "note"}``."""
        return {"sha256": self.sha256, "name": self.name, "size": self.size, "kind": kind, "note": note}


@dataclass(frozen=True)
class ExportRecord:
    seq: int
    unit: str
    period: str
    payload: bytes
    sha256: str
    prev_sha256: str
    state: str  # 'pending' | 'written'
    path: str | None = None
    content_key: str = ""
    created_at: str = ""
    written_at: str | None = None
