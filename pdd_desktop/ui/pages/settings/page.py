"""设置 controller: edit the rules, back up the shop."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableWidgetItem, QVBoxLayout

from pdd_desktop.common.changes import Changes
from pdd_desktop.domain.money import MoneyError, format_yuan_plain, yuan_to_fen
from pdd_desktop.jobs.folder_watch import FOLDER_KEY, choose_watch_folder
from pdd_desktop.jobs.runner import IO
from pdd_desktop.services import addresses as addresses_service
from pdd_desktop.services import credentials as credentials_service
from pdd_desktop.services import settings as settings_service
from pdd_desktop.ui.dialogs.address_dialog import AddressDialog
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.ops import ReadOp, WriteOp
from pdd_desktop.ui.pages.base import Page, PageContext
from pdd_desktop.ui.pages.settings.automation import AutomationController
from pdd_desktop.ui.pages.settings.backups import BackupsController
from pdd_desktop.ui.pages.settings.view import SettingsPageView
from pdd_desktop.ui.print_settings import FONT_PATH_KEY, LABEL_TEMPLATE_KEY, LABEL_TEMPLATES
from pdd_desktop.ui.widgets.wheel_guard import guard_wheel

#: Settings edited in the 开票信息 group; the view's editors have the same names.
_INVOICE_KEYS = (
    "invoice_seller_title",
    "invoice_seller_tax_no",
    "invoice_seller_address_phone",
    "invoice_seller_bank_account",
    "invoice_issuer",
)


class SettingsPage(Page):
    """Rules and thresholds that the counters and deadlines use; backups."""

    key = "settings"
    title = QT_TR_NOOP("设置")
    icon_name = "settings"
    relevant = ("settings",)
    #: Orders to show in 发货中心 (an automation rule's preview, the held orders).
    orders_requested = Signal(object)

    def __init__(self, ctx: PageContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self.view = SettingsPageView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.view.about_button.clicked.connect(self.open_about_dialog)
        #: The open 关于/诊断 dialog (tests drive it).
        self.about_dialog = None
        #: 数据与备份 (its own controller, ``backups.py``).
        self.backups = BackupsController(ctx, self.view.backups, self)
        #: 自动化 (its own controller, ``automation.py``).
        self.automation = AutomationController(ctx, self.view.automation, self, self.orders_requested.emit)
        self.view.save_button.clicked.connect(self._on_save_clicked)
        self.view.invoice_save_button.clicked.connect(self._on_invoice_save_clicked)
        self.view.sync_save_button.clicked.connect(self._on_sync_save_clicked)
        self.view.sync_now_button.clicked.connect(ctx.events.sync_requested.emit)
        self._load_api_fields()
        self.machine = QSettings()
        for name, label in LABEL_TEMPLATES:
            self.view.label_template_combo.addItem(tr(label), name)
        chosen = self.view.label_template_combo.findData(self.machine.value(LABEL_TEMPLATE_KEY))
        self.view.label_template_combo.setCurrentIndex(max(0, chosen))
        self.view.label_template_combo.currentIndexChanged.connect(
            lambda _i: self.machine.setValue(LABEL_TEMPLATE_KEY, self.view.label_template_combo.currentData())
        )
        self.view.watch_choose_button.clicked.connect(self._on_choose_watch_folder)
        self.view.watch_clear_button.clicked.connect(lambda: self.set_watch_folder(""))
        self._show_watch_folder()
        self.view.font_choose_button.clicked.connect(self._on_choose_font)
        self.view.font_reset_button.clicked.connect(lambda: self.set_font_path(""))
        self._show_font()
        #: The sender addresses shown (default first); the open address dialog, for tests.
        self.senders: list[addresses_service.SenderAddress] = []
        self.address_dialog: AddressDialog | None = None
        self.view.sender_add_button.clicked.connect(self.add_sender)
        self.view.sender_edit_button.clicked.connect(self.edit_sender)
        self.view.sender_default_button.clicked.connect(self._on_default_sender)
        self.view.sender_delete_button.clicked.connect(self._on_delete_sender)
        self.view.sender_table.itemSelectionChanged.connect(self._update_sender_buttons)
        self.view.sender_table.cellDoubleClicked.connect(lambda _r, _c: self.edit_sender())
        self._update_sender_buttons()
        self._wheel_guard = guard_wheel(self.view)

    def show_automation(self, kind: str = "") -> None:
        """Scroll to 自动化 and select the rule of ``kind`` once the list is read (an alert's)."""
        self.view.scroll.ensureWidgetVisible(self.view.automation, 0, 0)
        self.automation.pending_kind = kind
        self.automation.refresh()

    def open_about_dialog(self) -> None:
        """关于/诊断: version, folders, library versions, the diagnostics package."""
        from pdd_desktop.ui.dialogs.about_dialog import open_about_dialog

        open_about_dialog(self, self.ctx.paths, self.ctx.runner)

    # --- sender addresses (发货地址) ---
    def _load_senders(self) -> None:
        ReadOp(self, addresses_service.sender_addresses).success(self._show_senders).run()

    def _show_senders(self, senders: list[addresses_service.SenderAddress]) -> None:
        keep = self.selected_sender_id()
        self.senders = senders
        v = self.view
        v.sender_missing_label.setText(addresses_service.MISSING_SENDER)
        v.sender_missing_label.setVisible(not senders)
        table = v.sender_table
        table.setRowCount(0)
        table.setRowCount(len(senders))
        for r, a in enumerate(senders):
            cells = (
                a.contact_name,
                a.phone_mask,
                f"{a.region}{a.detail}",
                tr("默认") if a.is_default else "",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, a.id)
                table.setItem(r, c, item)
            if a.id == keep:
                table.selectRow(r)
        self._update_sender_buttons()

    def selected_sender_id(self) -> int | None:
        """The id of the sender address selected in the table."""
        rows = self.view.sender_table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.view.sender_table.item(rows[0].row(), 0)
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _update_sender_buttons(self) -> None:
        chosen = self.selected_sender_id()
        current = next((a for a in self.senders if a.id == chosen), None)
        v = self.view
        v.sender_edit_button.setEnabled(current is not None)
        v.sender_delete_button.setEnabled(current is not None)
        v.sender_default_button.setEnabled(current is not None and not current.is_default)

    def add_sender(self) -> None:
        """Open the dialog for a new sender address."""
        self._open_address_dialog(
            tr("添加发货地址"), None, addresses_service.AddressForm(is_default=not self.senders)
        )

    def edit_sender(self) -> None:
        """Open the selected sender address for editing (its full phone is read first)."""
        address_id = self.selected_sender_id()
        if address_id is None:
            return
        ReadOp(self, lambda: addresses_service.sender_address_form(address_id)).success(
            lambda form: self._open_address_dialog(tr("编辑发货地址"), address_id, form)
        ).run()

    def _open_address_dialog(
        self, title: str, address_id: int | None, value: addresses_service.AddressForm
    ) -> None:
        dlg = AddressDialog(title, value, self)
        self.address_dialog = dlg

        def save() -> None:
            form = dlg.form()
            WriteOp(
                self, lambda: addresses_service.save_sender_address(address_id=address_id, form=form)
            ).in_dialog(dlg).run()

        dlg.submitted.connect(save)
        dlg.open()

    def confirm_delete_sender(self, text: str) -> bool:
        """Ask before deleting a sender address (tests replace this)."""
        answer = QMessageBox.question(
            self, tr("删除发货地址"), tr("删除发货地址“{text}”？").format(text=text)
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_delete_sender(self) -> None:
        address_id = self.selected_sender_id()
        current = next((a for a in self.senders if a.id == address_id), None)
        if current is None or not self.confirm_delete_sender(
            f"{current.contact_name} {current.region}{current.detail}"
        ):
            return
        WriteOp(self, lambda: addresses_service.delete_sender_address(address_id)).run()

    def _on_default_sender(self) -> None:
        address_id = self.selected_sender_id()
        if address_id is not None:
            WriteOp(self, lambda: addresses_service.set_default_sender(address_id)).run()

    # --- automatic import (this machine) ---
    def choose_watch_directory(self) -> str:
        """Ask for the folder to watch (tests replace this)."""
        return QFileDialog.getExistingDirectory(self, tr("选择自动导入文件夹"))

    def _on_choose_watch_folder(self) -> None:
        folder = self.choose_watch_directory()
        if folder:
            self.set_watch_folder(folder)

    def set_watch_folder(self, folder: str) -> None:
        """Watch ``folder`` for new export files ("" = stop)."""
        choose_watch_folder(self.machine, folder)
        self._show_watch_folder()
        self.ctx.events.changes_applied.emit(Changes(settings=True), self)

    def _show_watch_folder(self) -> None:
        folder = str(self.machine.value(FOLDER_KEY) or "")
        self.view.watch_folder_label.setText(folder or tr("未设置"))
        self.view.watch_clear_button.setEnabled(bool(folder))

    # --- printing (this machine) ---
    def choose_font_file(self) -> str:
        """Ask for a TrueType font file (tests replace this)."""
        path, _f = QFileDialog.getOpenFileName(
            self, tr("选择打印字体"), "", tr("TrueType 字体 (*.ttf *.ttc);;所有文件 (*)")
        )
        return path

    def _on_choose_font(self) -> None:
        path = self.choose_font_file()
        if path:
            self.set_font_path(path)

    def set_font_path(self, path: str) -> None:
        """Use ``path`` for printed documents ("" = the system font found automatically)."""
        self.machine.setValue(FONT_PATH_KEY, path)
        self._show_font()

    def _show_font(self) -> None:
        from pdd_desktop.printing.fonts import find_font  # ReportLab: loaded on demand

        path = str(self.machine.value(FONT_PATH_KEY) or "")
        self.view.font_label.setText(tr("正在检查字体…"))
        ReadOp(self, lambda: find_font(path or None), lane=IO).success(self._on_font_checked).run()

    def _on_font_checked(self, font) -> None:
        where = f"{font.path.name}" if font.path else tr("内置字体（不嵌入）")
        text = tr("{where}（已嵌入 PDF）").format(where=where) if font.embedded else where
        if font.warning:
            text += f"\n⚠ {font.warning}"
        self.view.font_label.setText(text)

    def refresh(self) -> None:
        """Load settings, the sender addresses and the backup list."""
        self._load_senders()
        ReadOp(self, settings_service.load_settings).success(self._on_loaded).run()
        self.backups.refresh()
        self.automation.refresh()

    def _on_loaded(self, s: settings_service.ShopSettings) -> None:
        v = self.view
        v.near_deadline_hours.setValue(s.near_deadline_hours)
        v.fast_ship_enabled.setChecked(s.fast_ship_enabled)
        v.late_compensation.setText(format_yuan_plain(s.late_compensation_fen))
        v.after_sale_warn_hours.setValue(s.after_sale_warn_hours)
        v.no_pickup_hours.setValue(s.no_pickup_hours)
        v.stalled_hours.setValue(s.stalled_hours)
        for key in _INVOICE_KEYS:
            getattr(v, key).setText(getattr(s, key))
        v.sync_mode_combo.setCurrentIndex(max(0, v.sync_mode_combo.findData(s.sync_mode)))
        v.sync_interval_spin.setValue(s.sync_interval_minutes)

    def _on_save_clicked(self) -> None:
        v = self.view
        try:
            compensation = yuan_to_fen(v.late_compensation.text().strip())
        except MoneyError as exc:
            v.status_label.setText(tr("超时赔付：{error}").format(error=exc))
            return
        values = dict(
            near_deadline_hours=v.near_deadline_hours.value(),
            fast_ship_enabled=v.fast_ship_enabled.isChecked(),
            late_compensation_fen=compensation,
            after_sale_warn_hours=v.after_sale_warn_hours.value(),
            no_pickup_hours=v.no_pickup_hours.value(),
            stalled_hours=v.stalled_hours.value(),
        )
        op = WriteOp(self, lambda: settings_service.update_settings(**values))
        op.before_broadcast(self._on_saved)
        op.failure(lambda exc: v.status_label.setText(user_message(exc))).run()

    def _on_invoice_save_clicked(self) -> None:
        v = self.view
        values = {key: getattr(v, key).text().strip() for key in _INVOICE_KEYS}

        def save():
            return settings_service.update_settings(**values), settings_service.load_settings()

        op = WriteOp(self, save)
        op.before_broadcast(self._on_invoice_saved)
        op.failure(lambda exc: v.invoice_status_label.setText(user_message(exc))).run()

    def _on_invoice_saved(self, result) -> None:
        _changes, s = result
        v = self.view
        for key in _INVOICE_KEYS:  # show the cleaned values (tax number upper-cased)
            getattr(v, key).setText(getattr(s, key))
        v.invoice_status_label.setText(tr("已保存"))

    # --- sync ---
    def _load_api_fields(self) -> None:
        """Show the stored gateway and client id (never the secrets) from the keychain (io lane)."""
        shop = self.ctx.paths.shop
        op = ReadOp(self, lambda: credentials_service.stored_api(shop), lane=IO)
        op.success(self._show_api_fields).failure(self._on_keychain_failed).run()

    def _show_api_fields(self, stored: credentials_service.StoredApi | None) -> None:
        if stored is not None:
            self.view.api_gateway_edit.setText(stored.gateway_url)
            self.view.api_client_id_edit.setText(stored.client_id)
            for edit in (self.view.api_client_secret_edit, self.view.api_access_token_edit):
                edit.setPlaceholderText(tr("已保存（留空不修改）") if stored.has_secret else "")

    def _on_keychain_failed(self, exc: BaseException) -> None:
        text = str(exc) if credentials_service.is_keychain_error(exc) else user_message(exc)
        self.view.sync_status_label.setText(text)

    def _on_sync_save_clicked(self) -> None:
        v = self.view
        mode = v.sync_mode_combo.currentData()
        interval = v.sync_interval_spin.value()
        typed = {
            "gateway_url": v.api_gateway_edit.text().strip(),
            "client_id": v.api_client_id_edit.text().strip(),
            "client_secret": v.api_client_secret_edit.text().strip(),
            "access_token": v.api_access_token_edit.text().strip(),
            "refresh_token": v.api_refresh_token_edit.text().strip(),
        }
        shop = self.ctx.paths.shop

        def stored(_none) -> None:
            for edit in (v.api_client_secret_edit, v.api_access_token_edit, v.api_refresh_token_edit):
                edit.clear()
            op = WriteOp(
                self, lambda: settings_service.update_settings(sync_mode=mode, sync_interval_minutes=interval)
            )
            op.before_broadcast(self._on_sync_saved)
            op.failure(lambda exc: v.sync_status_label.setText(user_message(exc))).run()

        # The keychain first (io lane), then the rules (db lane), as the user sees them: in order.
        op = ReadOp(self, lambda: credentials_service.save_typed(shop, typed, sync_mode=mode), lane=IO)
        op.success(stored).failure(lambda exc: v.sync_status_label.setText(user_message(exc))).run()

    def _on_sync_saved(self, _changes) -> None:
        self.view.sync_status_label.setText(tr("已保存，下次同步起生效"))
        self._load_api_fields()

    def _on_saved(self, _changes) -> None:
        self.view.status_label.setText(tr("已保存"))
