"""The mouse wheel scrolls a form's page instead of changing a closed combo box or spin box.

Over a long scrolling form (设置) the wheel used to turn whatever editor passed under the
pointer: scrolling down changed 同步方式 to 不同步. With :func:`guard_wheel` an editor takes the
wheel only while it has keyboard focus (clicked or tabbed into); otherwise the wheel goes to the
scroll area around it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget

#: Editors whose value the wheel changes.
GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    """An event filter: wheel events over an unfocused editor scroll the enclosing scroll area."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(obj, GUARDED) or obj.hasFocus():
            return False
        area = _scroll_area_of(obj)
        if area is not None:
            QCoreApplication.sendEvent(area.verticalScrollBar(), event)
        return True


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def guard_wheel(root: QWidget) -> WheelGuard:
    """Guard every combo box and spin box under ``root`` (they take focus by click or Tab only)."""
    guard = WheelGuard(root)
    for kind in GUARDED:
        for editor in root.findChildren(kind):
            editor.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            editor.installEventFilter(guard)
    return guard
