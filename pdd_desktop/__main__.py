"""``python -m pdd_desktop``: the same entry as the ``pdd-desktop`` command."""

from pdd_desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
