"""Colours and the stylesheet: one palette, one QSS file in resources/styles/."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

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


def resources_dir() -> Path:
    """``resources/`` beside the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def icon(name: str) -> QIcon:
    """An icon from ``resources/icons/<name>.svg``."""
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))


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
