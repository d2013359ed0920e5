"""Plain data shared by the packet modules and their callers (GUI, CLI, consolidation)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Progress = Callable[[int, int, str], None]
"""``progress(done, total, message)``: a plain callable; the GUI wraps it in a signal."""

FORMAT = "yanta-packet/1"
PAYLOAD_PART = "packet/payload.json"
SIGNATURE_PART = "packet/payload.sig"
CERT_PART = "packet/signer.pem"
EVIDENCE_PREFIX = "packet/evidence/"


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


@dataclass(frozen=True)
class Problem:
    """One reason a packet is not genuine. ``code`` is stable (tests, --json); ``message`` is Chinese."""

    code: str
    message: str

    def __post_init__(self) -> None:
        # part and sheet names are chosen by whoever made the file: never let their control characters or
        # bidi overrides reach a terminal, a log or a quarantine reason file
        if _UNSAFE.search(self.message):
            object.__setattr__(self, "message", _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", self.message))

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class VerifyReport:
    ok: bool
    path: Path
    kind: str | None = None  # "unit" | "consolidated"
    unit_code: str | None = None
    unit_name: str | None = None
    period: str | None = None
    seq: int | None = None
    prev_sha256: str | None = None
    payload_sha256: str | None = None
    cert_sha256: str | None = None
    cert_serial: str | None = None  # hex
    signer: str | None = None  # certificate subject CN (unit code)
    problems: list[Problem] = field(default_factory=list)
    payload: dict[str, Any] | None = None  # only when the signature verified
    checks: list[str] = field(default_factory=list)  # what passed, in order (for display)

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "path": str(self.path),
            "kind": self.kind,
            "unit": {"code": self.unit_code, "name": self.unit_name} if self.unit_code else None,
            "period": self.period,
            "seq": self.seq,
            "prev_sha256": self.prev_sha256,
            "payload_sha256": self.payload_sha256,
            "cert_sha256": self.cert_sha256,
            "cert_serial": self.cert_serial,
            "signer": self.signer,
            "checks": list(self.checks),
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass(frozen=True)
class ExportResult:
    path: Path
    seq: int
    payload_sha256: str
    cert_sha256: str
    entries: int
    reused: bool = False  # True when an identical pending/earlier payload was re-materialised


@dataclass(frozen=True)
class Readiness:
    """One task's state for an export: ``status`` is 'final' | 'draft' | 'missing' | 'exported'."""

    task: int
    title: str
    status: str
    problems: list[str]  # Chinese, field-level ("行政处罚案件台账 第4行：请填写“结案日期”")

    def __iter__(self):  # unpacks as (task, status, problems)
        return iter((self.task, self.status, self.problems))
