"""PyInstaller hooks of PDD Desktop (used by ``build.spec``; never imported by the app).

The hooks say what the analysis cannot see by itself, by package rather than module by
module, so a new barcode type or a new page is collected without anyone editing a list.
"""

from pathlib import Path


def get_hook_dirs() -> list[str]:
    """Folders holding ``hook-*.py`` files (PyInstaller's ``pyinstaller40`` entry point)."""
    return [str(Path(__file__).resolve().parent)]
