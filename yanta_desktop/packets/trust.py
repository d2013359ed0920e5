"""The verifier's trust: pinned root certificate(s) and revoked serials (skeleton)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class TrustStore:
    roots: list = field(default_factory=list)
    revoked: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, data_dir: Path) -> TrustStore:
        raise NotImplementedError
