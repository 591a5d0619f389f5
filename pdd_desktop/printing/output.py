"""Where a rendered PDF goes, all or nothing, and the progress / cancel plumbing of every renderer."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from pdd_desktop.common.task import Cancelled

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
Output = BinaryIO | Path | str


@contextlib.contextmanager
def atomic_output(out: Output) -> Iterator[io.BytesIO]:
    """Yield a buffer; on success its bytes land in ``out`` whole, on any error nothing is written.

    A path is written to a temporary file beside it and renamed over it, so a cancelled or failed
    render leaves neither a partial file nor a stray temporary one.
    """
    buf = io.BytesIO()
    yield buf
    data = buf.getvalue()
    if isinstance(out, str | Path):
        path = Path(out)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    else:
        out.write(data)


class Ticker:
    """Calls ``progress(done, total)`` and raises :class:`Cancelled` when ``should_cancel()`` says so."""

    def __init__(self, total: int, progress: ProgressFn | None, should_cancel: CancelFn | None) -> None:
        self.total = total
        self._progress = progress
        self._cancel = should_cancel

    def check(self) -> None:
        """Raise :class:`Cancelled` when the caller asked to stop."""
        if self._cancel is not None and self._cancel():
            raise Cancelled()

    def done(self, n: int) -> None:
        """Report ``n`` units finished."""
        if self._progress is not None:
            self._progress(n, self.total)
