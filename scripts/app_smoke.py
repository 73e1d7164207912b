"""Smoke test of the built bundle: clean HOME, no network, import, extract, map, case file.

Usage: python scripts/app_smoke.py dist/casedesk/casedesk
Runs the bundled executable (not the source tree) and prints what it measured.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "tests" / "data" / "articles" / "de_kursk_test.txt"
VERSION = re.search(r'^version\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(),
                    re.MULTILINE).group(1)
NO_NETWORK: list[str] = []


def _no_network_prefix(allow_network: bool) -> list[str]:
    """An empty network namespace (root, unshare); without one the smoke test refuses to run."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    if allow_network:
        print("note: no network namespace here; running with the host network (--allow-network)")
        return []
    sys.exit("cannot create a network namespace (needs root and unshare); "
             "pass --allow-network to run with the host network anyway")


def run(exe: Path, home: Path, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    env = {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "QTWEBENGINE_DISABLE_SANDBOX": "1",
        "LANG": "C.UTF-8",
        "CASEDESK_LAUNCHED_AT": repr(time.time()),
    }
    started = time.perf_counter()
    result = subprocess.run(
        [*NO_NETWORK, str(exe), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result, time.perf_counter() - started


CHECKS = [0]


def check(condition: bool, what: str, failures: list[str]) -> None:
    CHECKS[0] += 1
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def _case_file_holds_the_article(archive: Path) -> bool:
    """The exported case holds the article's exact text, its mentions and our version."""
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        data = json.loads(zf.read("case.json"))
    text = ARTICLE.read_text(encoding="utf-8")
    docs = data.get("documents", [])
    return (len(docs) == 1 and docs[0].get("text") == text and len(data.get("mentions", [])) > 10
            and manifest.get("app_version") == VERSION)


def main() -> int:
    global NO_NETWORK
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    NO_NETWORK = _no_network_prefix("--allow-network" in sys.argv)
    exe = Path(args[0]).resolve()
    failures: list[str] = []
    size = sum(
        f.lstat().st_size for f in exe.parent.rglob("*") if f.is_file() and not f.is_symlink()
    )
    print(f"bundle size on disk: {size / 1e6:.0f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        case = Path(tmp) / "smoke.casedesk"
        result, secs = run(exe, home, "import", "--case", str(case), str(ARTICLE))
        print(f"import + extraction of the German test article: {secs:.1f} s")
        check(result.returncode == 0 and "1 imported" in result.stdout, "import", failures)
        result, secs = run(exe, home, "extract", str(ARTICLE))
        record = json.loads(result.stdout or "{}")
        ids = {(e.get("place") or {}).get("id") for e in record.get("entities", [])}
        print(f"extract (cold, one article): {secs:.1f} s")
        check(
            {"ne1:RU-KRS", "ne1:UA-14", "gn:524901", "gn:703448"} <= ids,
            "extract finds Oblast Kursk, Donezk, Moskau and Kiew",
            failures,
        )
        out = Path(tmp) / "smoke.json"
        result, secs = run(exe, home, "--case", str(case), "--smoke-test", str(out))
        facts = json.loads(out.read_text()) if out.exists() else {}
        print(
            f"cold start to main window: {facts.get('window_shown_since_launch_s')} s from "
            f"launch ({facts.get('window_shown_s')} s after the imports); "
            f"map rendered at {facts.get('map_ready_s')} s (process {secs:.1f} s)"
        )
        check(facts.get("documents") == 1, "window lists the imported article", failures)
        check(bool(facts.get("map_loaded")), "map rendered in the bundled web engine", failures)
        check(facts.get("blocked_requests") == [], "no network request from the map", failures)
        check((facts.get("tiles_served") or 0) > 0, "offline basemap tiles served", failures)
        archive = Path(tmp) / "smoke.cdcase"
        result, _ = run(
            exe, home, "export", "--case", str(case), "--format", "case", "-o", str(archive)
        )
        check(result.returncode == 0 and archive.exists(), "case file exported", failures)
        check(archive.exists() and _case_file_holds_the_article(archive),
              "case file holds the article's text, its mentions and the version", failures)
        result, _ = run(exe, home, "verify", str(archive))
        check(result.returncode == 0 and "intact" in result.stdout, "case file verifies", failures)
        result, _ = run(exe, home, "--version")
        check(result.stdout.strip() == f"Casedesk {VERSION}", "version reported", failures)
    print(f"{CHECKS[0] - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
