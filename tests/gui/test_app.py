"""Entry point, self-test and translations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from yanta_desktop.ui.i18n import compile_translations, install_translators, translations_dir

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]


def run_gui(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "yanta_desktop", "--self-test", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=120, env=env, cwd=REPO,
    )


@pytest.mark.slow
def test_self_test_opens_the_main_window_and_exits_0(data_dir):
    done = run_gui(data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "self-test: ok" in done.stdout
    assert "雁塔知识产权强县填报 — " in done.stdout
    assert (data_dir / "yanta.db").exists() and (data_dir / "ui.ini").exists()


@pytest.mark.slow
def test_self_test_in_english(data_dir):
    done = run_gui("--lang", "en", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "Yanta IP Reporting — " in done.stdout


def test_every_ts_compiles_and_english_is_complete(tmp_path):
    import shutil
    import xml.etree.ElementTree as ET

    for ts in translations_dir().glob("*.ts"):
        shutil.copy(ts, tmp_path / ts.name)
    written = compile_translations(tmp_path)
    assert {p.name for p in written} == {"yanta_en.qm", "yanta_zh_CN.qm"}
    assert compile_translations(tmp_path) == []  # up to date: nothing recompiled
    en = ET.parse(translations_dir() / "yanta_en.ts").getroot()
    mine = {"EvidenceBox", "ExportDialog", "FieldEditor", "FormView", "History", "MainWindow", "Setup",
            "ConsolidationView", "IndicatorChart", "SourcesDialog"}
    unfinished = [
        m.find("source").text
        for c in en.iter("context") if c.find("name").text in mine
        for m in c.iter("message") if m.find("translation").get("type") == "unfinished"
    ]
    assert unfinished == []


def test_english_and_qt_own_translations_load(qapp):
    before = QLocale()
    translators = install_translators(qapp, "en")
    try:
        assert QCoreApplication.translate("MainWindow", "草稿") == "Draft"
        assert QCoreApplication.translate("FormView", "定稿") == "Finalise"
    finally:
        for t in translators:
            QApplication.removeTranslator(t)
    translators = install_translators(qapp, "zh_CN")
    try:
        assert QCoreApplication.translate("MainWindow", "草稿") == "草稿"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own buttons in Chinese
    finally:
        for t in translators:
            QApplication.removeTranslator(t)
        QLocale.setDefault(before)


def test_consolidation_names_chosen_at_run_time_are_in_the_english_catalogue(qapp):
    """Headers and outcome/state/status/change names reach tr() as variables, so lupdate only sees them
    through consolidate_models._CATALOGUE: every one must come out English."""
    import re

    from yanta_desktop.consolidate.model import OUTCOME_ZH, STATE_ZH
    from yanta_desktop.ui import consolidate_models as cm

    names = {h for obj in vars(cm).values() if isinstance(obj, type) for h in getattr(obj, "headers", ())}
    for table in (OUTCOME_ZH, STATE_ZH, cm.PACKET_STATUS_ZH, cm.CHANGE_ZH):
        names |= set(table.values()) - {"—"}
    names |= {look.symbol for look in cm.STATE_LOOK.values()}
    assert len(names) > 40
    before = QLocale()
    translators = install_translators(qapp, "en")
    try:
        chinese = sorted(n for n in names if re.search(r"[\u4e00-\u9fff]", cm.tr(n)))
    finally:
        for t in translators:
            QApplication.removeTranslator(t)
        QLocale.setDefault(before)
    assert chinese == []
