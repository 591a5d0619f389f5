"""Keep ``None`` alive under PySide6 6.12 wheels on Python 3.11.

PySide6 6.12.0 (the first release with the separate PySide6-Pdf wheel, which the app needs)
returns ``None`` from every binding that returns nothing without taking a reference to it:
``QObject.setObjectName``, ``QWidget.update``, ``QModelRoleData.setData`` and hundreds more.
The wheels are built for the stable ABI with Python 3.12's headers, where ``None`` is immortal
and the reference does not matter. On Python 3.11 each such call lowers ``None``'s count by
one; painting the order list makes several hundred calls per frame, so after a few minutes
the count reaches zero and CPython aborts ("none_dealloc: deallocating None").

:func:`pin_none` gives ``None`` on CPython < 3.12 the same protection 3.12 has built in: a
reference count so large that no number of lost references can bring it to zero. ``None`` is
never freed in either case, so nothing else changes. It is called when the package is
imported, before any Qt object exists. ``tests/ui/test_none_refcount.py`` drives the real calls.
"""

from __future__ import annotations

import sys

#: Added once per process: 2**40 lost references at ~10**5 per second take about four months.
PIN = 1 << 40
_pinned = False


def pin_none() -> bool:
    """Raise ``None``'s reference count by :data:`PIN` once; True when it did."""
    global _pinned
    if _pinned or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if hasattr(sys, "gettotalrefcount"):  # a debug build: the object header is laid out differently
        return False
    import ctypes

    # In a release build the first field of every object is its Py_ssize_t reference count.
    ctypes.c_ssize_t.from_address(id(None)).value += PIN
    _pinned = True
    return True
