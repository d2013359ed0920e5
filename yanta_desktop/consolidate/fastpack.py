"""Genuine signed packets without a unit installation: for tests, the demo's tampering and the benchmark.

The packets written here are real: canonical payload, Ed25519 signature by a certificate issued by the
IP bureau's CA, sheets rendered by ``packets.render.render_unit`` and written by
``packets.workbook.write_signed_workbook`` — exactly what ``export_packet`` writes. What is skipped is the
unit's local store (entries, audit log, export state machine), and, in :func:`issue_fast`, the Argon2id
envelope of the unit key (the key stays in memory). ``verify_packet`` accepts them like any export.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ed25519

from .. import canonical


def issue_fast(ca_key: Any, root: x509.Certificate, code: str, name: str, days: int = 730) -> tuple[Any, x509.Certificate]:
    """A unit key (in memory) and its certificate, with the same profile as ``pki.ca_issue``."""
    from ..packets import pki

    key = ed25519.Ed25519PrivateKey.generate()
    cert = pki.leaf_certificate(ca_key, root, key.public_key(), code, name, days)
    return key, cert


def make_payload(
    catalog: Any,
    unit: str,
    period: str,
    seq: int,
    prev_sha256: str,
    entries: dict[int, dict],
    cert: x509.Certificate,
    created_at: str = "2026-01-10T08:00:00Z",
    contact: dict | None = None,
) -> dict:
    """A ``yanta-packet/1`` unit payload. ``entries``: task → entry data ({values, tables, evidence})."""
    from ..forms import normalise
    from ..packets import pki

    plan = catalog.plan
    out = []
    for task, raw in sorted(entries.items()):
        form = catalog.form(task)
        data, _ = normalise(form, raw)  # the stored form of entry data (what a unit's store would sign)
        out.append({
            "entry_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"yanta:{unit}:{period}:{task}")),
            "task": task,
            "revision": 1,
            "finalised_at": created_at,
            "form": form.identity(),
            "values": data.get("values", {}),
            "tables": data.get("tables", {}),
            "evidence": data.get("evidence", []),
        })
    return {
        "format": "yanta-packet/1",
        "kind": "unit",
        "packet_id": str(uuid.uuid4()),
        "unit": {"code": unit, "name": plan.units[unit].name},
        "period": period,
        "seq": seq,
        "prev_sha256": prev_sha256,
        "created_at": created_at,
        "audit_head": {"seq": seq * 10, "sha256": hashlib.sha256(f"{unit}{seq}".encode()).hexdigest()},
        "signer_cert_sha256": pki.cert_sha256(cert),
        "plan": {"id": plan.spec.id, "version": plan.spec.version, "sha256": plan.sha256},
        "contact": contact or {"filled_by": "张三", "phone": "029-85212345"},
        "entries": out,
    }


def write_packet(path: Path, payload: dict, key: Any, cert: x509.Certificate, catalog: Any,
                 evidence: dict[str, bytes] | None = None) -> str:
    """Sign ``payload`` and write the packet file; returns the payload SHA-256."""
    from ..packets import pki
    from ..packets.render import render_unit
    from ..packets.workbook import sign_payload, write_signed_workbook

    body = canonical.dumps(payload)
    sha = hashlib.sha256(body).hexdigest()
    sheets = render_unit(payload, sha, catalog)
    write_signed_workbook(Path(path), body, sign_payload(body, key), pki.cert_pem(cert), sheets, evidence)
    return sha
