"""What the app imports by name at run time, which PyInstaller's analysis cannot follow.

- Every ``pdd_desktop`` module: pages, sync areas and printing are imported lazily (after the
  first paint, on first use, in the sync child process).
- ReportLab's barcode package: ``createBarcodeDrawing`` imports the module of each symbology
  by name (the 1.0 bundle crashed on ``reportlab.graphics.barcode.code93``).
"""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules(
    "pdd_desktop", filter=lambda name: not name.startswith("pdd_desktop._pyinstaller")
)
hiddenimports += collect_submodules("reportlab.graphics.barcode")
