"""The GUI never fails to start because one form file is missing or broken."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from yanta_desktop.ui.core import default_period, load_catalog_tolerant

REPO = Path(__file__).resolve().parents[2]


def test_missing_and_broken_forms_are_left_out_with_a_reason(tmp_path):
    folder = tmp_path / "forms"
    shutil.copytree(REPO / "forms", folder)
    (folder / "task03.yaml").unlink()
    (folder / "task07.yaml").write_text("format: yanta-form/1\nid: task07\n  bad: [indent\n", encoding="utf-8")
    loaded = load_catalog_tolerant(folder)
    assert not loaded.has_form(3) and not loaded.has_form(7)
    assert loaded.has_form(1) and loaded.form(1).title
    assert any("task03.yaml" in p for p in loaded.problems)
    assert any("task07.yaml" in p for p in loaded.problems)
    q2 = loaded.plan.period("2025Q2")
    assert loaded.applies(1, q2) and not loaded.applies(3, q2)


def test_complete_folder_has_no_problems():
    loaded = load_catalog_tolerant()
    assert loaded.problems == []
    assert all(loaded.has_form(n) for n in loaded.plan.tasks)


@pytest.mark.parametrize(("today", "expected"), [(dt.date(2025, 8, 1), "2025Q2"), (dt.date(2024, 2, 1), "2024Q1")])
def test_default_period_is_the_last_ended_quarter(today, expected):
    assert default_period(load_catalog_tolerant(), today).code == expected


@pytest.mark.gui
def test_main_window_shows_a_missing_form_as_such(qtbot, data_dir, tmp_path):
    from yanta_desktop.app import build_main_window
    from yanta_desktop.ui.tasks import DbWorker

    folder = tmp_path / "forms"
    shutil.copytree(REPO / "forms", folder)
    (folder / "task04.yaml").unlink()
    loaded = load_catalog_tolerant(folder)
    db = DbWorker(data_dir)
    try:
        db.call(lambda s: s.set_unit("KGJ", "区科工局"))
        window = build_main_window(data_dir, loaded, db, today=dt.date(2025, 8, 1), run_setup=False)
        qtbot.addWidget(window)
        assert window.task_item(4).text(1) == "表单缺失"
        window.select_task(4)
        assert window.form_view is None and "还不可用" in window.placeholder.text()
        window.select_task(1)
        qtbot.waitUntil(lambda: window.form_view is not None)
        window.close()
    finally:
        db.stop()
