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
from concurrent.futures.process import BrokenProcessPool
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
    """Reports in file order. A worker that dies breaks the pool; the remaining files are then verified in this
    process, so one bad file never stops the others."""
    from ..packets import pki

    forms_dir = str(catalog.forms.folder) if getattr(catalog.forms, "folder", None) else None
    init = (forms_dir, [pki.cert_pem(r) for r in trust.roots], list(trust.revoked))
    ctx = multiprocessing.get_context("spawn")  # safe from a GUI worker thread, same on Windows
    window = workers * 4
    todo = deque(files)

    def pool(n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init, initargs=init)

    while todo:  # one pass; the loop only guards an empty list
        ex = pool(workers)
        pending: deque[tuple[Path, Future]] = deque()
        broken = False
        try:
            while todo or pending:
                while todo and len(pending) < window:
                    try:  # a worker killed while the pool starts breaks it before any result
                        fut = ex.submit(_verify, str(todo[0]))
                    except BrokenProcessPool:
                        broken = True
                        break
                    pending.append((todo.popleft(), fut))
                if broken:
                    break
                f, fut = pending[0]
                try:
                    report = fut.result()
                except BrokenProcessPool:
                    broken = True
                    break
                pending.popleft()
                yield f, report
        finally:
            ex.shutdown(wait=not broken, cancel_futures=True)
        if broken:
            # a worker died (killed, or out of memory on a hostile file). Starting a fresh pool right after a
            # SIGKILL was seen to hang, so the files in flight and the rest are verified here, one by one, as the
            # serial import does (the verifier's own bounds apply); nothing is skipped and nothing stops.
            from ..packets import verify_packet

            for f in [p for p, _ in pending] + list(todo):
                try:
                    yield f, verify_packet(f, trust, catalog)
                except Exception as exc:
                    yield f, RuntimeError(f"{type(exc).__name__}: {exc}")
            return
