"""A small bar chart of one indicator over the periods so far, against its 2026 target.

QtCharts is not part of PySide6-Essentials, so this is drawn with QPainter: one bar per
period (labelled with its value), a dashed line at the target, and the axis labels. Bars that
meet the target are green, the others amber; a period without data shows a grey “无数据”.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

MET = QColor("#2e7d32")
BEHIND = QColor("#ef8f00")
TARGET = QColor("#c62828")
GRID = QColor("#d0d0d0")
NODATA = QColor("#9e9e9e")


@dataclass(frozen=True)
class ChartPoint:
    label: str  # period code, e.g. 2025Q2
    value: Decimal | None
    text: str  # formatted value
    met: bool | None


class IndicatorChart(QWidget):
    """Bars per period + target line. Emits ``barActivated(index)`` on a double-click on a bar."""

    barActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[ChartPoint] = []
        self._target: Decimal | None = None
        self._target_text = ""
        self._title = ""
        self._bars: list[QRectF] = []
        self.setMinimumSize(420, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, points: list[ChartPoint], target: Decimal | None, target_text: str) -> None:
        self._title = title
        self._points = list(points)
        self._target = target
        self._target_text = target_text
        self.update()

    def points(self) -> list[ChartPoint]:
        return list(self._points)

    def sizeHint(self) -> QSize:
        return QSize(640, 300)

    # ---- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        fm = QFontMetrics(self.font())
        lh = fm.height()
        w, h = self.width(), self.height()
        p.setPen(self.palette().text().color())
        bold = self.font()
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(QRectF(8, 4, w - 16, lh + 4), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   self._title)
        p.setFont(self.font())
        self._bars = []
        if not self._points:
            p.setPen(NODATA)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("尚无数据"))
            p.end()
            return

        values = [pt.value for pt in self._points if pt.value is not None]
        peak = float(max([*values, self._target or Decimal(0), Decimal(0)]))
        step = _nice_step(peak * 1.1 / 5 if peak > 0 else 0.25)
        ticks = max(math.ceil(peak * 1.1 / step), 1)
        top = step * ticks
        axis_w = max(fm.horizontalAdvance(_fmt_axis(top, step)), fm.horizontalAdvance("0")) + 12
        plot_top = lh * 2 + 10
        plot_bottom = h - (lh + 8) - (lh + 12)  # x labels, then the legend row
        plot = QRectF(8 + axis_w, plot_top, w - axis_w - 24, plot_bottom - plot_top)
        if plot.height() < 20 or plot.width() < 20:
            p.end()
            return

        def y_of(v: float) -> float:
            return plot.bottom() - (v / top) * plot.height()

        # grid + axis labels
        p.setPen(QPen(GRID, 1))
        for i in range(ticks + 1):
            v = step * i
            y = y_of(v)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(4, y - lh / 2, axis_w, lh), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       _fmt_axis(v, step))
            p.setPen(QPen(GRID, 1))

        n = len(self._points)
        slot = plot.width() / n
        bar_w = min(slot * 0.6, 56)
        for i, pt in enumerate(self._points):
            cx = plot.left() + slot * (i + 0.5)
            label_rect = QRectF(cx - slot / 2, plot.bottom() + 4, slot, lh + 2)
            p.setPen(self.palette().text().color())
            p.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, _elide(fm, pt.label, slot))
            if pt.value is None:
                p.setPen(NODATA)
                p.drawText(QRectF(cx - slot / 2, plot.bottom() - lh - 4, slot, lh),
                           Qt.AlignmentFlag.AlignCenter, _elide(fm, self.tr("无数据"), slot))
                self._bars.append(QRectF(cx - bar_w / 2, plot.top(), bar_w, plot.height()))
                continue
            y = y_of(float(pt.value))
            bar = QRectF(cx - bar_w / 2, y, bar_w, plot.bottom() - y)
            colour = MET if pt.met else BEHIND if pt.met is not None else NODATA
            p.fillRect(bar, colour)
            self._bars.append(QRectF(cx - slot / 2, plot.top(), slot, plot.height()))
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(cx - slot / 2, y - lh - 2, slot, lh), Qt.AlignmentFlag.AlignCenter,
                       _elide(fm, pt.text, slot))

        if self._target is not None:
            y = y_of(float(self._target))
            pen = QPen(TARGET, 2, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            label = self.tr("目标 ") + _fmt_target(self._target)
            tw = fm.horizontalAdvance(label) + 6
            p.drawText(QRectF(plot.right() - tw, y - lh - 1, tw, lh),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)

        # legend row at the bottom
        ly = h - lh - 6
        x = plot.left()
        for colour, text, dashed in (
            (MET, self.tr("已达目标"), False),
            (BEHIND, self.tr("未达目标"), False),
            (TARGET, self.tr("2026年目标：") + self._target_text, True),
        ):
            if dashed:
                p.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
                p.drawLine(QPointF(x, ly + lh / 2), QPointF(x + 18, ly + lh / 2))
            else:
                p.fillRect(QRectF(x, ly + 3, 18, lh - 6), colour)
            p.setPen(self.palette().text().color())
            tw = fm.horizontalAdvance(text)
            p.drawText(QRectF(x + 22, ly, tw + 4, lh), Qt.AlignmentFlag.AlignVCenter, text)
            x += 22 + tw + 20
        p.end()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.bar_at(event.position())
        if index is not None:
            self.barActivated.emit(index)
        super().mouseDoubleClickEvent(event)

    def bar_at(self, pos: QPointF) -> int | None:
        for i, rect in enumerate(self._bars):
            if rect.contains(pos):
                return i
        return None

    def bar_rect(self, index: int) -> QRectF:
        return QRectF(self._bars[index])


def _fmt_target(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _nice_step(raw: float) -> float:
    """1, 2, 2.5 or 5 × a power of ten, at least ``raw``."""
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * magnitude >= raw:
            return m * magnitude
    return 10 * magnitude


def _fmt_axis(v: float, step: float) -> str:
    text = f"{step:g}"
    decimals = len(text.split(".")[1]) if "." in text else 0
    return f"{v:.{decimals}f}"


def _elide(fm: QFontMetrics, text: str, width: float) -> str:
    return fm.elidedText(text, Qt.TextElideMode.ElideRight, int(width) - 2)
