"""The headless CLI: import into a case file, export it as JSON, reopen it in a new process."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.__main__ import main
from desktop.services.import_documents import ImportOptions
from tests.factories import write_ship_reports

ARTICLE = Path(__file__).parent / "data" / "cli_article_de.txt"
ROOT = Path(__file__).resolve().parents[1]


def _casedesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args], capture_output=True, text=True, timeout=300
    )


def test_import_then_export_gives_back_text_sha_and_audit(tmp_path, capsys):
    case = tmp_path / "c.casedesk"
    assert main(["import", "--no-extract", "--case", str(case), str(ARTICLE)]) == 0
    assert "1 imported" in capsys.readouterr().out
    out = tmp_path / "case.json"
    assert main(["export", "--case", str(case), "--format", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    text = ARTICLE.read_text(encoding="utf-8")
    [doc] = data["documents"]
    assert doc["text"] == text
    assert doc["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert [e["action"] for e in data["audit_log"]] == ["import_document"]
    assert data["audit_log"][0]["target_id"] == doc["id"]


def test_failed_input_sets_exit_code_and_the_rest_lands(tmp_path, capsys):
    case = tmp_path / "c.casedesk"
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(600))
    code = main(["import", "--no-extract", "--case", str(case), str(binary), str(ARTICLE)])
    out = capsys.readouterr().out
    assert code == 1
    assert "failed     " in out and "photo.txt: image file (PNG), not a document" in out
    assert "1 imported, 0 already in the case, 1 failed" in out


def test_stdin_import_and_reopen_in_a_new_process(tmp_path):
    case = tmp_path / "c.casedesk"
    text = "Bericht aus Charkiw.\nDie Lage bleibt angespannt.\n"
    first = subprocess.run(
        [sys.executable, "-m", "desktop", "import", "--no-extract", "--case", str(case), "-"],
        input=text,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert first.returncode == 0, first.stderr
    out = tmp_path / "again.json"
    second = _casedesk("export", "--case", str(case), "--format", "json", "-o", str(out))
    assert second.returncode == 0, second.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["text"] for d in data["documents"]] == [text]
    assert data["documents"][0]["title"] == "Bericht aus Charkiw."


def test_a_damaged_case_file_gives_one_clear_line(tmp_path):
    case = tmp_path / "broken.casedesk"
    case.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    result = _casedesk(
        "export", "--case", str(case), "--format", "json", "-o", str(tmp_path / "x.json")
    )
    assert result.returncode == 2
    assert result.stderr.startswith("casedesk: broken.casedesk")
    assert "Traceback" not in result.stderr


def test_export_of_a_mistyped_case_path_fails_and_creates_nothing(tmp_path, capsys):
    typo = tmp_path / "mycsae.casedesk"
    out = tmp_path / "out.json"
    assert main(["export", "--case", str(typo), "--format", "json", "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"casedesk: no case file at {typo}\n"
    assert list(tmp_path.iterdir()) == [], "neither an empty case nor an export was written"


def test_import_case_without_case_restores_next_to_the_archive(tmp_path, capsys):
    case = tmp_path / "c.casedesk"
    assert main(["import", "--no-extract", "--case", str(case), str(ARTICLE)]) == 0
    archive = tmp_path / "shared" / "report.cdcase"
    archive.parent.mkdir()
    assert main(["export", "--case", str(case), "--format", "case", "-o", str(archive)]) == 0
    squatter = archive.with_suffix(".casedesk")
    squatter.write_bytes(b"someone else's file")
    capsys.readouterr()
    assert main(["import-case", str(archive)]) == 0
    first = archive.parent / "report-2.casedesk"
    assert capsys.readouterr().out.startswith(f"restored report.cdcase into {first} (1 documents")
    assert main(["import-case", str(archive)]) == 0
    second = archive.parent / "report-3.casedesk"
    assert f"into {second} (" in capsys.readouterr().out
    assert squatter.read_bytes() == b"someone else's file"
    out = tmp_path / "again.json"
    assert main(["export", "--case", str(second), "--format", "json", "-o", str(out)]) == 0
    [doc] = json.loads(out.read_text(encoding="utf-8"))["documents"]
    assert doc["text"] == ARTICLE.read_text(encoding="utf-8")


def test_import_of_a_folder_with_a_non_utf8_name_and_a_fifo_reports_each(tmp_path):
    folder = tmp_path / "stick"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"bad\xff\xfe.txt"), "wb") as handle:
        handle.write(b"Tusk in Warsaw.")
    os.mkfifo(folder / "f.txt")
    os.symlink("loop.md", folder / "loop.md")
    case = tmp_path / "c.casedesk"
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "import", "--no-extract", "--case", str(case), "."],
        cwd=folder, capture_output=True, text=True, encoding="utf-8", timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # this checkout, not an installed one
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "imported   bad\ufffd\ufffd.txt (?, 15 chars, 0 mentions)",
        "failed     f.txt: not a regular file (a FIFO); only regular files are read",
        "failed     loop.md: symbolic link loop; not followed",
    ]
    assert lines[3].startswith("1 imported, 0 already in the case, 2 failed")


def _stored_sources(case: Path) -> set[str]:
    try:
        connection = sqlite3.connect(f"file:{case}?mode=ro", uri=True, timeout=5)
        try:
            return {name for (name,) in connection.execute("SELECT original_name FROM documents")}
        finally:
            connection.close()
    except sqlite3.Error:
        return set()


def _import_until_stopped(tmp_path: Path, stop: signal.Signals) -> tuple[set[str], set[str]]:
    """Start an import of many files, send ``stop`` once some are stored; return the file names
    stored and the file names whose "imported" line was printed."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for number in range(3000):
        (folder / f"{number:04}.txt").write_text(f"Meldung {number} aus Kiew.", encoding="utf-8")
    case = tmp_path / "c.casedesk"
    output = (tmp_path / "out.txt").open("w+", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", "import", "--no-extract", "--case", str(case),
         str(folder)], stdout=output, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(_stored_sources(case)) < 30 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the import ended before it could be stopped"
    proc.send_signal(stop)
    proc.wait(timeout=60)
    output.seek(0)
    printed = {
        Path(line.split()[1]).name for line in output.read().splitlines()
        if line.startswith("imported ")
    }
    return _stored_sources(case), printed


@pytest.mark.slow
def test_interrupted_import_has_printed_the_line_of_every_document_it_stored(tmp_path):
    stored, printed = _import_until_stopped(tmp_path, signal.SIGINT)
    assert len(stored) >= 30
    assert printed == stored


@pytest.mark.slow
def test_killed_import_has_printed_the_lines_of_the_documents_it_stored(tmp_path):
    stored, printed = _import_until_stopped(tmp_path, signal.SIGKILL)
    assert len(stored) >= 30 and printed <= stored
    # Only the batch committed in the instant of the kill may lack its lines, and then all
    # of them: the files go in name order, so the unprinted ones are the last stored.
    size, unprinted = ImportOptions().batch_size, stored - printed
    assert len(printed) % size == 0 and len(unprinted) in (0, size)
    assert not unprinted or max(printed) < min(unprinted)


def test_server_init_push_and_pull_move_a_case_through_the_cli(tmp_path, capsys, pg_server):
    desk = tmp_path / "desk.casedesk"
    assert main(["import", "--no-extract", "--case", str(desk), str(ARTICLE)]) == 0
    url = pg_server.new_database(migrated=False)
    assert main(["server", "init", url]) == 0
    assert "team case ready at postgresql://" in capsys.readouterr().out
    assert main(["push", "--case", str(desk), "--to", url]) == 0
    assert capsys.readouterr().out.startswith("pushed desk.casedesk, verified (1 documents")
    out = tmp_path / "server.json"
    assert main(["export", "--case", url, "--format", "json", "-o", str(out)]) == 0
    [doc] = json.loads(out.read_text(encoding="utf-8"))["documents"]
    assert doc["text"] == ARTICLE.read_text(encoding="utf-8")
    back = tmp_path / "back.casedesk"
    assert main(["pull", "--case", url, "--to", str(back)]) == 0
    assert f"pulled into {back}, verified (1 documents" in capsys.readouterr().out
    again = tmp_path / "back.json"
    assert main(["export", "--case", str(back), "--format", "json", "-o", str(again)]) == 0
    assert json.loads(again.read_text(encoding="utf-8"))["documents"][0]["text"] == doc["text"]
    pg_server.drop_database(url)


def test_pushing_into_a_server_case_that_has_documents_fails_with_one_line(tmp_path, capsys,
                                                                         pg_url):
    desk = tmp_path / "desk.casedesk"
    assert main(["import", "--no-extract", "--case", str(desk), str(ARTICLE)]) == 0
    assert main(["push", "--case", str(desk), "--to", pg_url]) == 0
    capsys.readouterr()
    assert main(["push", "--case", str(desk), "--to", pg_url]) == 1
    assert capsys.readouterr().err.startswith("casedesk: postgresql://postgres@/")


def test_a_server_that_is_down_gives_one_clear_line(tmp_path, capsys):
    url = f"postgresql://analyst:secret@/casedb?host={tmp_path}"
    assert main(["import", "--no-extract", "--case", url, str(ARTICLE)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("casedesk: cannot open the case at postgresql://analyst@/casedb?host=")
    assert "secret" not in err and list(tmp_path.iterdir()) == []


def test_annotations_import_then_export_as_conll(tmp_path, capsys):
    case = tmp_path / "c.casedesk"
    text = "Olaf Scholz reiste nach Kiew."
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"text": text, "spans": [
        {"start": 0, "end": 11, "label": "PER"}, {"start": 24, "end": 28, "label": "LOC"}]}) + "\n",
        encoding="utf-8")
    assert main(["annotations", "import", "--case", str(case), str(gold)]) == 0
    assert "1 documents (1 new): 2 mentions accepted" in capsys.readouterr().out
    out = tmp_path / "out.conll"
    assert main(["annotations", "export", "--case", str(case), "--format", "conll",
                 "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "Olaf\tB-PER" in lines and "Scholz\tI-PER" in lines and "Kiew\tB-LOC" in lines


def test_bad_annotation_file_gives_the_line_and_exit_code(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Kiew", "spans": []}\n{"text": 3}\n', encoding="utf-8")
    assert main(["annotations", "import", "--case", str(tmp_path / "c.casedesk"), str(bad)]) == 1
    assert "line 2" in capsys.readouterr().err


@pytest.mark.slow
def test_train_then_extract_with_the_case_pipeline(tmp_path, capsys):
    case = tmp_path / "c.casedesk"
    gold = write_ship_reports(tmp_path / "gold.jsonl", 10)
    assert main(["annotations", "import", "--case", str(case), str(gold)]) == 0
    assert main(["train", "--case", str(case), "--lang", "de"]) == 0
    out = capsys.readouterr().out
    assert "MISC" in out and "version 1: adopted" in out
    article = tmp_path / "ship.txt"
    article.write_text("Der Frachter MS Kormoran hat den Hafen von Kiel verlassen.",
                       encoding="utf-8")
    before = case.stat().st_mtime_ns
    assert main(["extract", "--case", str(case), str(article)]) == 0
    record = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert {"text": "MS Kormoran", "label": "MISC"}.items() <= next(
        e for e in record["entities"] if e["text"] == "MS Kormoran").items()
    assert case.stat().st_mtime_ns == before
    assert main(["extract", str(article)]) == 0
    shipped = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert ("MS Kormoran", "MISC") not in {(e["text"], e["label"]) for e in shipped["entities"]}


@pytest.mark.slow
def test_import_extracts_with_the_cases_adopted_pipeline(tmp_path, capsys, ship_pipeline):
    from sqlalchemy import select

    from db.models import Mention
    from desktop.services.case import open_case
    from tests.factories import store_pipeline

    path = tmp_path / "c.casedesk"
    case = open_case(path, actor="tester")
    store_pipeline(case, ship_pipeline, 2, adopted=True)
    case.close()
    news = tmp_path / "news.txt"
    news.write_text("Der Frachter MS Sturmvogel hat den Hafen von Emden verlassen.\n",
                    encoding="utf-8")
    assert main(["import", "--case", str(path), str(news)]) == 0
    case = open_case(path, actor="tester")
    with case.reading() as session:
        found = {(m.text, m.label): m.pipeline_version for m in session.scalars(select(Mention))}
    case.close()
    assert found[("MS Sturmvogel", "MISC")] == 2


def _in_use(out: str) -> list[str]:
    return [" ".join(line.split()[:2]) for line in out.splitlines()[1:] if line.endswith("yes")]


def test_pipelines_lists_the_versions_and_goes_back_to_any_of_them(tmp_path, capsys):
    from desktop.services.case import open_case
    from tests.factories import store_pipeline

    path = tmp_path / "c.casedesk"
    case = open_case(path, actor="tester")
    store_pipeline(case, b"model 1", 1, adopted=False, f1=0.6)
    store_pipeline(case, b"model 2", 2, adopted=True, f1=0.7)
    case.close()
    assert main(["pipelines", "--case", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:2] == ["language", "version"]
    assert [line.split()[:2] for line in out.splitlines()[1:]] == [
        ["de", "shipped"], ["de", "1"], ["de", "2"], ["en", "shipped"]]
    assert "0.50 -> 0.60" in out and _in_use(out) == ["de 2", "en shipped"]
    assert main(["pipelines", "--case", str(path), "--lang", "de", "--use", "1"]) == 0
    assert _in_use(capsys.readouterr().out) == ["de 1"]
    assert main(["pipelines", "--case", str(path), "--lang", "de", "--use", "shipped"]) == 0
    assert _in_use(capsys.readouterr().out) == ["de shipped"]
    assert main(["pipelines", "--case", str(path), "--lang", "de", "--use", "7"]) == 1
    assert "no version 7" in capsys.readouterr().err
    assert main(["pipelines", "--case", str(path), "--use", "1"]) == 2
    assert "--use needs --lang" in capsys.readouterr().err
