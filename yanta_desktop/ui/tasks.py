"""Background work for the GUI: the domain's plain callbacks become Qt signals here, and only here.

* ``DbWorker`` — one thread that owns one ``Store`` and runs database jobs in order (drafts,
  finalise, reopen, evidence). A sqlite connection is never shared between threads.
* ``run_job`` — a one-off job on the global thread pool (export) that opens its own ``Store``
  and reports progress.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import traceback
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Bridge(QObject):
    """Lives in the GUI thread; its signals carry results back from worker threads."""

    finished = Signal(object, object)  # callback, result
    failed = Signal(object, object)  # callback, exception
    progress = Signal(object, object)  # callback, payload

    def __init__(self) -> None:
        super().__init__()
        _live.add(self)
        self.finished.connect(lambda cb, result: cb(result) if cb else None)
        self.failed.connect(self._on_failed)
        self.progress.connect(lambda cb, payload: cb(payload) if cb else None)

    @staticmethod
    def _on_failed(cb, exc) -> None:
        if cb:
            cb(exc)
        else:
            log.error("后台任务失败：%s", exc)


class DbWorker:
    """A thread with its own Store; ``submit`` queues ``fn(store)``; callbacks run on the GUI thread."""

    def __init__(self, data_dir: Path, opener: Callable[[Path], Any] | None = None) -> None:
        self._data_dir = data_dir
        self._opener = opener
        self._queue: queue.Queue = queue.Queue()
        self._stopping = False
        self._bridge = _Bridge()
        self._thread = threading.Thread(target=self._run, name="yanta-db", daemon=True)
        self._thread.start()

    def _open(self):
        if self._opener:
            return self._opener(self._data_dir)
        from ..store import Store

        return Store.open(self._data_dir)

    def _run(self) -> None:
        store = None
        while True:
            item = self._queue.get()
            if item is None:
                break
            fn, on_done, on_error = item
            try:
                if store is None:
                    store = self._open()
                result = fn(store)
            except Exception as exc:
                if not _is_user_error(exc):
                    log.error("数据库任务出错：\n%s", traceback.format_exc())
                self._bridge.failed.emit(on_error, exc)
            else:
                self._bridge.finished.emit(on_done, result)
            finally:
                self._queue.task_done()
        if store is not None:
            store.close()

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._stopping

    def submit(self, fn: Callable[[Any], Any], on_done=None, on_error=None) -> None:
        if not self.running:
            log.warning("数据库线程已停止，忽略后台任务")
            return
        self._queue.put((fn, on_done, on_error))

    def call(self, fn: Callable[[Any], Any], timeout: float = 30.0) -> Any:
        """Run ``fn(store)`` on the worker and wait for it (used at shutdown and by tests)."""
        box: dict[str, Any] = {}
        done = threading.Event()

        def job(store):
            try:
                box["result"] = fn(store)
            except Exception as exc:
                box["error"] = exc
            finally:
                done.set()

        if not self.running:
            raise RuntimeError("数据库线程已停止")
        self.submit(job)
        if not done.wait(timeout):
            raise TimeoutError("后台数据库任务超时")
        if "error" in box:
            raise box["error"]
        return box.get("result")

    def flush(self, timeout: float = 30.0) -> None:
        """Wait until every queued job has run."""
        self.call(lambda store: None, timeout)

    def stop(self) -> None:
        if self._thread.is_alive() and not self._stopping:
            self._stopping = True
            self._queue.put(None)
            self._thread.join(30)


def _is_user_error(exc: BaseException) -> bool:
    from ..errors import YantaError

    return isinstance(exc, YantaError)


class _Job(QRunnable):
    def __init__(self, fn, bridge: _Bridge, on_done, on_error, on_progress) -> None:
        super().__init__()
        self.fn, self.bridge = fn, bridge
        self.on_done, self.on_error, self.on_progress = on_done, on_error, on_progress

    def run(self) -> None:
        def progress(*payload) -> None:
            self._emit(self.bridge.progress, self.on_progress, payload)

        try:
            result = self.fn(progress)
        except Exception as exc:
            if not _is_user_error(exc):
                log.error("后台任务出错：\n%s", traceback.format_exc())
            self._emit(self.bridge.failed, self.on_error, exc)
        else:
            self._emit(self.bridge.finished, self.on_done, result)

    @staticmethod
    def _emit(signal, callback, payload) -> None:
        try:
            signal.emit(callback, payload)
        except RuntimeError:  # the application is shutting down: nobody is listening any more
            log.debug("后台任务结果无人接收（程序正在退出）")


_shared: _Bridge | None = None
_live: weakref.WeakSet[_Bridge] = weakref.WeakSet()


def _job_bridge() -> _Bridge:
    """One bridge for every pool job (per-job QObjects would be deleted while Qt still delivers)."""
    global _shared
    if _shared is None:
        _shared = _Bridge()
    return _shared


def wait_for_jobs(timeout_ms: int = 30000) -> None:
    """Let running pool jobs finish and the pool's threads exit (before Python shuts down)."""
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.instance() is not None:
        QThreadPool.globalInstance().waitForDone(timeout_ms)


@atexit.register
def _delete_bridges() -> None:
    """Delete the bridges while Python is still alive: their slots are Python callables, and
    tearing those down during interpreter finalisation crashes PySide."""
    global _shared
    wait_for_jobs()
    _shared = None
    for bridge in list(_live):
        if shiboken6.isValid(bridge):
            shiboken6.delete(bridge)


def run_job(fn: Callable[[Callable[..., None]], Any], on_done=None, on_error=None, on_progress=None) -> None:
    """Run ``fn(progress)`` on the thread pool; callbacks arrive on the GUI thread."""
    job = _Job(fn, _job_bridge(), on_done, on_error, on_progress)
    QThreadPool.globalInstance().start(job)
