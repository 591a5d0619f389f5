"""设置 → 数据与备份 controller: the backup list, 立即备份, 恢复所选, the automatic backup's settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTime, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableWidgetItem, QWidget

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.jobs.runner import IO
from pdd_desktop.services import backups as backups_service
from pdd_desktop.services import settings as settings_service
from pdd_desktop.services import shop as shop_service
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.i18n import tr
from pdd_desktop.ui.ops import ReadOp, WriteOp
from pdd_desktop.ui.pages.base import PageContext
from pdd_desktop.ui.pages.settings.backups_view import BackupsView

#: How a backup's time reads in the list (Beijing time).
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def format_size(size_bytes: int) -> str:
    """``12.3 MB`` / ``456 KB``: the size as a merchant reads it."""
    if size_bytes >= 1_000_000:
        return f"{size_bytes / 1_000_000:.1f} MB"
    return f"{max(1, round(size_bytes / 1000))} KB"


class BackupsController(QObject):
    """Drives a :class:`BackupsView`; ``host`` is the page the ops belong to (their owner).

    Public for tests: ``entries`` (what the table shows, newest first), ``overview``, and the
    ``confirm_restore`` / ``choose_folder`` hooks they replace.
    """

    def __init__(self, ctx: PageContext, view: BackupsView, host: QWidget) -> None:
        super().__init__(host)
        self.ctx = ctx
        self.view = view
        self.host = host
        self.entries: list[backups_service.BackupEntry] = []
        self.overview: backups_service.BackupOverview | None = None
        self._folder = ""
        v = view
        # The data file's path and the schema version are in 关于/诊断.
        v.data_file_label.setText(tr("店铺：{name}").format(name=ctx.shop.name))
        v.backup_button.clicked.connect(self.backup_now)
        v.restore_button.clicked.connect(self.restore_selected)
        v.auto_save_button.clicked.connect(self.save_auto_settings)
        v.auto_folder_choose_button.clicked.connect(self._on_choose_folder)
        v.auto_folder_reset_button.clicked.connect(lambda: self._show_folder(""))
        v.auto_enabled_check.toggled.connect(self._update_enabled)
        v.backup_table.itemSelectionChanged.connect(self._update_enabled)
        v.open_folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(ctx.paths.shop_dir)))
        )
        self._update_enabled()

    # --- the list ---
    def refresh(self) -> None:
        """Read the backups and the automatic backup's settings."""
        paths = self.ctx.paths
        ReadOp(self.host, lambda: backups_service.overview(paths)).success(self._show).run()

    def _show(self, overview: backups_service.BackupOverview) -> None:
        self.overview = overview
        s = overview.settings
        v = self.view
        v.auto_enabled_check.setChecked(s.auto_backup_enabled)
        hours, minutes = s.auto_backup_time.split(":")
        v.auto_time_edit.setTime(QTime(int(hours), int(minutes)))
        v.auto_keep_spin.setValue(s.auto_backup_keep)
        self._show_folder(s.auto_backup_folder)
        last = overview.last_auto_at
        text = (
            tr("上次自动备份：{time}").format(time=format_ts(last, TIME_FORMAT))
            if last
            else tr("还没有自动备份")
        )
        v.auto_status_label.setText(text)
        self._fill_table(list(overview.entries))

    def _fill_table(self, entries: list[backups_service.BackupEntry]) -> None:
        keep = self.selected_entry()
        self.entries = entries
        table = self.view.backup_table
        table.setRowCount(0)
        table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            cells = (format_ts(e.created_at, TIME_FORMAT), e.kind, format_size(e.size_bytes), e.path.name)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)
            if keep is not None and e.path == keep.path:
                table.selectRow(r)
        self._update_enabled()

    def selected_entry(self) -> backups_service.BackupEntry | None:
        """The backup selected in the table."""
        rows = self.view.backup_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.entries):
            return None
        return self.entries[rows[0].row()]

    def select(self, path: Path) -> None:
        """Select the row of the backup ``path`` (tests, and after 立即备份)."""
        for r, e in enumerate(self.entries):
            if e.path == path:
                self.view.backup_table.selectRow(r)
                return

    def _update_enabled(self) -> None:
        v = self.view
        v.restore_button.setEnabled(self.selected_entry() is not None)
        on = v.auto_enabled_check.isChecked()
        for w in (v.auto_time_edit, v.auto_keep_spin, v.auto_folder_choose_button):
            w.setEnabled(on)
        v.auto_folder_reset_button.setEnabled(on)

    # --- 立即备份 ---
    def backup_now(self) -> None:
        """A manual backup on the I/O lane (its own connections; the database lane goes on)."""
        v = self.view
        v.backup_button.setEnabled(False)
        v.status_label.setText(tr("正在备份…"))
        paths = self.ctx.paths
        op = ReadOp(self.host, lambda: shop_service.create_backup(paths), lane=IO)
        op.success(self._on_backed_up).failure(self._on_backup_failed).run()

    def _on_backed_up(self, path: Path) -> None:
        self.view.backup_button.setEnabled(True)
        self.view.status_label.setText(tr("已备份（{name}），并已通过完整性校验").format(name=path.name))
        self.refresh()

    def _on_backup_failed(self, exc: BaseException) -> None:
        self.view.backup_button.setEnabled(True)
        self.view.status_label.setText(user_message(exc))

    # --- 恢复所选 ---
    def confirm_restore(self, entry: backups_service.BackupEntry) -> bool:
        """Ask before restoring (tests replace this)."""
        box = QMessageBox(self.host)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("从备份恢复"))
        box.setText(
            tr("用 {time} 的{kind}备份替换当前店铺数据？").format(
                time=format_ts(entry.created_at, TIME_FORMAT), kind=entry.kind
            )
        )
        box.setInformativeText(
            tr(
                "恢复前会先把当前数据另存为一份“恢复前”备份，需要时可以再恢复回来。"
                "恢复时窗口会关闭，完成后重新打开这个店铺；同步会暂停到重新打开为止。"
            )
        )
        ok = box.addButton(tr("恢复"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is ok

    def restore_selected(self) -> None:
        """Ask, then hand the restore to the app (it closes the shop, restores, reopens it)."""
        entry = self.selected_entry()
        if entry is None or not self.confirm_restore(entry):
            return
        self.ctx.events.restore_requested.emit(str(entry.path))

    # --- automatic backup settings ---
    def choose_folder(self) -> str:
        """Ask for the automatic backups' folder (tests replace this)."""
        return QFileDialog.getExistingDirectory(self.host, tr("选择自动备份文件夹"))

    def _on_choose_folder(self) -> None:
        folder = self.choose_folder()
        if folder:
            self._show_folder(folder)

    def _show_folder(self, folder: str) -> None:
        self._folder = folder
        self.view.auto_folder_label.setText(folder or tr("店铺的备份文件夹（默认）"))

    def save_auto_settings(self) -> None:
        """Save the automatic backup's settings (one transaction, validated)."""
        v = self.view
        values = dict(
            auto_backup_enabled=v.auto_enabled_check.isChecked(),
            auto_backup_time=v.auto_time_edit.time().toString("HH:mm"),
            auto_backup_keep=v.auto_keep_spin.value(),
            auto_backup_folder=self._folder,
        )
        op = WriteOp(self.host, lambda: settings_service.update_settings(**values))
        op.before_broadcast(lambda _c: (v.status_label.setText(tr("备份设置已保存")), self.refresh()))
        op.failure(lambda exc: v.status_label.setText(user_message(exc))).run()
