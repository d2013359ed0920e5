"""Drafts survive a killed process: the app is SIGKILLed one second after the last key press."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from yanta_desktop.store import Store

from .conftest import open_task

pytestmark = [pytest.mark.gui, pytest.mark.slow]

CHILD = Path(__file__).with_name("kill_child.py")
REPO = Path(__file__).resolve().parents[2]


def run_and_kill(data_dir: Path, field: str, text: str, after: float) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    log = data_dir.parent / "child.log"
    with log.open("w") as err, subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir), "KGJ", field, text],
        stdout=subprocess.PIPE, stderr=err, env=env, text=True,
    ) as child:
        try:
            line = child.stdout.readline()
            assert line.strip() == "TYPED", log.read_text()
            time.sleep(after)
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(10)
    assert child.returncode == -signal.SIGKILL


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_typing_survives_sigkill_one_second_later(data_dir, make_window, qtbot):
    run_and_kill(data_dir, "invention_grants", "4321", after=1.3)
    with Store.open(data_dir) as store:
        entry = store.find_entry("KGJ", 1, "2025Q2")
        assert entry is not None and entry.status == "draft"
        assert entry.data["values"]["invention_grants"] == 4321
        assert store.verify_audit().ok
    window = make_window("KGJ")  # the app opens normally after the crash and shows the draft
    view = open_task(window, qtbot, 1)
    assert view.rows["invention_grants"].editor.raw() == "4321"
    assert window.task_item(1).text(1) == "草稿"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_unparsed_text_survives_sigkill_too(data_dir, make_window, qtbot):
    run_and_kill(data_dir, "phone", "029-8521", after=1.3)  # incomplete phone number: not valid yet
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    assert view.rows["phone"].editor.raw() == "029-8521"
    assert view.rows["phone"].message.isVisible()
