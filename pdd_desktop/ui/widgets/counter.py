"""A to-do counter: a big number with its label, clickable to open the matching list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class CounterButton(QPushButton):
    """Shows ``value`` over ``label``; turns red when ``alert`` and the value is non-zero."""

    def __init__(
        self, key: str, label: str, hint: str, *, alert: bool = False, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.key = key
        self._alert = alert
        self.setObjectName("Counter")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(hint)
        self.setAccessibleName(label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.value_label = QLabel("—")
        self.value_label.setObjectName("BigNumber")
        self.caption_label = QLabel(label)
        self.caption_label.setObjectName("Muted")
        for w in (self.value_label, self.caption_label):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(w)
        self.setMinimumSize(150, 72)

    def set_value(self, value: int) -> None:
        """Show the count; alert styling when it needs attention."""
        self.value_label.setText(f"{value:,}")
        alert = self._alert and value > 0
        self.setProperty("alert", "true" if alert else "false")
        self.value_label.setObjectName("Danger" if alert else "BigNumber")
        self.value_label.setStyleSheet("font-size: 22px;")
        self.style().unpolish(self)
        self.style().polish(self)
        self.value_label.style().unpolish(self.value_label)
        self.value_label.style().polish(self.value_label)

    @property
    def value_text(self) -> str:
        """What the user reads as the number."""
        return self.value_label.text()
