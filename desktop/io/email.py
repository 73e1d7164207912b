"""Read .eml messages: subject, sender, date, body and text attachments."""

from __future__ import annotations

from datetime import date
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from typing import cast

from desktop.io.documents import ImportedDocument, UnreadableInput
from desktop.io.html import html_to_text, read_html
from desktop.io.text import decode_text, normalize_newlines, shorten_title, title_from_text

_IDENTIFYING_HEADERS = ("From", "To", "Subject", "Date", "Message-ID")
TOO_DEEP = "e-mail too deeply nested to read (parts or attached messages inside each other)"
_TEXT_ATTACHMENT_SUFFIXES = (".txt", ".md", ".csv", ".log", ".text")


def read_email(data: bytes, name: str | None = None) -> ImportedDocument:
    """Read an RFC 5322 message (.eml).

    The text/plain body is preferred; an HTML-only body goes through the HTML reader (or is
    flattened when it has no article-like text). Text attachments are appended, each after a
    line "--- Attachment: <name> ---".

    Args:
        data: The message's bytes.
        name: File name, the title of last resort.

    Returns:
        The document: Subject as title, From as author, Date as published.

    Raises:
        UnreadableInput: Not an e-mail message, or a message without any text.
    """
    if not data.strip():
        raise UnreadableInput("empty file")
    if b"\x00" in data[:8192]:
        raise UnreadableInput("binary file, not text")
    try:
        message = cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(data))
        if not any(message[header] for header in _IDENTIFYING_HEADERS):
            raise UnreadableInput("not an e-mail message (no headers found)")
        parts = [_body_text(message)] + _attachment_texts(message)
    except RecursionError:
        raise UnreadableInput(TOO_DEEP) from None
    text = normalize_newlines("\n\n".join(part.strip() for part in parts if part.strip()))
    if not text:
        raise UnreadableInput("e-mail has no text body")
    subject = _header(message, "Subject")
    return ImportedDocument(
        title=shorten_title(subject or title_from_text(text) or name or "Untitled"),
        text=text,
        author=_header(message, "From") or None,
        published=_sent_date(message),
        original_name=name,
        source_format="email",
    )


def _header(message: EmailMessage, name: str) -> str:
    """A decoded header value with whitespace collapsed; "" when missing or unparsable."""
    try:
        value = message[name]
    except (ValueError, IndexError, TypeError):
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _sent_date(message: EmailMessage) -> date | None:
    """The Date header as a date, or None when absent or malformed."""
    try:
        header = message["Date"]
        moment = getattr(header, "datetime", None)
    except (ValueError, IndexError, TypeError):
        return None
    return moment.date() if moment is not None else None


def _body_text(message: EmailMessage) -> str:
    """The plain-text body, else the HTML body as text, else ""."""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    content = _part_text(body)
    if body.get_content_subtype() != "html":
        return content
    try:
        return read_html(content.encode("utf-8")).text
    except UnreadableInput:
        return html_to_text(content)  # short mails are not "articles"; keep what is there


def _attachment_texts(message: EmailMessage) -> list[str]:
    """Text attachments, each preceded by a header line naming it."""
    texts: list[str] = []
    for part in message.iter_attachments():
        if part.get_content_type() == "message/rfc822":
            texts.append(_forwarded_text(part))
            continue
        filename = part.get_filename() or ""
        is_text = part.get_content_maintype() == "text" or filename.lower().endswith(
            _TEXT_ATTACHMENT_SUFFIXES
        )
        if not is_text or part.is_multipart():
            continue
        content = _part_text(part)
        if part.get_content_subtype() == "html":
            content = html_to_text(content)
        if content.strip():
            texts.append(f"--- Attachment: {filename or 'unnamed'} ---\n{content.strip()}")
    return texts


def _forwarded_text(part: EmailMessage) -> str:
    """An attached (forwarded) message: its subject as the header line, then its body."""
    inner = part.get_content()
    if not isinstance(inner, EmailMessage):
        return ""
    body = _body_text(inner).strip()
    if not body:
        return ""
    return f"--- Attached message: {_header(inner, 'Subject') or 'no subject'} ---\n{body}"


def _part_text(part: Message) -> str:
    """Decode one MIME part to text, tolerating a wrong or missing charset."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # A mislabelled charset is common; detect instead.
    try:
        return decode_text(payload)[0]
    except UnreadableInput:
        return ""
