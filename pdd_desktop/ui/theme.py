"""Colours and the stylesheet: one palette, one QSS file in resources/styles/."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from pdd_desktop.common.paths import resources_dir

#: Palette tokens used by app.qss and by widgets that paint (charts, badges).
TOKENS: dict[str, str] = {
    "bg": "#f5f6f8",
    "card": "#ffffff",
    "border": "#e2e5ea",
    "text": "#1f2933",
    "muted": "#6b7280",
    "accent": "#e02e24",  # Pinduoduo red
    "danger": "#d92d20",
    "warning": "#dc6803",
    "ok": "#039855",
    "nav_bg": "#eef0f3",
    "nav_text": "#374151",
    "nav_hover": "#e2e5ea",
}


#: The stroke colour the SVG icons are drawn with; swapped for white on a selected nav row.
_ICON_STROKE = "#4a5568"


def _render_svg(svg: str, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return pixmap


def icon(name: str) -> QIcon:
    """An icon from ``resources/icons/<name>.svg``, drawn white when selected (on the accent colour)."""
    svg = (resources_dir() / "icons" / f"{name}.svg").read_text(encoding="utf-8")
    result = QIcon()
    for size in (24, 48):  # 48 for high-DPI screens
        result.addPixmap(_render_svg(svg, size), QIcon.Mode.Normal)
        result.addPixmap(_render_svg(svg.replace(_ICON_STROKE, "#ffffff"), size), QIcon.Mode.Selected)
    return result


def stylesheet() -> str:
    """app.qss with ``@token@`` placeholders replaced."""
    text = (resources_dir() / "styles" / "app.qss").read_text(encoding="utf-8")
    for key, value in TOKENS.items():
        text = text.replace(f"@{key}@", value)
    return text


def apply_theme(app: QApplication) -> None:
    """Install the stylesheet and app icon once at start-up."""
    app.setStyle("Fusion")
    app.setStyleSheet(stylesheet())
    app.setWindowIcon(icon("app"))
