"""The ``pdd-desktop`` command (:mod:`.main`), one module per group of subcommands.

``pdd-desktop`` and ``python -m pdd_desktop`` run :func:`main`; ``pdd-desktop-gui`` runs
:func:`gui_main`.
"""

from pdd_desktop.cli.main import gui_main, main

__all__ = ["gui_main", "main"]
