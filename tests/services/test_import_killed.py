"""A batch import killed mid-way leaves a sound case: each document whole or absent."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow


def _count(path) -> int:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


def test_killing_an_import_midway_leaves_whole_documents_only(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for i in range(400):
        (folder / f"{i:03}.txt").write_text(
            f"Meldung {i}: In Kiew und Moskau wurde am Montag verhandelt. "
            f"Jake Sullivan sprach von {i + 3}.000 Soldaten nahe Kursk.\n", encoding="utf-8")
    case = tmp_path / "killed.casedesk"
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", "import", "--case", str(case), str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    while _count(case) < 20 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    stored = _count(case)
    assert 20 <= stored < 400, "the kill must land in the middle of the batch"

    connection = sqlite3.connect(case)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The import report line is written in the same transaction as its document, and it
    # records how many mentions were stored: a document cut short would not match it.
    rows = connection.execute(
        "SELECT d.id, i.entities, (SELECT count(*) FROM mentions m WHERE m.document_id = d.id) "
        "FROM documents d JOIN import_items i ON i.document_id = d.id"
    ).fetchall()
    assert len(rows) == stored
    assert all(expected == actual and actual > 0 for _, expected, actual in rows)
    orphans = connection.execute(
        "SELECT count(*) FROM mentions WHERE document_id NOT IN (SELECT id FROM documents)"
    ).fetchone()[0]
    assert orphans == 0
    connection.close()

    from desktop.services.case import open_case

    reopened = open_case(case)
    reopened.close()
