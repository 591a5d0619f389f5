"""Page fixtures: a module asks for a side-nav page of the test window in one line."""

from __future__ import annotations

from collections.abc import Callable

import pytest


def page_fixture(
    key: str, ready: Callable[[object], object] | None = None, *, size: tuple[int, int] | None = None
):
    """A ``page`` fixture: the main window (resized to ``size`` first) shows page ``key``.

    ``ready(page)`` is asserted truthy before the test gets the page (e.g. its list loaded).

    Usage in a test module: ``page = page_fixture("orders")``.
    """

    @pytest.fixture
    def page(window):
        if size is not None:
            window.resize(*size)
        window.show_page(key)
        shown = window.page(key)
        assert shown.isVisible(), f"page {key} is not shown"
        if ready is not None:
            assert ready(shown), f"page {key} is not ready"
        return shown

    return page
