"""The local store: entries, revisions, hash-chained audit log, evidence, export records.

One SQLite file per installation (``<data_dir>/yanta.db``). See docs/ARCHITECTURE.md ("Store API").
"""

from .model import AuditReport, Entry, EvidenceRef, ExportRecord, Revision
from .store import DEFAULT_MAX_EVIDENCE_BYTES, SCHEMA_VERSION, EntryIsFinal, Store

__all__ = [
    "DEFAULT_MAX_EVIDENCE_BYTES",
    "SCHEMA_VERSION",
    "AuditReport",
    "Entry",
    "EntryIsFinal",
    "EvidenceRef",
    "ExportRecord",
    "Revision",
    "Store",
]
