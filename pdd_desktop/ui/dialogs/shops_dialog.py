"""店铺: the shops of this data folder; open, create, rename and delete (after a backup).

The dialog does the file work (``services.shops``, on the io lane) and asks the window to open a
shop or to rename the open one (``open_requested`` / ``rename_current_requested``): only the app
can close the running shop. Tests fill the public children and replace ``confirm_delete``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.jobs.runner import IO
from pdd_desktop.services import shops
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.dialogs.welcome import ShopNameDialog
from pdd_desktop.ui.i18n import tr
from pdd_desktop.ui.ops import ReadOp


class ShopsDialog(QDialog):
    """The shop switcher and manager.

    Public children: ``shop_list``, ``open_button``, ``create_button``, ``rename_button``,
    ``delete_button``, ``status_label``; ``name_dialog`` while a name is asked.
    """

    #: Open the shop in this folder instead of the current one.
    open_requested = Signal(str)
    #: Give the open shop this name (the app closes and reopens it).
    rename_current_requested = Signal(str)

    def __init__(self, runner, data_dir: Path, current_folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.data_dir = data_dir
        self.current_folder = current_folder
        self.entries: list[shops.ShopEntry] = []
        self.name_dialog: ShopNameDialog | None = None
        self.setWindowTitle(tr("店铺"))
        self.setMinimumSize(460, 360)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("这个数据文件夹中的店铺（每个店铺的数据各自独立）：")))
        self.shop_list = QListWidget()
        self.shop_list.itemDoubleClicked.connect(lambda _item: self._on_open())
        self.shop_list.currentRowChanged.connect(lambda _row: self._update_buttons())
        layout.addWidget(self.shop_list, 1)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)
        row = QHBoxLayout()
        self.open_button = QPushButton(tr("打开"))
        self.create_button = QPushButton(tr("新建店铺…"))
        self.rename_button = QPushButton(tr("改名…"))
        self.delete_button = QPushButton(tr("删除…"))
        close_button = QPushButton(tr("关闭"))
        for button in (self.open_button, self.create_button, self.rename_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close_button)
        layout.addLayout(row)
        self.open_button.clicked.connect(self._on_open)
        self.create_button.clicked.connect(self.ask_create)
        self.rename_button.clicked.connect(self._on_rename)
        self.delete_button.clicked.connect(self._on_delete)
        close_button.clicked.connect(self.reject)
        self.reload()

    # --- list ---
    def reload(self) -> None:
        """Read the shops again (io lane)."""
        ReadOp(self, lambda: shops.list_shops(self.data_dir), lane=IO, runner=self.runner).success(
            self._show
        ).run()

    def _show(self, entries: list[shops.ShopEntry]) -> None:
        self.entries = entries
        self.shop_list.clear()
        for entry in entries:
            text = entry.name + (tr("（演示）") if entry.is_demo else "")
            if entry.folder == self.current_folder:
                text += tr("  · 当前打开")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, entry.folder)
            item.setToolTip(tr("数据大小 {size:.1f} MB").format(size=entry.size_bytes / 1000000.0))
            self.shop_list.addItem(item)
            if entry.folder == self.current_folder:
                self.shop_list.setCurrentItem(item)
        self._update_buttons()

    def selected(self) -> shops.ShopEntry | None:
        """The highlighted shop."""
        row = self.shop_list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def select(self, name: str) -> None:
        """Highlight the shop called ``name``."""
        for row, entry in enumerate(self.entries):
            if entry.name == name:
                self.shop_list.setCurrentRow(row)

    def _update_buttons(self) -> None:
        entry = self.selected()
        other = entry is not None and entry.folder != self.current_folder
        self.open_button.setEnabled(other)
        self.rename_button.setEnabled(entry is not None)
        self.delete_button.setEnabled(other)
        self.delete_button.setToolTip(
            "" if other or entry is None else tr("正在打开的店铺不能删除，请先切换到其他店铺")
        )

    # --- actions ---
    def _on_open(self) -> None:
        entry = self.selected()
        if entry is not None and entry.folder != self.current_folder:
            self.accept()
            self.open_requested.emit(entry.folder)

    def ask_create(self) -> None:
        """Ask a name, create the real shop, then open it."""
        dlg = self.name_dialog = ShopNameDialog(self)

        def created(paths) -> None:
            dlg.set_busy(False)
            dlg.accept()
            self.accept()
            self.open_requested.emit(paths.shop)

        def create() -> None:
            dlg.set_busy(True)
            ReadOp(
                dlg, lambda: shops.create_shop(self.data_dir, dlg.name()), lane=IO, runner=self.runner
            ).success(created).failure(
                lambda exc: (dlg.set_busy(False), dlg.show_error(user_message(exc)))
            ).run()

        dlg.submitted.connect(create)
        dlg.open()

    def _on_rename(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        dlg = self.name_dialog = ShopNameDialog(
            self, title=tr("给店铺“{name}”改名").format(name=entry.name), name=entry.name
        )

        def renamed(_paths) -> None:
            dlg.set_busy(False)
            dlg.accept()
            self.status_label.setText(
                tr("店铺“{name}”已改名为“{name2}”。").format(name=entry.name, name2=dlg.name())
            )
            self.reload()

        def rename() -> None:
            if entry.folder == self.current_folder:  # the app closes and reopens the open shop
                shops_name = dlg.name()
                dlg.accept()
                self.accept()
                self.rename_current_requested.emit(shops_name)
                return
            dlg.set_busy(True)
            ReadOp(
                dlg,
                lambda: shops.rename_shop(self.data_dir, entry.folder, dlg.name()),
                lane=IO,
                runner=self.runner,
            ).success(renamed).failure(
                lambda exc: (dlg.set_busy(False), dlg.show_error(user_message(exc)))
            ).run()

        dlg.submitted.connect(rename)
        dlg.open()

    def confirm_delete(self, entry: shops.ShopEntry) -> bool:
        """Ask before deleting, naming the shop (tests replace this)."""
        answer = QMessageBox.warning(
            self,
            tr("删除店铺"),
            tr(
                "确定删除店铺“{name}”吗？\n\n删除前会先把它的数据备份到数据文件夹的 backups 文件夹中；"
                "删除后这个店铺不再出现在列表里。"
            ).format(name=entry.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_delete(self) -> None:
        entry = self.selected()
        if entry is None or entry.folder == self.current_folder or not self.confirm_delete(entry):
            return

        def deleted(backup: Path) -> None:
            self.status_label.setText(
                tr("店铺“{name}”已删除。删除前的备份：{backup}").format(name=entry.name, backup=backup)
            )
            self.reload()

        ReadOp(
            self, lambda: shops.delete_shop(self.data_dir, entry.folder), lane=IO, runner=self.runner
        ).success(deleted).failure(
            lambda exc: self.status_label.setText(tr("没有删除：{reason}").format(reason=user_message(exc)))
        ).run()
