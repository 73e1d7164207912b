"""Read HTML pages (main article text via trafilatura) and HTML pasted from the clipboard."""

from __future__ import annotations

import re
from datetime import date

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.settings import Document as TrafilaturaDocument

from desktop.io.documents import ImportedDocument, UnreadableInput
from desktop.io.text import decode_text, normalize_newlines, shorten_title, title_from_text

# A page's own address (https://…) is kept as its source; nothing is ever fetched from it.
_WEB_SCHEMES = ("http://", "https://")  # e.g. https://… as written in the page

NO_ARTICLE = "no article text found in the HTML page"
# Fewer words than this is a menu or a cookie banner, not an article.
MIN_ARTICLE_WORDS = 3
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_DROP_TAGS = ("script", "style", "noscript", "template", "head", "svg")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table tr ul".split()
)
_CELL_TAGS = frozenset({"td", "th"})
_CF_HTML_FIELD = re.compile(r"^([A-Za-z]+):(.*)$")
_NEWLINE_RUNS = re.compile(r"\n{2,}")
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)


def read_html(data: bytes, name: str | None = None, *, url: str | None = None) -> ImportedDocument:
    """Read the main article of an HTML page.

    Args:
        data: The page's bytes (the charset is detected from BOM, meta tag or content).
        name: File name, the title of last resort.
        url: Where the page was fetched from, if the caller knows; otherwise taken from the
            page's canonical link or og:url.

    Returns:
        The document with title, author, date and URL from the page's metadata where present.

    Raises:
        UnreadableInput: Undecodable bytes, or no article text in the page.
    """
    markup = _decode_markup(data)
    extracted = _extract(markup, url)
    if extracted is None:
        raise UnreadableInput(NO_ARTICLE)
    body = normalize_newlines(extracted.text or "").strip()
    if len(body.split()) < MIN_ARTICLE_WORDS:
        raise UnreadableInput(NO_ARTICLE)
    title = extracted.title or title_from_text(body) or name or "Untitled"
    return ImportedDocument(
        title=shorten_title(title),
        text=body,
        source_url=url or _web_address(extracted.url) or find_page_url(markup),
        author=extracted.author or None,
        published=parse_iso_date(extracted.date),
        original_name=name,
        source_format="html",
    )


def _decode_markup(data: bytes) -> str:
    """Decode page bytes, honouring a declared charset before our own detection."""
    declared = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", data[:4096], re.I)
    if declared and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass  # A wrong declaration is common; fall back to detection.
    return decode_text(data)[0]


def _extract(markup: str, url: str | None) -> TrafilaturaDocument | None:
    """Run trafilatura, turning parser failures into "no article"."""
    try:
        result = trafilatura.bare_extraction(
            markup,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except (ValueError, TypeError, lxml.etree.LxmlError) as error:
        raise UnreadableInput(NO_ARTICLE) from error
    return result if isinstance(result, TrafilaturaDocument) else None


def parse_iso_date(value: str | None) -> date | None:
    """Parse the "YYYY-MM-DD" start of a date string, or return None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def find_page_url(markup: str) -> str | None:
    """Find a page's own address: canonical link, og:url, "saved from" mark, then base href.

    Browsers that save a page as HTML write a ``<!-- saved from url=(NNNN)... -->`` comment
    recording where it came from.

    Args:
        markup: HTML text (a whole page or a fragment).

    Returns:
        The first absolute http(s) address found, or None.
    """
    root = _parse(markup)
    if root is None:
        return None
    candidates = (
        root.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href")
        + root.xpath("//meta[@property='og:url' or @name='og:url']/@content")
        + _SAVED_FROM.findall(markup[:4096])
        + root.xpath("//base/@href")
    )
    return next((found for c in candidates if (found := _web_address(str(c)))), None)


def _web_address(value: str | None) -> str | None:
    """The value stripped if it is an absolute http(s) address, else None."""
    value = (value or "").strip()
    return value if value.lower().startswith(_WEB_SCHEMES) else None


def read_clipboard_html(html: str, text_fallback: str | None) -> ImportedDocument:
    """Make a document from HTML copied in a browser, keeping everything the analyst selected.

    The selection is kept whole (no boilerplate removal): the browser's own plain-text version
    is preferred when given, else the HTML is flattened to text. The source address comes from
    the Windows CF_HTML "SourceURL:" header, else a canonical link, og:url or base href.

    Args:
        html: Clipboard HTML, with or without a CF_HTML header.
        text_fallback: The clipboard's plain-text version, if any.

    Returns:
        The document with ``source_format`` "clipboard-html".

    Raises:
        UnreadableInput: The clipboard holds no text.
    """
    header, markup = split_cf_html(html or "")
    text = normalize_newlines(text_fallback or "").strip() or html_to_text(markup)
    if not text.strip():
        raise UnreadableInput("the clipboard holds no text")
    # "about:blank" and local file addresses are not a source worth citing.
    source_url = _web_address(header.get("sourceurl")) or find_page_url(markup)
    title = _fragment_title(markup) or title_from_text(text) or "Pasted text"
    return ImportedDocument(
        title=shorten_title(title),
        text=text,
        source_url=source_url,
        source_format="clipboard-html",
    )


def split_cf_html(payload: str) -> tuple[dict[str, str], str]:
    """Split a Windows CF_HTML payload into its header fields and the HTML.

    Args:
        payload: Clipboard HTML; plain HTML (as Qt gives on Linux) has no header.

    Returns:
        Header fields keyed in lower case ("version", "sourceurl", ...) and the HTML part.
    """
    fields: dict[str, str] = {}
    if not payload.startswith("Version:"):
        return fields, payload
    lines = payload.splitlines(keepends=True)
    consumed = 0
    for line in lines:
        match = _CF_HTML_FIELD.match(line.strip())
        if not match or line.lstrip().startswith("<"):
            break
        fields[match.group(1).lower()] = match.group(2).strip()
        consumed += len(line)
    return fields, payload[consumed:]


def _fragment_title(markup: str) -> str:
    """A title declared in copied HTML (title tag or og:title), if the browser kept one."""
    root = _parse(markup)
    if root is None:
        return ""
    titles = root.xpath("//title/text()") + root.xpath("//meta[@property='og:title']/@content")
    return next((" ".join(str(t).split()) for t in titles if str(t).strip()), "")


def _parse(markup: str) -> lxml.html.HtmlElement | None:
    """Parse HTML leniently; None when there is nothing to parse."""
    if not markup.strip():
        return None
    try:
        return lxml.html.fromstring(markup)
    except (lxml.etree.ParserError, ValueError):
        return None


def html_to_text(markup: str) -> str:
    """Flatten HTML to text: one line per block element, cells separated by tabs.

    Args:
        markup: An HTML page or fragment.

    Returns:
        The visible text with collapsed spaces and no blank lines, like the HTML reader's.
    """
    root = _parse(markup)
    if root is None:
        return ""
    for element in [e for e in root.iter(*_DROP_TAGS) if e is not root]:
        element.drop_tree()
    for element in root.iter(lxml.etree.Element):
        _mark_layout(element)
    lines = [re.sub(r" {2,}", " ", line).strip(" \t") for line in root.text_content().split("\n")]
    text = "\n".join(lines)
    return _NEWLINE_RUNS.sub("\n", text).strip()


def _mark_layout(element: lxml.html.HtmlElement) -> None:
    """Collapse source whitespace and add the line breaks a browser would render."""
    in_pre = any(parent.tag == "pre" for parent in element.iterancestors()) or element.tag == "pre"
    if not in_pre:
        element.text = re.sub(r"\s+", " ", element.text) if element.text else element.text
    tail_in_pre = any(parent.tag == "pre" for parent in element.iterancestors())
    if element.tail and not tail_in_pre:
        element.tail = re.sub(r"\s+", " ", element.tail)
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "br":
        element.tail = "\n" + (element.tail or "")
    elif tag in _BLOCK_TAGS:
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    elif tag in _CELL_TAGS:
        element.tail = "\t" + (element.tail or "")
