"""Tests for reading .eml messages."""

from __future__ import annotations

import datetime
from email.message import EmailMessage

import pytest

from desktop.io.documents import UnreadableInput
from desktop.io.email import read_email


def _message(subject: str = "Meeting in Kellby") -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "Jane Roe <jane@example.org>"
    message["To"] = "desk@example.org"
    message["Date"] = "Tue, 05 Mar 2024 10:15:00 +0100"
    return message


def test_read_email_plain_body_and_headers() -> None:
    message = _message()
    message.set_content("Anna Berg will travel to Kellby on Friday.\r\nBring the maps.\n")
    document = read_email(message.as_bytes(), "meeting.eml")
    assert document.title == "Meeting in Kellby"
    assert document.author == "Jane Roe <jane@example.org>"
    assert document.published == datetime.date(2024, 3, 5)
    assert document.text == "Anna Berg will travel to Kellby on Friday.\nBring the maps."
    assert document.source_format == "email"


def test_read_email_prefers_plain_over_html_alternative() -> None:
    message = _message()
    message.set_content("Plain version of the report.")
    message.add_alternative("<p>HTML version of the report.</p>", subtype="html")
    assert read_email(message.as_bytes()).text == "Plain version of the report."


def test_read_email_html_only_body_is_flattened() -> None:
    message = _message()
    message.set_content(
        "<html><body><p>Short <b>note</b> from the field.</p></body></html>", subtype="html"
    )
    assert read_email(message.as_bytes()).text == "Short note from the field."


def test_read_email_text_attachment_appended_with_header() -> None:
    message = _message()
    message.set_content("See the attached list.")
    message.add_attachment(
        b"Kellby\nRiverton\n", maintype="text", subtype="plain", filename="places.txt"
    )
    message.add_attachment(
        b"\x89PNG\r\n\x1a\n....", maintype="image", subtype="png", filename="map.png"
    )
    text = read_email(message.as_bytes()).text
    assert text == "See the attached list.\n\n--- Attachment: places.txt ---\nKellby\nRiverton"


def test_read_email_non_utf8_charset_is_decoded() -> None:
    message = _message(subject="Grüße aus Köln")
    message.set_content("Grüße, 5 €", charset="iso-8859-15")
    document = read_email(message.as_bytes())
    assert document.title == "Grüße aus Köln"
    assert document.text == "Grüße, 5 €"


def test_read_email_bad_date_is_ignored() -> None:
    message = _message()
    del message["Date"]
    message["Date"] = "sometime last week"
    message.set_content("Body.")
    assert read_email(message.as_bytes()).published is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"just some words\nwithout headers\n", "not an e-mail message (no headers found)"),
        (b"Subject: Empty\r\nFrom: a@example.org\r\n\r\n   \r\n", "e-mail has no text body"),
        (b"Subject: x\x00\x01\x02", "binary file, not text"),
    ],
)
def test_read_email_bad_input_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableInput) as caught:
        read_email(data)
    assert str(caught.value) == reason


def test_read_email_html_article_goes_through_html_reader(article_html: str) -> None:
    message = _message()
    message.set_content(article_html, subtype="html")
    text = read_email(message.as_bytes()).text
    assert "More than 300 residents were evacuated" in text
    assert "All rights reserved" not in text


def test_read_email_forwarded_message_is_appended() -> None:
    inner = _message(subject="Original report")
    inner.set_content("Convoy seen near Kellby.")
    message = _message(subject="Fwd: Original report")
    message.set_content("Forwarding this.")
    message.add_attachment(inner)
    text = read_email(message.as_bytes()).text
    assert (
        text
        == "Forwarding this.\n\n--- Attached message: Original report ---\nConvoy seen near Kellby."
    )
