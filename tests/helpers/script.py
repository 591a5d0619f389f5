"""Drive windows that run their own event loop (a modal flow): steps run from that loop."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class Script:
    """Steps ``(ready, act)`` run in order from the event loop, each once ``ready()`` holds."""

    def __init__(self, *steps, timeout: float = 60) -> None:
        self.steps = list(steps)
        self.deadline = time.monotonic() + timeout
        self.error: BaseException | None = None
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        if not self.steps:
            return
        ready, act = self.steps[0]
        try:
            if ready():
                self.steps.pop(0)
                act()
        except BaseException as exc:  # surfaced by done()
            self.error = exc
            self.steps.clear()
            return
        if time.monotonic() > self.deadline:
            self.error = TimeoutError(f"step never became ready: {ready}")
            self.steps.clear()
            return
        QTimer.singleShot(20, self._poll)

    def done(self) -> None:
        """Raise what went wrong in a step; fail when steps are left."""
        if self.error is not None:
            raise self.error
        assert not self.steps, f"{len(self.steps)} steps left"
