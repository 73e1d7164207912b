"""Decode plain-text and Markdown bytes (files, stdin) into ImportedDocument records."""

from __future__ import annotations

import codecs
import re

from desktop.io.documents import ImportedDocument, UnreadableInput

MAX_TITLE_CHARS = 200
# The title is looked for in the first lines only; a 50 MB single-line file must stay fast.
_TITLE_SCAN_CHARS = 20_000

# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters (Unicode category Cc) other than tab, line breaks, form feed and escape.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_C0_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_C1_RANGE_BYTES = re.compile(rb"[\x80-\x9f]")
# More than this share of control characters means the bytes are not prose.
_MAX_CONTROL_RATIO = 0.02
# Western European text has isolated accented letters; long runs of non-ASCII characters
# after a cp1252 decode mean another legacy encoding (Cyrillic, CJK...) was misread.
_LONG_RUN = 4
_MAX_LONG_RUN_SHARE = 0.25
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{" + str(_LONG_RUN) + ",}")
_CANNOT_DECODE = "cannot decode: not UTF-8, UTF-16 or a Western European encoding"
_NEWLINES = re.compile(r"\r\n?")
_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$")


def normalize_newlines(text: str) -> str:
    r"""Turn CRLF and lone CR line endings into LF.

    Args:
        text: Decoded text.

    Returns:
        The text with every line ending as "\n".
    """
    return _NEWLINES.sub("\n", text)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes that should be text, refusing anything that would be mangled.

    Tries, in order: a byte-order mark (UTF-8, UTF-16, UTF-32), BOM-less UTF-16 (detected by
    its NUL pattern), UTF-8, then Windows-1252 / ISO-8859-1 only when the result looks like
    Western European text. A leading BOM is removed; nothing else is changed.

    Args:
        data: Raw bytes.

    Returns:
        The decoded text and the Python codec name that decoded it, e.g. "utf-8", "utf-8-sig",
        "utf-16-le", "cp1252" or "iso-8859-1".

    Raises:
        UnreadableInput: The bytes are empty, binary, or in an encoding we cannot tell apart.
    """
    if not data:
        raise UnreadableInput("empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data[len(bom) :], codec, bom_codec=codec), codec
    utf16 = _bomless_utf16(data)
    if utf16:
        return _decode_strict(data, utf16, bom_codec=None), utf16
    if b"\x00" in data:
        raise UnreadableInput("binary file, not text")
    try:
        text, codec = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, codec = _decode_western(data)
    _check_looks_like_text(text)
    return text, codec


def _decode_strict(data: bytes, codec: str, *, bom_codec: str | None) -> str:
    """Decode with a Unicode codec chosen from a BOM or NUL pattern, then check it is text."""
    try:
        text = data.decode(codec.removesuffix("-sig"))
    except UnicodeDecodeError:
        if bom_codec:
            message = f"cannot decode: invalid {codec.upper()} after byte-order mark"
            raise UnreadableInput(message) from None
        raise UnreadableInput("binary file, not text") from None
    _check_looks_like_text(text)
    return text


def _bomless_utf16(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when NULs sit in every other byte like ASCII in UTF-16."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls >= 0.9 * half and even_nuls <= 0.01 * half:
        return "utf-16-le"
    if even_nuls >= 0.9 * half and odd_nuls <= 0.01 * half:
        return "utf-16-be"
    return None


def _decode_western(data: bytes) -> tuple[str, str]:
    """Decode non-UTF-8 bytes as cp1252 or ISO-8859-1, refusing what looks like another script.

    ISO-8859-1 and cp1252 agree outside 0x80-0x9F, so bytes in that range decide: none means
    "iso-8859-1", printable cp1252 characters there (such as the euro sign) mean "cp1252".
    """
    c0_controls = len(data) - len(data.translate(None, _C0_CONTROL_BYTES))
    if c0_controls / len(data) > _MAX_CONTROL_RATIO:
        raise UnreadableInput("binary file, not text")
    if not _C1_RANGE_BYTES.search(data):
        text, codec = data.decode("iso-8859-1"), "iso-8859-1"
    else:
        try:
            text, codec = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            # Bytes cp1252 leaves undefined would become C1 controls: not Western text.
            raise UnreadableInput(_CANNOT_DECODE) from None
    if _long_run_share(text) > _MAX_LONG_RUN_SHARE:
        raise UnreadableInput(_CANNOT_DECODE)
    return text, codec


def _long_run_share(text: str) -> float:
    """Share of non-ASCII characters that sit in runs of at least ``_LONG_RUN`` of them."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if not non_ascii:
        return 0.0
    in_runs = sum(len(run) for run in _NON_ASCII_RUN.findall(text))
    return in_runs / non_ascii


def _check_looks_like_text(text: str) -> None:
    """Raise when decoded text is blank or full of control characters."""
    if not text.strip():
        raise UnreadableInput("empty file" if not text else "empty file (only whitespace)")
    controls = sum(1 for _ in _CONTROL_CHARS.finditer(text))
    if controls / len(text) > _MAX_CONTROL_RATIO:
        raise UnreadableInput("binary file, not text")


def title_from_text(text: str, *, markdown: bool = False) -> str:
    """Pick a title: the first non-empty line, trimmed and cut to about 200 characters.

    Args:
        text: Decoded text.
        markdown: Strip a heading's leading "#" marks and skip YAML front matter
            (using its "title:" field when present).

    Returns:
        The title, or "" when the text has no non-blank line.
    """
    lines = text[:_TITLE_SCAN_CHARS].splitlines()
    if markdown:
        lines, front_title = _skip_front_matter(lines)
        if front_title:
            return shorten_title(front_title)
    for line in lines:
        candidate = line.strip()
        if markdown:
            heading = _ATX_HEADING.match(candidate)
            candidate = heading.group(1) if heading else candidate
        if candidate:
            return shorten_title(candidate)
    return ""


def shorten_title(title: str, limit: int = MAX_TITLE_CHARS) -> str:
    """Collapse whitespace and cut a title at a word boundary, ending with an ellipsis.

    Args:
        title: Raw title text.
        limit: Maximum length of the result.

    Returns:
        The shortened title.
    """
    title = " ".join(title[: limit * 4].split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


def _skip_front_matter(lines: list[str]) -> tuple[list[str], str]:
    """Drop a leading YAML front matter block; return the rest and its "title:" value."""
    if not lines or lines[0].strip() != "---":
        return lines, ""
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            title = ""
            for line in lines[1:index]:
                key, _, value = line.partition(":")
                if key.strip().lower() == "title":
                    title = value.strip().strip("'\"")
            return lines[index + 1 :], title
    return lines, ""


def read_text(data: bytes, name: str | None = None, *, markdown: bool = False) -> ImportedDocument:
    """Read a plain-text or Markdown document from raw bytes.

    The text is decoded (see ``decode_text``), a leading BOM dropped and line endings normalized
    to LF; nothing else is altered. SHA-256 and the original bytes are added by ``readers``.

    Args:
        data: Raw bytes of the file or stdin.
        name: File name used as the title when the text has no usable first line.
        markdown: Treat the input as Markdown (title from the first heading line).

    Returns:
        The document with ``encoding`` set to the detected codec.

    Raises:
        UnreadableInput: Empty, whitespace-only, binary or undecodable input.
    """
    decoded, encoding = decode_text(data)
    text = normalize_newlines(decoded)
    title = title_from_text(text, markdown=markdown) or (name or "Untitled")
    return ImportedDocument(
        title=title,
        text=text,
        original_name=name,
        encoding=encoding,
        source_format="markdown" if markdown else "text",
    )
