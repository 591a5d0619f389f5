"""A to-do counter: a big number with its label, clickable to open the matching list.

A counter whose list lives in a module that is not there yet is a plain figure: no hover, no
pointing hand, no click, no keyboard focus (:meth:`CounterButton.set_clickable`).
"""

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
        self._clickable = True
        self.setProperty("clickable", "true")

    @property
    def clickable(self) -> bool:
        """Whether a click opens the counter's list."""
        return self._clickable

    def set_clickable(self, clickable: bool) -> None:
        """A button that opens the list, or a plain figure."""
        self._clickable = clickable
        self.setProperty("clickable", "true" if clickable else "false")
        self.setCursor(Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if clickable else Qt.FocusPolicy.NoFocus)
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, event) -> None:
        if self._clickable:
            super().mousePressEvent(event)
        else:
            event.ignore()

    def mouseReleaseEvent(self, event) -> None:
        if self._clickable:
            super().mouseReleaseEvent(event)
        else:
            event.ignore()

    def keyPressEvent(self, event) -> None:
        if self._clickable:
            super().keyPressEvent(event)
        else:
            event.ignore()

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
