"""Tests of the spreadsheet readers and writers (a package, so module names never clash)."""
