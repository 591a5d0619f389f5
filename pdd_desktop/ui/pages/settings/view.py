"""设置 layout: rules and thresholds, shop data and backups. Layout only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.services.credentials import FIELD_LABELS
from pdd_desktop.ui.i18n import QT_TR_NOOP, tr
from pdd_desktop.ui.pages.settings.automation_view import AutomationView
from pdd_desktop.ui.pages.settings.backups_view import BackupsView


def _spin(low: int, high: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setMinimumWidth(110)
    return box


#: (settings value, label) of the sync modes.
SYNC_MODES: tuple[tuple[str, str], ...] = (
    ("auto", QT_TR_NOOP("自动（演示店铺用演示沙箱，其他不同步）")),
    ("demo", QT_TR_NOOP("演示沙箱（本机模拟的平台）")),
    ("api", QT_TR_NOOP("拼多多开放平台 API")),
    ("off", QT_TR_NOOP("不同步（只用文件导入导出）")),
)


#: Width of the text fields (a name, a tax number, a token): readable, not stretched across the page.
FIELD_WIDTH = 420

#: Columns of the sender-address table.
SENDER_COLUMNS = (QT_TR_NOOP("联系人"), QT_TR_NOOP("电话"), QT_TR_NOOP("地址"), "")


class SettingsPageView(QWidget):
    """Public children are the editors, buttons and labels named below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The groups are taller than a laptop screen: they scroll, the page keeps its margins.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        content.setObjectName("ScrollContent")
        self.scroll.setWidget(content)
        outer.addWidget(self.scroll)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        title = QLabel(tr("设置"))
        title.setObjectName("PageTitle")
        title_row = QHBoxLayout()
        title_row.addWidget(title)
        title_row.addStretch(1)
        #: Opens 关于/诊断 (version, folders, the diagnostics package).
        self.about_button = QPushButton(tr("关于 / 诊断…"))
        title_row.addWidget(self.about_button)
        layout.addLayout(title_row)

        rules = QGroupBox(tr("发货与售后规则"))
        form = QFormLayout(rules)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.near_deadline_hours = _spin(1, 72, tr(" 小时"))
        self.fast_ship_enabled = QCheckBox(tr("已开通极速发货（成团后 24 小时内发货）"))
        self.late_compensation = QLineEdit()
        self.late_compensation.setPlaceholderText(tr("例如 3.00"))
        self.late_compensation.setMaximumWidth(120)
        self.after_sale_warn_hours = _spin(1, 72, tr(" 小时"))
        self.no_pickup_hours = _spin(1, 240, tr(" 小时"))
        self.stalled_hours = _spin(1, 480, tr(" 小时"))
        form.addRow(tr("即将超时提醒：距承诺发货时间不足"), self.near_deadline_hours)
        form.addRow(tr("极速发货"), self.fast_ship_enabled)
        form.addRow(tr("超时赔付（元/单）"), self.late_compensation)
        form.addRow(tr("售后即将超时提醒：距平台自动处理不足"), self.after_sale_warn_hours)
        form.addRow(tr("物流异常：发货后未揽收超过"), self.no_pickup_hours)
        form.addRow(tr("物流异常：无物流轨迹超过"), self.stalled_hours)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(tr("保存规则"))
        self.status_label = QLabel("")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status_label, 1)
        form.addRow(buttons)
        layout.addWidget(rules)

        senders = QGroupBox(tr("发货地址"))
        senders_layout = QVBoxLayout(senders)
        self.sender_missing_label = QLabel("")
        self.sender_missing_label.setObjectName("Danger")
        self.sender_missing_label.setWordWrap(True)
        self.sender_missing_label.setVisible(False)
        senders_layout.addWidget(self.sender_missing_label)
        self.sender_table = QTableWidget(0, len(SENDER_COLUMNS))
        self.sender_table.setHorizontalHeaderLabels([tr(h) for h in SENDER_COLUMNS])
        self.sender_table.verticalHeader().setVisible(False)
        self.sender_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sender_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sender_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        head = self.sender_table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.sender_table.setMinimumHeight(120)
        self.sender_table.setMaximumHeight(200)
        senders_layout.addWidget(self.sender_table)
        sender_buttons = QHBoxLayout()
        self.sender_add_button = QPushButton(tr("添加发货地址…"))
        self.sender_edit_button = QPushButton(tr("编辑…"))
        self.sender_default_button = QPushButton(tr("设为默认"))
        self.sender_delete_button = QPushButton(tr("删除"))
        for button in (
            self.sender_add_button,
            self.sender_edit_button,
            self.sender_default_button,
            self.sender_delete_button,
        ):
            sender_buttons.addWidget(button)
        sender_buttons.addStretch(1)
        senders_layout.addLayout(sender_buttons)
        sender_note = QLabel(tr("面单上打印默认发货地址。退货地址从拼多多商家后台同步，请在后台修改。"))
        sender_note.setObjectName("Muted")
        sender_note.setWordWrap(True)
        senders_layout.addWidget(sender_note)
        layout.addWidget(senders)

        invoice = QGroupBox(tr("开票信息"))
        invoice_form = QFormLayout(invoice)
        invoice_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.invoice_seller_title = QLineEdit()
        self.invoice_seller_title.setPlaceholderText(tr("营业执照上的名称，例如 杭州某某日用品有限公司"))
        self.invoice_seller_tax_no = QLineEdit()
        self.invoice_seller_tax_no.setPlaceholderText(tr("15、18 或 20 位"))
        self.invoice_seller_tax_no.setMaxLength(24)
        self.invoice_seller_address_phone = QLineEdit()
        self.invoice_seller_bank_account = QLineEdit()
        self.invoice_issuer = QLineEdit()
        self.invoice_issuer.setMaximumWidth(160)
        for edit in (
            self.invoice_seller_title,
            self.invoice_seller_tax_no,
            self.invoice_seller_address_phone,
            self.invoice_seller_bank_account,
        ):
            edit.setMinimumWidth(FIELD_WIDTH)
            edit.setMaximumWidth(FIELD_WIDTH)
        invoice_form.addRow(tr("销售方名称"), self.invoice_seller_title)
        invoice_form.addRow(tr("纳税人识别号"), self.invoice_seller_tax_no)
        invoice_form.addRow(tr("地址、电话"), self.invoice_seller_address_phone)
        invoice_form.addRow(tr("开户行及账号"), self.invoice_seller_bank_account)
        invoice_form.addRow(tr("开票人"), self.invoice_issuer)
        invoice_buttons = QHBoxLayout()
        self.invoice_save_button = QPushButton(tr("保存开票信息"))
        self.invoice_status_label = QLabel("")
        self.invoice_status_label.setWordWrap(True)
        invoice_buttons.addWidget(self.invoice_save_button)
        invoice_buttons.addWidget(self.invoice_status_label, 1)
        invoice_form.addRow(invoice_buttons)
        layout.addWidget(invoice)

        sync = QGroupBox(tr("同步"))
        sync_form = QFormLayout(sync)
        sync_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.sync_mode_combo = QComboBox()
        for value, label in SYNC_MODES:
            self.sync_mode_combo.addItem(tr(label), value)
        self.sync_interval_spin = QSpinBox()
        self.sync_interval_spin.setRange(1, 240)
        self.sync_interval_spin.setSuffix(tr(" 分钟"))
        sync_form.addRow(tr("同步方式"), self.sync_mode_combo)
        sync_form.addRow(tr("自动同步间隔"), self.sync_interval_spin)
        self.api_gateway_edit = QLineEdit()
        self.api_gateway_edit.setPlaceholderText("https://gw-api.pinduoduo.com/api/router")
        self.api_client_id_edit = QLineEdit()
        self.api_client_secret_edit = QLineEdit()
        self.api_client_secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_access_token_edit = QLineEdit()
        self.api_access_token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_refresh_token_edit = QLineEdit()
        self.api_refresh_token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        for edit in (
            self.api_gateway_edit,
            self.api_client_id_edit,
            self.api_client_secret_edit,
            self.api_access_token_edit,
            self.api_refresh_token_edit,
        ):
            edit.setMinimumWidth(FIELD_WIDTH)
            edit.setMaximumWidth(FIELD_WIDTH)
        sync_form.addRow(tr("开放平台网关"), self.api_gateway_edit)
        sync_form.addRow(FIELD_LABELS["client_id"], self.api_client_id_edit)
        sync_form.addRow(FIELD_LABELS["client_secret"], self.api_client_secret_edit)
        sync_form.addRow(FIELD_LABELS["access_token"], self.api_access_token_edit)
        sync_form.addRow(FIELD_LABELS["refresh_token"], self.api_refresh_token_edit)
        note = QLabel(tr("密钥和令牌只保存在系统钥匙串中，不写入数据文件或日志。留空的项保持不变。"))
        note.setObjectName("Muted")
        note.setWordWrap(True)
        note.setMinimumWidth(FIELD_WIDTH)
        sync_form.addRow("", note)
        sync_buttons = QHBoxLayout()
        self.sync_save_button = QPushButton(tr("保存同步设置"))
        self.sync_now_button = QPushButton(tr("立即同步（F5）"))
        self.sync_status_label = QLabel("")
        self.sync_status_label.setWordWrap(True)
        sync_buttons.addWidget(self.sync_save_button)
        sync_buttons.addWidget(self.sync_now_button)
        sync_buttons.addWidget(self.sync_status_label, 1)
        sync_form.addRow(sync_buttons)
        layout.addWidget(sync)

        files = QGroupBox(tr("文件导入（本机）"))
        files_form = QFormLayout(files)
        watch_row = QHBoxLayout()
        self.watch_folder_label = QLabel(tr("未设置"))
        self.watch_folder_label.setWordWrap(True)
        self.watch_choose_button = QPushButton(tr("选择文件夹…"))
        self.watch_clear_button = QPushButton(tr("停用"))
        watch_row.addWidget(self.watch_folder_label, 1)
        watch_row.addWidget(self.watch_choose_button)
        watch_row.addWidget(self.watch_clear_button)
        files_form.addRow(tr("自动导入文件夹"), watch_row)
        watch_note = QLabel(
            tr(
                "放进这个文件夹（例如浏览器的下载文件夹）的订单导出文件会自动导入；有错误的文件不会导入，"
                "会在状态栏提示。选择时文件夹里已有的文件不会导入。"
            )
        )
        watch_note.setObjectName("Muted")
        watch_note.setWordWrap(True)
        files_form.addRow("", watch_note)
        layout.addWidget(files)

        printing = QGroupBox(tr("打印（本机）"))
        print_form = QFormLayout(printing)
        self.label_template_combo = QComboBox()
        self.label_template_combo.setToolTip(tr("面单纸的尺寸；每台电脑单独设置"))
        print_form.addRow(tr("面单尺寸"), self.label_template_combo)
        font_row = QHBoxLayout()
        self.font_label = QLabel("")
        self.font_label.setWordWrap(True)
        self.font_choose_button = QPushButton(tr("选择字体文件…"))
        self.font_reset_button = QPushButton(tr("自动"))
        self.font_reset_button.setToolTip(tr("使用系统里找到的中文字体"))
        font_row.addWidget(self.font_label, 1)
        font_row.addWidget(self.font_choose_button)
        font_row.addWidget(self.font_reset_button)
        print_form.addRow(tr("打印字体"), font_row)
        layout.addWidget(printing)

        # 自动化: its own view (automation_view.py) and controller (automation.py).
        self.automation = AutomationView()
        layout.addWidget(self.automation)

        # 数据与备份: its own view (backups_view.py) and controller (backups.py).
        self.backups = BackupsView()
        self.data_file_label = self.backups.data_file_label
        self.backup_button = self.backups.backup_button
        self.backup_table = self.backups.backup_table
        layout.addWidget(self.backups)
        layout.addStretch(1)
