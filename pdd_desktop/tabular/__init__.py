"""Spreadsheet files in and out: CSV in any of its encodings and XLSX, streamed.

Pure file handling, no database, no Qt: :mod:`~pdd_desktop.tabular.import_files` reads what the
platform or Excel wrote (encoding detection, :mod:`~pdd_desktop.tabular.xlsx_stream` for XLSX),
:mod:`~pdd_desktop.tabular.table_files` writes the exports. Services decide what the rows mean.
"""
