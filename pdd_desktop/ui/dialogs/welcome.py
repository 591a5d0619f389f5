"""First start: how to begin (demo shop, order export files, the open platform), and the forms.

The windows only collect the merchant's answers; ``app.FirstStart`` builds or creates the shop.
Tests fill the public children and click the buttons.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.services.credentials import FIELD_LABELS
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr

#: The three ways to begin: (key, button text, what it means).
CHOICES = (
    (
        "demo",
        QT_TR_NOOP("用演示店铺熟悉功能"),
        QT_TR_NOOP("生成一个约 3 万个订单的演示店铺，全部为模拟数据，可以放心试用各项功能。"),
    ),
    (
        "file",
        QT_TR_NOOP("用订单导出文件开始"),
        QT_TR_NOOP("新建自己的店铺，导入从拼多多商家后台导出的订单文件（CSV / Excel），不需要开放平台账号。"),
    ),
    (
        "api",
        QT_TR_NOOP("连接拼多多开放平台"),
        QT_TR_NOOP("新建自己的店铺并填写开放平台的应用凭据，订单、售后和商品自动同步。"),
    ),
)


class WelcomeDialog(QDialog):
    """One window with the three ways to begin; closing it asks before quitting.

    Public children: ``demo_button``, ``file_button``, ``api_button``.
    """

    #: The merchant picked a way to begin: "demo", "file" or "api".
    chosen = Signal(str)
    #: The merchant closed the window and confirmed quitting.
    quit_confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("欢迎使用拼多多商家桌面助手"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr("这台电脑上还没有店铺数据。请选择开始的方式（以后随时可以在“店铺”菜单中新建或切换店铺）：")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, note in CHOICES:
            button = QPushButton(tr(text))
            button.setMinimumHeight(40)
            button.clicked.connect(lambda _checked=False, k=key: self.chosen.emit(k))
            hint = QLabel(tr(note))
            hint.setObjectName("Muted")
            hint.setWordWrap(True)
            layout.addWidget(button)
            layout.addWidget(hint)
            self.buttons[key] = button
        self.demo_button = self.buttons["demo"]
        self.file_button = self.buttons["file"]
        self.api_button = self.buttons["api"]

    def confirm_quit(self) -> bool:
        """Ask before quitting (tests replace this)."""
        answer = QMessageBox.question(
            self,
            tr("退出拼多多商家桌面助手"),
            tr("还没有选择开始的方式。现在退出吗？\n下次打开时会再次询问。"),
        )
        return answer == QMessageBox.StandardButton.Yes

    def request_close(self) -> None:
        """What the window's close button does: ask, then report quitting (or stay)."""
        if self.confirm_quit():
            self.quit_confirmed.emit()

    def reject(self) -> None:  # Esc
        self.request_close()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()  # the flow hides this window itself once a choice is made
        self.request_close()


class ShopNameDialog(FormDialog):
    """The name of a new real shop. Public children: ``name_edit`` (+ FormDialog's)."""

    def __init__(self, parent: QWidget | None = None, *, title: str = tr("新建店铺"), name: str = "") -> None:
        super().__init__(title, tr("确定"), parent)
        form = QFormLayout()
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText(tr("例如：小王的女装店"))
        self.name_edit.setMaxLength(30)
        self.name_edit.textChanged.connect(self.update_ok)
        form.addRow(tr("店铺名称"), self.name_edit)
        self.body.addLayout(form)
        note = QLabel(tr("店铺名称显示在窗口标题上，也用作数据文件夹的名字；以后可以改。"))
        note.setObjectName("Muted")
        note.setWordWrap(True)
        self.body.addWidget(note)
        self.finish_layout()

    def can_submit(self) -> bool:
        return bool(self.name_edit.text().strip())

    def name(self) -> str:
        """The typed name."""
        return self.name_edit.text().strip()


class ConnectShopDialog(ShopNameDialog):
    """A new shop connected to the open platform: its name and the credentials (as in 设置 → 同步).

    Public children: ``name_edit``, ``gateway_edit``, ``client_id_edit``, ``client_secret_edit``,
    ``access_token_edit``, ``refresh_token_edit``, ``status_label``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=tr("连接拼多多开放平台"))
        self.ok_button.setText(tr("连接并同步"))
        form = QFormLayout()
        self.gateway_edit = QLineEdit("https://gw-api.pinduoduo.com/api/router")
        self.client_id_edit = QLineEdit()
        self.client_secret_edit = QLineEdit()
        self.access_token_edit = QLineEdit()
        self.refresh_token_edit = QLineEdit()
        for edit in (self.client_secret_edit, self.access_token_edit, self.refresh_token_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        for edit in (self.gateway_edit, self.client_id_edit, self.client_secret_edit, self.access_token_edit):
            edit.setMinimumWidth(360)
            edit.textChanged.connect(self.update_ok)
        # The labels of 设置 → 同步: client_id and the rest are the platform's own names.
        form.addRow(tr("开放平台网关"), self.gateway_edit)
        form.addRow(FIELD_LABELS["client_id"], self.client_id_edit)
        form.addRow(FIELD_LABELS["client_secret"], self.client_secret_edit)
        form.addRow(FIELD_LABELS["access_token"], self.access_token_edit)
        form.addRow(FIELD_LABELS["refresh_token"], self.refresh_token_edit)
        note = QLabel(
            tr(
                "在拼多多开放平台创建应用并授权店铺后可得到这些值。密钥和令牌只保存在系统钥匙串中，"
                "不写入数据文件或日志。"
            )
        )
        note.setObjectName("Muted")
        note.setWordWrap(True)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignLeft)
        index = self.body.indexOf(self.error_label)
        self.body.insertLayout(index, form)
        self.body.insertWidget(index + 1, note)
        self.body.insertWidget(index + 2, self.status_label)
        self.update_ok()

    def can_submit(self) -> bool:
        edits = getattr(self, "access_token_edit", None)
        if edits is None:  # still being built
            return False
        return super().can_submit() and all(
            e.text().strip()
            for e in (self.gateway_edit, self.client_id_edit, self.client_secret_edit, self.access_token_edit)
        )

    def typed(self) -> dict[str, str]:
        """The credentials by ``services.credentials.FIELDS`` name."""
        return {
            "gateway_url": self.gateway_edit.text().strip(),
            "client_id": self.client_id_edit.text().strip(),
            "client_secret": self.client_secret_edit.text().strip(),
            "access_token": self.access_token_edit.text().strip(),
            "refresh_token": self.refresh_token_edit.text().strip(),
        }
