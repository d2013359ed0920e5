"""Signed Excel packets: keys (Argon2id + AES-GCM envelope), a small Ed25519 CA, export, verification.

Public API (no Qt; the GUI, CLI and consolidation all call these):

- ``export_packet(store, catalog, period, out_dir, passphrase, progress=None) -> ExportResult``
- ``verify_packet(path, trust, catalog=None) -> VerifyReport`` — never raises on a bad file
- ``TrustStore.load(data_dir)`` — trusted root(s) + revocation from the verifier's own installation
- ``readiness(store, catalog, unit, period) -> list[Readiness]`` — unpacks as (task, status, problems)
- ``write_signed_workbook(...)``, ``sign_payload(...)``, ``register_kind(...)`` for the consolidated workbook
- ``progress(done, total, message)`` callbacks are plain callables.
- ``ExportRefused`` (a ``YantaError``; ``.items`` lists the unfinished tasks) when export is refused.
"""

from __future__ import annotations

from .model import ExportResult, Problem, Progress, Readiness, VerifyReport

__all__ = [
    "ExportRefused",
    "ExportResult",
    "Problem",
    "Progress",
    "Readiness",
    "TrustStore",
    "VerifyReport",
    "export_packet",
    "readiness",
    "register_kind",
    "sign_payload",
    "verify_packet",
    "write_signed_workbook",
]


def __getattr__(name: str):
    # Lazy: importing the package must stay cheap for the GUI's start-up.
    if name in ("export_packet", "readiness", "ExportRefused"):
        from . import export

        return getattr(export, name)
    if name in ("verify_packet", "register_kind"):
        from . import verify

        return getattr(verify, name)
    if name == "TrustStore":
        from .trust import TrustStore

        return TrustStore
    if name in ("write_signed_workbook", "sign_payload"):
        from . import workbook

        return getattr(workbook, name)
    raise AttributeError(name)
