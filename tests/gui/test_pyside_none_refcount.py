"""Regression guard: PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void Qt call.

After a few thousand calls the interpreter dies with ``Fatal Python error: none_dealloc``
(we pin PySide6 < 6.12 on 3.11 in pyproject.toml). This makes 50,000 void calls and checks that
``sys.getrefcount(None)`` does not drift.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.gui

CALLS = 50_000


def test_void_qt_calls_do_not_leak_or_steal_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    item = QStandardItem()
    for i in range(100):  # warm up caches that legitimately hold None
        label.setText(str(i))
        item.setText(str(i))
    before = sys.getrefcount(None)
    for _ in range(CALLS // 2):
        label.setText("雁塔")  # void QLabel::setText
        item.setText("知识产权")  # void QStandardItem::setText
    after = sys.getrefcount(None)
    # immortal None (3.12+) reports a huge constant; on 3.11 the count must not move by ~CALLS
    assert abs(after - before) < 100, f"refcount(None) drifted by {after - before} over {CALLS} void calls"
