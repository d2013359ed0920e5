"""佐证材料: a list of attached files (name, kind, size, fingerprint), by dialog or drag-and-drop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..forms.model import EvidenceSpec

translate = QCoreApplication.translate


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def guess_kind(name: str, kinds: list[str]) -> str:
    ext = Path(name).suffix.lower().lstrip(".")
    if ext in ("jpg", "jpeg", "png") and "照片" in kinds:
        return "照片"
    if ext in ("xls", "xlsx", "et") and "台账" in kinds:
        return "台账"
    return "其他" if "其他" in kinds else (kinds[0] if kinds else "")


class EvidenceBox(QGroupBox):
    """Shows ``items`` (entry-data evidence dicts); asks its owner to add, open or remove files."""

    add_requested = Signal(list)  # [Path]
    open_requested = Signal(dict)  # item
    items_changed = Signal(list, list)  # before, after (kind edits and removals)

    def __init__(self, spec: EvidenceSpec, parent: QWidget | None = None) -> None:
        super().__init__(translate("EvidenceBox", "佐证材料"), parent)
        self.spec = spec
        self.items: list[dict] = []
        self.read_only = False
        self.setObjectName("evidenceBox")
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        hint = QLabel(
            translate("EvidenceBox", "把文件拖到这里，或点击“添加文件…”。单个文件不超过 {0} MB；可用格式：{1}。").format(
                spec.max_file_mb, "、".join(spec.extensions)
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("fieldHelp")
        layout.addWidget(hint)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(translate("EvidenceBox", "佐证材料列表"))
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(
            [
                translate("EvidenceBox", "文件名"),
                translate("EvidenceBox", "类别"),
                translate("EvidenceBox", "大小"),
                translate("EvidenceBox", "指纹（SHA-256）"),
            ]
        )
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setMinimumHeight(110)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self._open(item))
        layout.addWidget(self.tree)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(translate("EvidenceBox", "添加文件…"))
        self.open_button = QPushButton(translate("EvidenceBox", "打开"))
        self.remove_button = QPushButton(translate("EvidenceBox", "移除"))
        for b in (self.add_button, self.open_button, self.remove_button):
            b.setAccessibleName(b.text().rstrip("…") + translate("EvidenceBox", "佐证材料"))
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.add_button.clicked.connect(self._choose)
        self.open_button.clicked.connect(lambda: self._open(self.tree.currentItem()))
        self.remove_button.clicked.connect(self.remove_selected)
        layout.addLayout(buttons)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)

    # -- contents ------------------------------------------------------------------------
    def set_items(self, items: list[dict]) -> None:
        self.items = [dict(i) for i in items]
        self.tree.clear()
        for i, item in enumerate(self.items):
            row = QTreeWidgetItem(
                [item.get("name", ""), "", human_size(int(item.get("size", 0))), item.get("sha256", "")[:16] + "…"]
            )
            row.setToolTip(3, item.get("sha256", ""))
            row.setData(0, Qt.ItemDataRole.UserRole, i)
            self.tree.addTopLevelItem(row)
            combo = QComboBox()
            combo.addItems(self.spec.kinds)
            if item.get("kind") and combo.findText(item["kind"]) < 0:
                combo.addItem(item["kind"])
            combo.setCurrentText(item.get("kind") or guess_kind(item.get("name", ""), self.spec.kinds))
            combo.setAccessibleName(translate("EvidenceBox", "{0} 的类别").format(item.get("name", "")))
            combo.setEnabled(not self.read_only)
            combo.currentTextChanged.connect(lambda text, idx=i: self._kind_changed(idx, text))
            self.tree.setItemWidget(row, 1, combo)
        has = bool(self.items)
        self.open_button.setEnabled(has)
        self.remove_button.setEnabled(has and not self.read_only)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.add_button.setEnabled(not read_only)
        self.setAcceptDrops(not read_only)
        self.set_items(self.items)

    def show_issue(self, level: str | None, message: str = "") -> None:
        if level:
            color = "#c62828" if level == "error" else "#9a6200"
            self.message.setStyleSheet(f"color: {color};")
            self.message.setText(("✖ " if level == "error" else "⚠ ") + message)
        self.message.setVisible(bool(level))

    def show_note(self, text: str) -> None:
        self.message.setStyleSheet("color: #c62828;")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- actions -------------------------------------------------------------------------
    def _kind_changed(self, idx: int, text: str) -> None:
        if 0 <= idx < len(self.items) and self.items[idx].get("kind") != text:
            before = [dict(i) for i in self.items]
            self.items[idx]["kind"] = text
            self.items_changed.emit(before, [dict(i) for i in self.items])

    def remove_selected(self) -> None:
        if self.read_only:
            return
        chosen = {it.data(0, Qt.ItemDataRole.UserRole) for it in self.tree.selectedItems()}
        if not chosen and self.tree.currentItem() is not None:
            chosen = {self.tree.currentItem().data(0, Qt.ItemDataRole.UserRole)}
        if not chosen:
            return
        before = [dict(i) for i in self.items]
        after = [dict(item) for i, item in enumerate(self.items) if i not in chosen]
        self.set_items(after)
        self.items_changed.emit(before, [dict(i) for i in self.items])

    def _open(self, row: QTreeWidgetItem | None) -> None:
        if row is None:
            return
        idx = row.data(0, Qt.ItemDataRole.UserRole)
        if 0 <= idx < len(self.items):
            self.open_requested.emit(self.items[idx])

    def _choose(self) -> None:
        patterns = " ".join(f"*.{e}" for e in self.spec.extensions)
        files, _ = QFileDialog.getOpenFileNames(
            self,
            translate("EvidenceBox", "选择佐证材料"),
            "",
            translate("EvidenceBox", "佐证材料 ({0});;所有文件 (*)").format(patterns),
        )
        if files:
            self.add_requested.emit([Path(f) for f in files])

    def check_files(self, files: list[Path]) -> tuple[list[Path], list[str]]:
        """Split dropped/chosen files into acceptable ones and Chinese reasons for the others."""
        ok, problems = [], []
        limit = self.spec.max_file_mb * 1024 * 1024
        for f in files:
            ext = f.suffix.lower().lstrip(".")
            if not f.is_file():
                problems.append(translate("EvidenceBox", "“{0}”不是文件").format(f.name))
            elif self.spec.extensions and ext not in self.spec.extensions:
                problems.append(translate("EvidenceBox", "“{0}”的格式不在允许范围内（{1}）").format(f.name, "、".join(self.spec.extensions)))
            elif f.stat().st_size > limit:
                problems.append(translate("EvidenceBox", "“{0}”超过 {1} MB").format(f.name, self.spec.max_file_mb))
            else:
                ok.append(f)
        if len(self.items) + len(ok) > self.spec.max_files:
            problems.append(translate("EvidenceBox", "佐证材料最多 {0} 个文件").format(self.spec.max_files))
            ok = ok[: max(0, self.spec.max_files - len(self.items))]
        return ok, problems

    # -- drag and drop -------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.read_only and event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files and not self.read_only:
            event.acceptProposedAction()
            self.add_requested.emit(files)
