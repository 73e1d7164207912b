"""The headless CLI: import into a case file, export it as JSON, reopen it in a new process."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.__main__ import main
from tests.factories import write_ship_reports

ARTICLE = Path(__file__).parent / "data" / "cli_article_de.txt"


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
