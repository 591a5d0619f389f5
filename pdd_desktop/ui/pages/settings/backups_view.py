"""设置 → 数据与备份 layout: the data file, the automatic backup, the list of backups. Layout only."""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.ui.i18n import QT_TR_NOOP, tr

#: Columns of the backup table.
BACKUP_COLUMNS = (QT_TR_NOOP("备份时间"), QT_TR_NOOP("类型"), QT_TR_NOOP("大小"), QT_TR_NOOP("文件名"))


class BackupsView(QGroupBox):
    """Public children are the editors, buttons, labels and the table named below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("数据与备份"), parent)
        layout = QVBoxLayout(self)
        self.data_file_label = QLabel("")
        self.data_file_label.setWordWrap(True)
        layout.addWidget(self.data_file_label)

        auto = QFormLayout()
        auto.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.auto_enabled_check = QCheckBox(tr("每天自动备份"))
        auto.addRow(tr("自动备份"), self.auto_enabled_check)
        self.auto_time_edit = QTimeEdit()
        self.auto_time_edit.setDisplayFormat("HH:mm")
        self.auto_time_edit.setTime(QTime(12, 0))
        self.auto_time_edit.setToolTip(tr("北京时间；电脑在这个时间没开机时，下次打开程序时补做"))
        auto.addRow(tr("每天备份时间"), self.auto_time_edit)
        self.auto_keep_spin = QSpinBox()
        self.auto_keep_spin.setRange(1, 365)
        self.auto_keep_spin.setSuffix(tr(" 份"))
        self.auto_keep_spin.setToolTip(tr("只删除更早的自动备份；手动备份和恢复前、升级前的备份不会被删除"))
        auto.addRow(tr("保留最近"), self.auto_keep_spin)
        folder_row = QHBoxLayout()
        self.auto_folder_label = QLabel("")
        self.auto_folder_label.setWordWrap(True)
        self.auto_folder_label.setMinimumWidth(280)
        self.auto_folder_choose_button = QPushButton(tr("选择文件夹…"))
        self.auto_folder_reset_button = QPushButton(tr("用店铺的备份文件夹"))
        folder_row.addWidget(self.auto_folder_label, 1)
        folder_row.addWidget(self.auto_folder_choose_button)
        folder_row.addWidget(self.auto_folder_reset_button)
        auto.addRow(tr("自动备份保存到"), folder_row)
        auto_buttons = QHBoxLayout()
        self.auto_save_button = QPushButton(tr("保存备份设置"))
        self.auto_status_label = QLabel("")
        self.auto_status_label.setWordWrap(True)
        auto_buttons.addWidget(self.auto_save_button)
        auto_buttons.addWidget(self.auto_status_label, 1)
        auto.addRow(auto_buttons)
        layout.addLayout(auto)

        layout.addWidget(QLabel(tr("已有备份（最新在前，北京时间）：")))
        self.backup_table = QTableWidget(0, len(BACKUP_COLUMNS))
        self.backup_table.setHorizontalHeaderLabels([tr(h) for h in BACKUP_COLUMNS])
        self.backup_table.verticalHeader().setVisible(False)
        self.backup_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        head = self.backup_table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(len(BACKUP_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.backup_table.setMinimumHeight(160)
        self.backup_table.setMaximumHeight(260)
        layout.addWidget(self.backup_table)

        row = QHBoxLayout()
        self.backup_button = QPushButton(tr("立即备份"))
        self.restore_button = QPushButton(tr("恢复所选…"))
        self.restore_button.setToolTip(tr("用所选备份替换当前数据；当前数据会先另存为一份“恢复前”备份"))
        self.open_folder_button = QPushButton(tr("打开数据文件夹"))
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addWidget(self.open_folder_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
