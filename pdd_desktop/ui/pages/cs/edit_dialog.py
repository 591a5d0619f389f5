"""Adding or changing a quick reply: group, shortcut, title and text with ``{变量}``."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from pdd_desktop.services import cs
from pdd_desktop.ui.dialogs.form import FormDialog
from pdd_desktop.ui.i18n import tr


class QuickReplyEditDialog(FormDialog):
    """The quick-reply editor.

    Public children: ``group_combo`` (editable), ``shortcut_edit``, ``title_edit``, ``body_edit``,
    ``variable_combo`` (picking one inserts it at the cursor).
    """

    def __init__(self, groups: list[str], reply: cs.QuickReplyRow | None, parent: QWidget | None = None):
        super().__init__(tr("编辑快捷回复") if reply else tr("新建快捷回复"), tr("保存"), parent)
        self.setMinimumWidth(520)
        form = QFormLayout()
        self.group_combo = QComboBox()
        self.group_combo.setEditable(True)
        self.group_combo.addItems(groups)
        self.shortcut_edit = QLineEdit()
        self.shortcut_edit.setPlaceholderText(tr("如 /fh，可不填"))
        self.title_edit = QLineEdit()
        self.body_edit = QPlainTextEdit()
        self.body_edit.setMinimumHeight(120)
        self.variable_combo = QComboBox()
        self.variable_combo.addItem(tr("插入变量…"), "")
        for name, what in cs.VARIABLES.items():
            self.variable_combo.addItem(f"{{{name}}}  {tr(what)}", name)
        form.addRow(tr("分组"), self.group_combo)
        form.addRow(tr("快捷短语"), self.shortcut_edit)
        form.addRow(tr("标题"), self.title_edit)
        form.addRow(tr("内容"), self.body_edit)
        form.addRow("", self.variable_combo)
        self.body.addLayout(form)
        if reply is not None:
            self.group_combo.setCurrentText(reply.group)
            self.shortcut_edit.setText(reply.shortcut)
            self.title_edit.setText(reply.title)
            self.body_edit.setPlainText(reply.body)
        self.variable_combo.activated.connect(self._insert_variable)
        for edit in (self.title_edit,):
            edit.textChanged.connect(self.update_ok)
        self.body_edit.textChanged.connect(self.update_ok)
        self.finish_layout()

    def can_submit(self) -> bool:
        """Title and text filled."""
        return bool(self.title_edit.text().strip() and self.body_edit.toPlainText().strip())

    def _insert_variable(self, index: int) -> None:
        name = self.variable_combo.itemData(index)
        if name:
            self.body_edit.insertPlainText("{" + name + "}")
            self.body_edit.setFocus()
        self.variable_combo.setCurrentIndex(0)
