"""The frame every list page starts with: the title, a muted count beside it, and tabs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTabBar, QVBoxLayout, QWidget


@dataclass(frozen=True)
class PageFrame:
    """The parts a page view keeps: its layout, the count label and the tab bar."""

    layout: QVBoxLayout
    count_label: QLabel
    tabs: QTabBar
    tab_row: QHBoxLayout  #: the tabs' row; widgets added after them sit at its right


def page_frame(view: QWidget, title: str, *, header_right: Sequence[QWidget] = ()) -> PageFrame:
    """Lay out ``view``'s top: the title, the count and ``header_right`` in one row, then the tabs."""
    layout = QVBoxLayout(view)
    layout.setContentsMargins(16, 12, 16, 8)
    layout.setSpacing(8)
    header = QHBoxLayout()
    title_label = QLabel(title)
    title_label.setObjectName("PageTitle")
    count_label = QLabel("")
    count_label.setObjectName("Muted")
    header.addWidget(title_label)
    header.addSpacing(12)
    header.addWidget(count_label)
    header.addStretch(1)
    for widget in header_right:
        header.addWidget(widget)
    layout.addLayout(header)
    tabs = QTabBar()
    tabs.setExpanding(False)
    tabs.setDrawBase(False)
    tab_row = QHBoxLayout()
    tab_row.addWidget(tabs)
    tab_row.addStretch(1)
    layout.addLayout(tab_row)
    return PageFrame(layout, count_label, tabs, tab_row)


def search_edit(placeholder: str, min_width: int = 260) -> QLineEdit:
    """A search box with a clear button."""
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    edit.setMinimumWidth(min_width)
    return edit
