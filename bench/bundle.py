"""The installable bundle: its size, what each left-out rule saves, and its cold start.

- ``bundle_size_mb``: the one-folder app ``dist/PDDDesktop`` in MiB (as ``du -sh`` counts;
  target under 150), and ``bundle_part_<group>_mb`` for its biggest groups of files.
- ``bundle_left_out_<rule>_mb``: what each rule of ``build.spec`` keeps out of the folder
  (written by the spec at build time into ``build/build/left-out.json``).
- ``bundle_cold_start_s``: the frozen program started on the benchmark shop until its home
  page is painted, the first run after dropping the OS page cache where that is allowed (root
  on Linux; otherwise the first run of this process, reported as ``bundle_first_start_s``);
  ``bundle_start_s`` is the median of the warm runs.

The bundle is built with ``make build`` when ``dist/PDDDesktop`` is missing (about a minute).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "PDDDesktop"
LEFT_OUT = ROOT / "build" / "build" / "left-out.json"
MIB = 1024 * 1024

#: Groups of the bundle reported separately (first match wins), by path inside ``_internal``.
GROUPS = (
    ("qt_icu", ("PySide6/Qt/lib/libicu",)),
    ("qt_libraries", ("PySide6/Qt/lib/",)),
    ("qt_plugins_translations", ("PySide6/Qt/",)),
    ("pyside6_bindings", ("PySide6/", "shiboken6/")),
    ("numpy", ("numpy",)),
    ("cryptography", ("cryptography", "_cffi_backend")),
    ("pillow", ("PIL", "pillow.libs")),
    ("python_runtime", ("libpython", "python3", "base_library.zip", "lib")),
)


def _program() -> Path:
    name = "PDDDesktop.exe" if sys.platform == "win32" else "PDDDesktop"
    return DIST / name


def ensure_built() -> None:
    """Build the bundle when there is none."""
    if not _program().exists():
        subprocess.run(["make", "build"], cwd=ROOT, check=True)


def sizes() -> dict[str, int]:
    """Bytes per group, ``program`` (the executables with the Python code), and ``total``."""
    result: dict[str, int] = {name: 0 for name, _ in GROUPS}
    result["program"] = result["other"] = result["total"] = 0
    internal = DIST / "_internal"
    for path in DIST.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        size = path.stat().st_size
        result["total"] += size
        if internal not in path.parents:
            result["program"] += size
            continue
        rel = path.relative_to(internal).as_posix()
        group = next((name for name, prefixes in GROUPS if rel.startswith(prefixes)), "other")
        result[group] += size
    return result


def _drop_page_cache() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def register(benchmark, figure, bench_shop, time_to_home) -> None:
    """Add the ``bundle`` benchmark."""

    @benchmark
    def bundle(args) -> None:
        """Size of the frozen one-folder app, what each left-out rule saves, and its cold start."""
        ensure_built()
        measured = sizes()
        figure("bundle_size_mb", measured.pop("total") / MIB, "MiB")
        for name, size in sorted(measured.items(), key=lambda item: -item[1]):
            figure(f"bundle_part_{name}_mb", size / MIB, "MiB")
        if LEFT_OUT.exists():
            for rule, size in sorted(json.loads(LEFT_OUT.read_text("utf-8")).items(), key=lambda i: -i[1]):
                figure(f"bundle_left_out_{rule.replace('-', '_')}_mb", size / MIB, "MiB")
        paths = bench_shop(args)
        cold = _drop_page_cache()
        times = time_to_home([str(_program())], paths, max(2, args.repeat))
        figure("bundle_cold_start_s" if cold else "bundle_first_start_s", times[0], "s")
        figure("bundle_start_s", statistics.median(times[1:]), "s")
