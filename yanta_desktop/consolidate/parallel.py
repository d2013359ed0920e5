"""Verify many packets in worker processes, with back-pressure (never more than a few reports in flight).

Only used for large batches (``import_paths(..., workers=N)``). Each worker loads the catalog and the
trust roots once (they are passed as plain data: forms folder, root certificates as PEM, revoked serials);
reports come back in file order, so the ledger sees packets in the same order as a serial import.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

_state: dict[str, Any] = {}


def _init(forms_dir: str | None, roots_pem: list[bytes], revoked: list[int]) -> None:
    from ..catalog import load_catalog
    from ..packets import pki
    from ..packets.trust import TrustStore

    _state["catalog"] = load_catalog(Path(forms_dir) if forms_dir else None)
    _state["trust"] = TrustStore.from_roots([pki.load_cert(p) for p in roots_pem], set(revoked))


def _verify(path: str) -> Any:
    from ..packets import verify_packet

    try:
        return verify_packet(Path(path), _state["trust"], _state["catalog"])
    except Exception as exc:  # returned, not raised: one bad file never stops the others
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def verify_many(files: list[Path], trust: Any, catalog: Any, workers: int) -> Iterator[tuple[Path, Any]]:
    from ..packets import pki

    forms_dir = str(catalog.forms.folder) if getattr(catalog.forms, "folder", None) else None
    roots = [pki.cert_pem(r) for r in trust.roots]
    ctx = multiprocessing.get_context("spawn")  # safe from a GUI worker thread, same on Windows
    window = workers * 4
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init,
                             initargs=(forms_dir, roots, list(trust.revoked))) as pool:
        pending: deque[tuple[Path, Future]] = deque()
        it = iter(files)
        for f in it:
            pending.append((f, pool.submit(_verify, str(f))))
            if len(pending) >= window:
                break
        while pending:
            f, fut = pending.popleft()
            nxt = next(it, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_verify, str(nxt))))
            yield f, fut.result()
