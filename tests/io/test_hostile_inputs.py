"""Hostile inputs get one clear line each: special files, links, bad names, damage, nesting."""

from __future__ import annotations

import io
import json
import os
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.io.documents import clean_text, display_path
from desktop.io.readers import iter_input_files, iter_inputs, read_bytes, read_path

BAD_NAME = b"bad\xff\xfe.txt"


def _errors(items: list) -> dict[str, str]:
    return {Path(item.source).name: item.error for item in items if not isinstance(item, Path)}


def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "f.txt"
    os.mkfifo(fifo)
    results: list = []
    reader = threading.Thread(target=lambda: results.extend(read_path(fifo)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "reading a FIFO hung"
    assert results[0].error == "not a regular file (a FIFO); only regular files are read"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_device_linked_as_text_is_refused_not_read_forever(tmp_path: Path, device: str) -> None:
    link = tmp_path / "z.txt"
    link.symlink_to(device)
    (result,) = read_path(link, max_bytes=1024)
    assert result.error == "not a regular file (a device); only regular files are read"


def test_file_growing_past_the_limit_is_read_only_up_to_it(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    (result,) = read_path(path, max_bytes=100)
    assert result.error == "larger than the 100 B limit (4.9 KB)"


def test_symlink_loop_in_a_folder_gets_its_line_and_the_rest_is_found(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Tusk in Warsaw.")
    os.symlink("loop.md", tmp_path / "loop.md")
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    items = list(iter_inputs([str(tmp_path)]))
    assert [p.name for p in items if isinstance(p, Path)] == ["good.txt"]
    assert _errors(items) == {
        "a.txt": "symbolic link loop; not followed",
        "b.txt": "symbolic link loop; not followed",
        "loop.md": "symbolic link loop; not followed",
    }
    assert [p.name for p in iter_input_files([str(tmp_path)])] == ["good.txt"]


def test_symlink_loop_named_explicitly_is_reported_by_the_reader(tmp_path: Path) -> None:
    os.symlink("loop.md", tmp_path / "loop.md")
    (path,) = iter_input_files([str(tmp_path / "loop.md")])
    assert read_path(path)[0].error == "symbolic link loop; not followed"


def test_symlink_leaving_the_folder_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Not for this case.")
    folder = tmp_path / "import"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "inside.txt").write_text("Inside the folder.")
    (folder / "leak.txt").symlink_to(secret)
    (folder / "alias.txt").symlink_to(folder / "sub" / "inside.txt")
    items = list(iter_inputs([str(folder)]))
    # The link inside the folder is followed; its target is the same file, listed once.
    assert [p.name for p in items if isinstance(p, Path)] == ["alias.txt"]
    assert _errors(items) == {
        "leak.txt": "symbolic link to a file outside the imported folder; not followed"
    }


def test_non_utf8_file_name_is_read_with_replacement_characters(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, BAD_NAME), "wb") as handle:
        handle.write(b"Tusk in Warsaw.")
    (path,) = iter_input_files([str(tmp_path)])
    (result,) = read_path(path)
    assert result.ok
    assert result.source.endswith("bad\ufffd\ufffd.txt")
    assert result.document.original_name == "bad\ufffd\ufffd.txt"
    result.source.encode("utf-8")  # storable and printable


def test_lone_surrogates_in_json_become_replacement_characters() -> None:
    data = json.dumps({"title": "\ud800", "text": "Tusk \udfff in Warsaw."}).encode()
    (result,) = read_bytes(data, "feed.json")
    assert result.document.title == "\ufffd"
    assert result.document.text == "Tusk \ufffd in Warsaw."


def test_clean_text_keeps_length_and_display_path_decodes_bytes() -> None:
    assert clean_text("a\udcffb") == "a\ufffdb"
    assert display_path(b"x/" + BAD_NAME) == "x/bad\ufffd\ufffd.txt"


def _corrupt_deflate(docx: bytes) -> bytes:
    """Damage the compressed stream of word/document.xml, keeping the ZIP's directory."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(docx)
    for offset in range(start + 2, start + min(info.compress_size, 40)):
        data[offset] = 0xFF
    return bytes(data)


def test_docx_with_damaged_compression_gets_a_word_reason(
    tmp_path: Path, make_docx: Callable[..., bytes]
) -> None:
    path = tmp_path / "damaged.docx"
    paragraphs = ["A paragraph long enough to compress well."] * 40
    path.write_bytes(_corrupt_deflate(make_docx(paragraphs)))
    (result,) = read_path(path)
    assert result.error == "truncated or corrupt Word file"


def test_json_nested_100000_deep_is_refused_as_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    (result,) = read_path(path)
    assert result.error == "JSON too deeply nested to read (arrays or objects inside each other)"
    lines = tmp_path / "deep.jsonl"
    lines.write_text('{"text": "fine line"}\n' + "[" * 100_000 + "]" * 100_000 + "\n")
    good, deep = read_path(lines)
    assert good.ok and deep.error.startswith("JSON too deeply nested")


def _nested_email(depth: int) -> bytes:
    head = "From: a@example.org\nSubject: deep\nMIME-Version: 1.0\n"
    parts = []
    for level in range(depth):
        parts.append(f'Content-Type: multipart/mixed; boundary="b{level}"\n\n--b{level}\n')
    tail = "".join(f"\n--b{level}--\n" for level in reversed(range(depth)))
    return (head + "".join(parts) + "Content-Type: text/plain\n\nHello." + tail).encode()


def test_email_with_hundreds_of_nested_parts_is_refused_as_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.eml"
    path.write_bytes(_nested_email(1200))
    (result,) = read_path(path)
    assert result.error == (
        "e-mail too deeply nested to read (parts or attached messages inside each other)"
    )


def test_subfolder_that_cannot_be_listed_gets_its_line(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Tusk in Warsaw.")
    # Folders nested past PATH_MAX: made through descriptors, they cannot be listed by path.
    fd = os.open(tmp_path, os.O_RDONLY)
    for _ in range(25):
        os.mkdir("d" * 200, dir_fd=fd)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)
    items = list(iter_inputs([str(tmp_path)]))
    assert [p.name for p in items if isinstance(p, Path)] == ["good.txt"]
    (refused,) = [item for item in items if not isinstance(item, Path)]
    assert refused.error == "cannot read folder: File name too long"
