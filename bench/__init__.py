"""Benchmarks: scripts anyone can run; each figure prints as ``bench: <name> = <value> <unit>``."""
