"""``python -m pdd_desktop``: the same entry as the ``pdd-desktop`` command."""

import multiprocessing

from pdd_desktop.cli import main

if __name__ == "__main__":
    # A frozen build starts the sync worker process (sync_process) by running this executable
    # again; freeze_support() turns that run into the worker instead of a second app.
    multiprocessing.freeze_support()
    raise SystemExit(main())
