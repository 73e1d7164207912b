"""Gazetteer start time and memory: load, ruler patterns, first and repeated lookups.

Run: ``python scripts/bench_gazetteer.py [--root PATH]``; ``--root`` points at another
checkout (its code and resources/geo) to compare before and after.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

NAMES = ["Paris", "Georgia", "Africa", "Gao", "Yeghegnadzor", "Kursk", "Springfield", "Pandi",
         "Queen Anne's County"]


def peak_mb() -> int:
    """Peak resident memory of this process in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def current_mb() -> int:
    """Resident memory now in MB (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() // 2**20


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.root))
    from desktop.geo.gazetteer import Gazetteer

    started = time.perf_counter()
    gazetteer = Gazetteer(args.root / "resources" / "geo")
    gazetteer.load()
    loaded = time.perf_counter()
    print(f"load: {loaded - started:.2f} s, peak {peak_mb()} MB")
    gazetteer.name_patterns(("de", "en"))
    gazetteer.main_names(("de", "en"))
    patterns = time.perf_counter()
    print(f"ruler patterns: {patterns - loaded:.2f} s, peak {peak_mb()} MB")
    gazetteer.candidates("Paris", "en")
    first = time.perf_counter()
    for name in NAMES * 125:
        gazetteer.candidates(name, "en")
    done = time.perf_counter()
    print(f"first lookup: {1000 * (first - patterns):.0f} ms; 1,000 lookups: "
          f"{1000 * (done - first):.0f} ms; peak {peak_mb()} MB, now {current_mb()} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
