"""Two importers writing the same texts into one case at once: no crash, no document twice."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from desktop.services.case import open_case

pytestmark = pytest.mark.slow


def _inbox(folder, count: int):
    folder.mkdir()
    for i in range(count):
        (folder / f"{i:03}.txt").write_text(
            f"Meldung {i}: Olaf Scholz traf in Berlin Emmanuel Macron, der danach nach "
            f"Warschau reiste. Es ging um {i + 2}.000 Tonnen Getreide.\n", encoding="utf-8")
    return folder


def test_two_importers_with_the_same_texts_store_each_text_once(tmp_path):
    case_path = tmp_path / "shared.casedesk"
    open_case(case_path).close()  # the case exists; both processes write into it
    inboxes = [_inbox(tmp_path / name, 60) for name in ("inbox_a", "inbox_b")]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "desktop", "import", "--case", str(case_path), str(inbox)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for inbox in inboxes
    ]
    outputs = [proc.communicate(timeout=600) for proc in procs]

    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-2000:]
        assert "IntegrityError" not in err
    connection = sqlite3.connect(case_path)
    texts = connection.execute("SELECT count(*), count(DISTINCT text_sha256) FROM documents")
    assert texts.fetchone() == (60, 60)
    statuses = dict(connection.execute(
        "SELECT status, count(*) FROM import_items GROUP BY status").fetchall())
    connection.close()
    # Every input got its line: each text was imported by one process, a duplicate for the other.
    assert statuses == {"imported": 60, "duplicate": 60}
