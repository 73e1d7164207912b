"""Tests for the import entry point: dispatch, sniffing, limits and folder expansion."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from desktop.io.readers import (
    SUPPORTED_SUFFIXES,
    UnreadableInput,
    iter_input_files,
    read_bytes,
    read_path,
)


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_read_path_bad_input_folder_each_bad_file_gets_its_reason(
    tmp_path: Path,
    make_pdf: Callable[..., bytes],
    encrypt_pdf: Callable[..., bytes],
    make_docx: Callable[..., bytes],
    article_html: str,
    no_article_html: str,
) -> None:
    good_pdf = make_pdf(["Good PDF text about Kellby"])
    good_docx = make_docx(["Good Word text."])
    _write(tmp_path, "corrupt.pdf", good_pdf[: len(good_pdf) // 2])
    _write(tmp_path, "encrypted.pdf", encrypt_pdf(good_pdf, user_password="secret"))
    _write(tmp_path, "truncated.docx", good_docx[: len(good_docx) // 2])
    _write(tmp_path, "binary.txt", os.urandom(3000).replace(b"\x00", b"\x01") + b"\x00")
    _write(tmp_path, "oversize.txt", "x" * 51300)
    _write(tmp_path, "empty.txt", b"")
    _write(tmp_path, "shell.html", no_article_html)
    _write(tmp_path, "good.pdf", good_pdf)
    _write(tmp_path, "good.docx", good_docx)
    _write(tmp_path, "good.html", article_html)
    _write(tmp_path, "good.txt", "Grüße, 5 €".encode("cp1252"))
    results = {}
    for path in iter_input_files([str(tmp_path)]):
        for result in read_path(path, max_bytes=40 * 1024):
            results[Path(result.source).name] = result
    assert {name: r.error for name, r in results.items() if not r.ok} == {
        "corrupt.pdf": "corrupt or damaged PDF file",
        "encrypted.pdf": "PDF is encrypted (password-protected)",
        "truncated.docx": "truncated or corrupt Word file",
        "binary.txt": "binary file, not text",
        "oversize.txt": "larger than the 40 KB limit (50.1 KB)",
        "empty.txt": "empty file",
        "shell.html": "no article text found in the HTML page",
    }
    good = {name: r.document for name, r in results.items() if r.ok}
    assert sorted(good) == ["good.docx", "good.html", "good.pdf", "good.txt"]
    assert good["good.txt"] is not None and good["good.txt"].text == "Grüße, 5 €"
    assert all("\n" not in (r.error or "") for r in results.values())


def test_read_path_stamps_name_checksum_and_keeps_original(tmp_path: Path) -> None:
    data = "# Brief\r\nBody\r\n".encode("utf-16")
    path = _write(tmp_path, "brief.md", data)
    (result,) = read_path(path, keep_original=True)
    document = result.document
    assert document is not None
    assert document.title == "Brief"
    assert document.text == "# Brief\nBody\n"
    assert document.original_name == "brief.md"
    assert document.file_sha256 == hashlib.sha256(data).hexdigest()
    assert document.original_bytes == data
    assert document.encoding == "utf-16-le"
    assert document.source_format == "markdown"
    (plain,) = read_path(path)
    assert plain.document is not None and plain.document.original_bytes is None


def test_read_path_content_wins_over_extension(
    tmp_path: Path, make_pdf: Callable[..., bytes]
) -> None:
    path = _write(tmp_path, "really-a-pdf.txt", make_pdf(["Hidden PDF text"]))
    (result,) = read_path(path)
    assert result.document is not None
    assert result.document.source_format == "pdf"
    assert result.document.text == "Hidden PDF text"


def test_read_path_known_binaries_get_specific_reasons(tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    cases = {
        "old.doc.txt": (ole, "old Office format (.doc/.xls): save it as .docx"),
        "locked.docx": (ole, "Word file is encrypted (password-protected)"),
        "photo.txt": (b"\x89PNG\r\n\x1a\n" + bytes(100), "image file (PNG), not a document"),
        "fake.pdf": (b"just text", "not a PDF file (no PDF header; corrupt or mislabeled)"),
        "fake.docx": (b"just text", "truncated or corrupt Word file"),
    }
    for name, (data, reason) in cases.items():
        (result,) = read_path(_write(tmp_path, name, data))
        assert result.error == reason, name


def test_read_path_json_list_gives_one_result_per_item(tmp_path: Path) -> None:
    items = [{"title": "A", "text": "Alpha."}, {"title": "B"}, {"title": "C", "text": "Gamma."}]
    path = _write(tmp_path, "feed.json", json.dumps(items))
    results = read_path(path)
    assert [(r.source, r.error) for r in results] == [
        (f"{path} [item 1]", None),
        (f"{path} [item 2]", "item has no text (expected text, content or body)"),
        (f"{path} [item 3]", None),
    ]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert all(r.document.file_sha256 == digest for r in results if r.document)


def test_read_path_empty_file_of_any_format(tmp_path: Path) -> None:
    for name in ["e.pdf", "e.docx", "e.eml", "e.json", "e.html", "e.md"]:
        assert read_path(_write(tmp_path, name, b""))[0].error == "empty file", name


def test_read_path_text_quoting_pdf_header_stays_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "note.txt", "Note: files start with %PDF-1.7 as a header.")
    (result,) = read_path(path)
    assert result.document is not None and result.document.source_format == "text"


def test_read_path_missing_file_and_folder(tmp_path: Path) -> None:
    assert read_path(tmp_path / "nope.txt")[0].error == "file not found"
    assert read_path(tmp_path)[0].error == "is a folder, not a file"


def test_read_bytes_stdin_sniffs_pdf(make_pdf: Callable[..., bytes]) -> None:
    (result,) = read_bytes(make_pdf(["Piped PDF"]), "-")
    assert result.document is not None and result.document.pages[0].page == 1
    assert result.document.text == "Piped PDF"


def test_read_bytes_stdin_sniffs_html_and_text(article_html: str) -> None:
    (page,) = read_bytes(article_html.encode(), "-")
    assert page.source == "<stdin>"
    assert page.document is not None and page.document.source_format == "html"
    (plain,) = read_bytes(b"\xef\xbb\xbfPlain words from a pipe\n", "<stdin>")
    assert plain.document is not None
    assert plain.document.encoding == "utf-8-sig"
    assert plain.document.original_name is None


def test_read_bytes_size_limit_message() -> None:
    (result,) = read_bytes(b"x" * (3 * 1024 * 1024 + 200_000), "big.txt", max_bytes=1024 * 1024)
    assert result.error == "larger than the 1 MB limit (3.2 MB)"


def test_iter_input_files_walks_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.pdf",
        "sub/c.md",
        "sub/.secret.txt",
        ".git/config.txt",
        "~$lock.docx",
        "photo.jpg",
        "sub/deeper/d.eml",
    ]:
        _write(tmp_path, name, "x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([str(tmp_path)])]
    assert found == ["a.pdf", "b.txt", "sub/c.md", "sub/deeper/d.eml"]


def test_iter_input_files_globs_explicit_files_and_duplicates(tmp_path: Path) -> None:
    for name in ["one.txt", "two.txt", "three.md", "notes/four.txt"]:
        _write(tmp_path, name, "x")
    args = [str(tmp_path / "*.txt"), str(tmp_path / "one.txt"), str(tmp_path / "missing.txt")]
    args.append(str(tmp_path / "**" / "*.txt"))
    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files(args)]
    assert found == ["one.txt", "two.txt", "missing.txt", "notes/four.txt"]


def test_supported_suffixes_cover_every_reader() -> None:
    expected = {".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".eml", ".json", ".jsonl"}
    assert expected <= SUPPORTED_SUFFIXES


def test_io_layer_imports_no_gui_database_or_nlp_packages() -> None:
    code = (
        "import sys\n"
        "import desktop.io.readers\n"
        "banned = ('PySide6', 'sqlalchemy', 'spacy', 'folium', 'desktop.services', 'desktop.ui',"
        " 'db')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in banned or m in banned))\n"
    )
    root = Path(__file__).resolve().parents[2]
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "[]"


def test_unreadable_input_message_is_always_one_line() -> None:
    assert str(UnreadableInput("cannot read:\n  bad   header\r\n")) == "cannot read: bad header"
