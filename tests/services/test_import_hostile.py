"""One bad input never sinks an import: special files, links, bad names, a lost store race."""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import func, select

from db.models import Document, ImportItem
from desktop.services.import_documents import Importer, ImportOptions
from desktop.services.steps import run_to_end


def _hostile_folder(folder: Path) -> None:
    (folder / "good.txt").write_text("Tusk sprach in Warschau.", encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"bad\xff\xfe.txt"), "wb") as handle:
        handle.write(b"Tusk in Warsaw.")
    os.mkfifo(folder / "f.txt")
    (folder / "z.txt").symlink_to("/dev/zero")
    os.symlink("loop.md", folder / "loop.md")
    (folder / "feed.json").write_text(json.dumps({"title": "\ud800", "text": "Scholz in Bonn."}))


def test_hostile_folder_gives_every_input_a_line_and_stores_the_good_ones(case, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    _hostile_folder(folder)
    seen = []
    importer = Importer(case, ImportOptions(max_bytes=1024), on_lines=seen.extend)
    report = run_to_end(importer.import_sources([str(folder), str(folder / "z.txt")]))
    device = report.lines.pop()
    assert device.reason == "not a regular file (a device); only regular files are read"
    lines = {Path(line.source).name: (line.status, line.reason) for line in report.lines}
    assert lines == {
        "bad\ufffd\ufffd.txt": ("imported", None),
        "f.txt": ("failed", "not a regular file (a FIFO); only regular files are read"),
        "feed.json [item 1]": ("imported", None),
        "good.txt": ("imported", None),
        "loop.md": ("failed", "symbolic link loop; not followed"),
        "z.txt": ("failed", "symbolic link to a file outside the imported folder; not followed"),
    }
    assert seen == [*report.lines, device]
    with case.reading() as session:
        titles = set(session.scalars(select(Document.title)))
        names = set(session.scalars(select(Document.original_name)))
        assert session.scalar(select(func.count()).select_from(ImportItem)) == 7
    assert "\ufffd" in titles and "bad\ufffd\ufffd.txt" in names


class _UnstorableAnalyzer:
    """Extracts every text, but storing one of them fails (a database refusal, a bug)."""

    def analyze(self, documents: list) -> list[object]:
        return [doc.text for doc in documents]

    def store(self, session: object, document: object, analysis: object) -> int:
        if "POISON" in str(analysis):
            raise ValueError("cannot store this one")
        return 1


def test_a_document_that_cannot_be_stored_fails_alone_and_the_batch_goes_on(case, tmp_path):
    paths = []
    for number, text in enumerate(["Erste Meldung.", "Kaputt POISON Meldung.", "Dritte Meldung."]):
        path = tmp_path / f"{number}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    report = run_to_end(Importer(case, analyzer=_UnstorableAnalyzer()).import_sources(paths))
    assert [line.status for line in report.lines] == ["imported", "failed", "imported"]
    assert report.lines[1].reason.startswith("could not be stored (ValueError")
    with case.reading() as session:  # the failed one left nothing behind
        assert session.scalar(select(func.count()).select_from(Document)) == 2


class _RefusingAnalyzer:
    """An analyzer that cannot handle one text, as a pipeline bug on odd input would."""

    def analyze(self, documents: list) -> list[object]:
        if any("POISON" in doc.text for doc in documents):
            raise ValueError("pipeline cannot handle this text")
        return [len(doc.text) for doc in documents]

    def store(self, session: object, document: object, analysis: object) -> int:
        return 1


def test_a_text_the_analyzer_fails_on_fails_alone_and_the_rest_is_extracted(case, tmp_path):
    paths = []
    for number, text in enumerate(["Erste Meldung.", "Kaputt POISON Meldung.", "Dritte Meldung."]):
        path = tmp_path / f"{number}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    report = run_to_end(Importer(case, analyzer=_RefusingAnalyzer()).import_sources(paths))
    assert [(line.status, line.entities) for line in report.lines] == [
        ("imported", 1), ("failed", None), ("imported", 1)
    ]
    assert report.lines[1].reason == "entity extraction failed (ValueError)"
