"""Printing preferences of this machine (QSettings, not the shop): label size and document font.

They belong to the computer (its printer, its paper, its fonts), so two computers working on the
same shop may differ. Printers and their x/y offsets are kept by the print preview.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from pdd_desktop.ui.i18n import QT_TR_NOOP

LABEL_TEMPLATE_KEY = "printing/label_template"
FONT_PATH_KEY = "printing/font_path"
#: (template name under resources/templates, label in the settings page); the first is the default.
LABEL_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("label_76x130", QT_TR_NOOP("76×130 mm（默认，一联单）")),
    ("label_100x150", "100×150 mm"),
)


def label_template(settings: QSettings) -> str:
    """The label template chosen on this machine."""
    value = settings.value(LABEL_TEMPLATE_KEY)
    names = [name for name, _label in LABEL_TEMPLATES]
    return value if value in names else names[0]


def font_path(settings: QSettings) -> str | None:
    """The font file picked on this machine, or None for the system font found automatically."""
    return str(settings.value(FONT_PATH_KEY) or "") or None


#: The print component's address on this machine ("" = ws://127.0.0.1:5000, its default).
COMPONENT_URL_KEY = "printing/component_url"
#: A real shop's custom area template registered with the platform ("" = no custom area).
CUSTOM_TEMPLATE_KEY = "printing/custom_template_url"


def component_url(settings: QSettings) -> str:
    """The 拼多多打印组件 address set for this machine ("" means its default)."""
    return str(settings.value(COMPONENT_URL_KEY) or "").strip()


def custom_template_url(settings: QSettings) -> str:
    """The custom area template URL set for this machine ("" = labels without a custom area)."""
    return str(settings.value(CUSTOM_TEMPLATE_KEY) or "").strip()
