"""Optimistic checks of what the analyst saw: a row whose version moved is a ConflictError."""

from __future__ import annotations

from collections.abc import Mapping

from db.models import Mention
from db.review_queries import snapshot
from desktop.dto import Changes, MentionChange, MentionSnapshot
from desktop.services.case import ConflictError

Versions = Mapping[int, int]


def mention_changes(mention: Mention) -> Changes:
    """What the panels showing a mention must read again."""
    state = snapshot(mention)
    return MentionChange("conflict", (state,), (state,)).changes


def gone_mention(mention_id: int) -> ConflictError:
    """The error for a mention another analyst deleted (joined, split away) after it was seen."""
    return ConflictError("another analyst removed this mention meanwhile; nothing was saved",
                         None, Changes(mentions=frozenset({mention_id}), any_document=True))


def _changed_meanwhile(mention: Mention) -> ConflictError:
    flag = ", flagged" if mention.flagged else ""
    return ConflictError(f'another analyst changed "{mention.text}" meanwhile (now '
                         f"{mention.status}, {mention.label}{flag}); nothing was saved",
                         snapshot(mention), mention_changes(mention))


def check_mention(mention: Mention, version: int | None) -> None:
    """Refuse a mention whose stored version is not ``version`` (None: not checked).

    Raises:
        ConflictError: With the mention's current state and what to show again.
    """
    if version is not None and mention.version != version:
        raise _changed_meanwhile(mention)


def check_state(mention: Mention, state: MentionSnapshot) -> None:
    """Refuse a mention whose stored fields are no longer ``state`` (an undo's starting point).

    Raises:
        ConflictError: With the mention's current state and what to show again.
    """
    if snapshot(mention) != state:
        raise _changed_meanwhile(mention)


def check_mentions(mentions: list[Mention], versions: Versions | None) -> None:
    """Check each mention against the version the analyst saw of it (when given)."""
    for mention in mentions:
        check_mention(mention, (versions or {}).get(mention.id))


def entity_changes(entity_id: int) -> Changes:
    """What the panels showing an entity must read again (its name is in mention rows)."""
    return Changes(entities=frozenset({entity_id}), places=True, any_document=True)
