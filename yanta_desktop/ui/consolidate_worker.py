"""One background thread for the consolidation view.

The consolidation core is plain Python with a ``progress(done, total, message)`` callback and
a ``cancel()``; it keeps a SQLite connection, and a connection is not shared between threads.
So every job runs on one worker thread that owns its own ``Consolidation`` (opened lazily,
closed when the thread stops), and the callback becomes a Qt signal here, at the UI edge.
The UI thread only posts jobs and receives signals: it never waits on the database.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..consolidate.model import Cancelled
from ..errors import YantaError

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
CancelPoll = Callable[[], bool]
JobFn = Callable[[Any, Progress, CancelPoll], Any]  # fn(consolidation, progress, cancel) -> result


class _Runner(QObject):
    """Lives on the worker thread; runs jobs one at a time."""

    progress = Signal(int, int, int, str)  # job id, done, total, message
    finished = Signal(int, object)  # job id, result
    failed = Signal(int, str, str)  # job id, user message, traceback ('' for a user error)
    cancelled = Signal(int)

    def __init__(self, opener: Callable[[], Any]) -> None:
        super().__init__()
        self._opener = opener
        self._cons: Any = None
        self.cancel_event = threading.Event()
        self.current_job = 0

    def consolidation(self) -> Any:
        if self._cons is None:
            self._cons = self._opener()
        return self._cons

    @Slot(int, object)
    def run(self, job: int, fn: JobFn) -> None:
        self.current_job = job
        self.cancel_event.clear()

        def progress(done: int, total: int, message: str = "") -> None:
            self.progress.emit(job, int(done), int(total), str(message))

        try:
            result = fn(self.consolidation(), progress, self.cancel_event.is_set)
        except Cancelled:
            self.cancelled.emit(job)
        except YantaError as exc:
            self.failed.emit(job, str(exc), "")
        except Exception as exc:  # a bug: keep the traceback for the log
            tb = traceback.format_exc()
            log.error("consolidation job failed\n%s", tb)
            self.failed.emit(job, f"{type(exc).__name__}: {exc}", tb)
        else:
            self.finished.emit(job, result)
        finally:
            self.current_job = 0

    @Slot()
    def close(self) -> None:
        if self._cons is not None:
            closer = getattr(self._cons, "close", None)
            try:
                if closer:
                    closer()
            finally:
                self._cons = None


class ConsolidationWorker(QObject):
    """Posts jobs to the worker thread; re-emits their progress and results on the UI thread."""

    progress = Signal(int, int, int, str)
    finished = Signal(int, object)
    failed = Signal(int, str, str)
    cancelled = Signal(int)
    _post = Signal(int, object)
    _close = Signal()

    def __init__(self, opener: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._thread = QThread()
        self._thread.setObjectName("consolidation-worker")
        self.runner = _Runner(opener)
        self.runner.moveToThread(self._thread)
        self._post.connect(self.runner.run)
        self._close.connect(self.runner.close)
        self.runner.progress.connect(self.progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self._pending: set[int] = set()
        self._thread.start()

    # ---- posting ------------------------------------------------------------------------
    def submit(self, fn: JobFn) -> int:
        job = next(self._ids)
        self._pending.add(job)
        self._post.emit(job, fn)
        return job

    def busy(self) -> bool:
        return bool(self._pending)

    def cancel(self) -> None:
        """Ask the running job to stop at its next packet boundary (the core polls ``cancel()``)."""
        self.runner.cancel_event.set()

    def shutdown(self, timeout_ms: int = 30000) -> None:
        if not self._thread.isRunning():
            return
        self.cancel()
        self._close.emit()
        self._thread.quit()
        if not self._thread.wait(timeout_ms):
            log.error("consolidation worker did not stop within %d ms", timeout_ms)

    # ---- relays ---------------------------------------------------------------------------
    def _on_finished(self, job: int, result: object) -> None:
        self._pending.discard(job)
        self.finished.emit(job, result)

    def _on_failed(self, job: int, message: str, tb: str) -> None:
        self._pending.discard(job)
        self.failed.emit(job, message, tb)

    def _on_cancelled(self, job: int) -> None:
        self._pending.discard(job)
        self.cancelled.emit(job)


def default_opener(data_dir: Path) -> Callable[[], Any]:
    def open_consolidation() -> Any:
        from ..consolidate import Consolidation

        return Consolidation.open(data_dir)

    return open_consolidation
