"""Qt's own texts in Chinese: the standard buttons (是/否/取消), file dialogs, context menus.

Qt ships its strings in English; ``qtbase_zh_CN.qm`` (shipped with PySide6) translates them.
Every place that makes a ``QApplication`` (the GUI, ``pdd-desktop selftest``, the tests' qapp)
calls :func:`install_qt_translations` once.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

#: The catalogue of the Qt modules the app uses (widgets, gui, core: all in qtbase).
CATALOGUE = "qtbase"
LOCALE = "zh_CN"
_PROPERTY = "pdd_desktop_qt_translator"


def _folders() -> list[Path]:
    """Where Qt's .qm files may be: Qt's own answer, then PySide6's folders (a frozen bundle)."""
    folders = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    try:
        import PySide6

        base = Path(PySide6.__file__).resolve().parent
        folders += [base / "Qt" / "translations", base / "translations"]
    except (ImportError, TypeError):  # pragma: no cover - PySide6 is imported above
        pass
    return folders


def install_qt_translations(app: QCoreApplication | None = None) -> bool:
    """Load Qt's Chinese translations into ``app`` (default: the running one), once.

    Returns True when they are installed (now or earlier), False when the file is missing
    (Qt's texts then stay English; logged, never an error).
    """
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_qt_translations needs a QApplication")
    if app.property(_PROPERTY) is not None:
        return True
    translator = QTranslator(app)  # parented: lives as long as the application
    for folder in _folders():
        if translator.load(QLocale(LOCALE), CATALOGUE, "_", str(folder)):
            app.installTranslator(translator)
            app.setProperty(_PROPERTY, str(folder))
            return True
    log.warning("Qt's Chinese translations (%s_%s.qm) not found in %s", CATALOGUE, LOCALE, _folders())
    return False
