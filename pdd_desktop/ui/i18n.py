"""The app's own texts through Qt's translation system, so an English build is possible later.

Chinese is the source language: with no translator installed every text shows as written.
Two call forms, both recognised by Qt's extractor (``make translations`` runs
``pyside6-lupdate`` over ``ui/`` and ``app.py``):

- ``tr("…")`` where a text is shown. Values go in named placeholders so a translator can
  reorder them: ``tr("已发货 {count} 笔").format(count=n)`` (never an f-string: the extractor
  would record the expression, not the text the program looks up).
- ``QT_TR_NOOP("…")`` in module-level tables (column titles, status names, page titles): it
  only marks the text for extraction and returns it unchanged; the code that shows it calls
  ``tr(value)`` then, so a translator installed after import still takes effect.

The context is fixed and app-wide, the unnamed one (``CONTEXT``): that is where
``pyside6-lupdate``'s Python parser files free ``tr()`` and ``QT_TR_NOOP()`` calls, so the
extracted catalogue and the runtime lookups agree. (``QObject.tr`` would use the *runtime*
class name as context, which misses for subclasses.)
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

#: The translation context of every app text (see the module docstring).
CONTEXT = ""


def tr(text: str) -> str:
    """The shown form of ``text`` (a Chinese source text): its translation, or itself.

    An empty text stays empty (a table's "no label" value is not a message to translate).
    """
    return QCoreApplication.translate(CONTEXT, text) if text else text


def QT_TR_NOOP(text: str) -> str:  # the name Qt's extractor looks for
    """Mark ``text`` for extraction without translating it; shown later through :func:`tr`."""
    return text
