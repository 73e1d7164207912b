"""Review actions on mentions: each is one transaction with one audit entry, and can be undone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, object_session

from db import review_queries
from db.models import Document, Entity, Mention
from db.review_queries import snapshot
from desktop.dto import AuditAction as Act
from desktop.dto import (
    Label,
    MentionChange,
    MentionSnapshot,
    MentionStatus,
)
from desktop.nlp.canonical import canonical_name
from desktop.services import attachments, audit, review_queue
from desktop.services.case import Case, ConflictError
from desktop.services.conflicts import Versions, check_mention, check_state, gone_mention
from desktop.services.entity_linking import EntityLinker, LinkRequest

LABELS = tuple(Label)
STATUSES = tuple(MentionStatus)
# Text allowed between two mentions that are joined ("Frank-Walter" + "Steinmeier").
_JOIN_GAP = frozenset(" \t-‐–")


class ReviewError(ValueError):
    """An action that cannot be done; the message says why in the analyst's words."""


def _get(session: Session, mention_id: int, version: int | None = None) -> Mention:
    """Return a mention; with ``version`` (as the analyst saw it) check it is still that one."""
    mention = session.get(Mention, mention_id)
    if mention is None:
        if version is not None:
            raise gone_mention(mention_id)
        raise ReviewError(f"mention {mention_id} no longer exists")
    check_mention(mention, version)
    return mention


def _record(session: Session, case: Case, change: MentionChange, target_id: int | None,
            **moves: list[dict[str, Any]]) -> MentionChange:
    """Audit a change: a single mention's states flat, several as a list (with their document).

    ``moves`` (``moved``, ``moved_back``) record notes and tags that went to another mention.
    """
    _drop_emptied_entities(session, change)
    after = _states(change.after)
    if any(moves.values()):
        after = {**(after or {}), **{key: value for key, value in moves.items() if value}}
    audit.record(session, case.actor, change.action, "mention", target_id,
                 before=_states(change.before), after=after)
    return change


def _drop_emptied_entities(session: Session, change: MentionChange) -> None:
    """Delete the entities whose last mention this change deleted (an undone added mention).

    Kept when the analyst gave them work of their own: a note, a tag, a relation, a merge or a
    false-positive mark. A relabel keeps the entity, so relabelling back finds it again.
    """
    kept = {s.id for s in change.after}
    ids = {s.entity_id for s in change.before if s.id not in kept and s.entity_id is not None}
    if not ids:
        return
    session.flush()
    unused = review_queries.unused_entities(session, ids)
    if unused:
        session.execute(delete(Entity).where(Entity.id.in_(unused),
                                             Entity.false_positive.is_(False)))


def _edit(
    case: Case, action: str, mention_id: int, edit: Callable[[Mention], None],
    version: int | None = None,
) -> MentionChange:
    """Run one edit on one mention in one audited transaction.

    Raises:
        ConflictError: ``version`` (what the analyst saw) is not the stored one, or another
            analyst saved the mention while this edit ran; ``current`` is its state now.
    """
    try:
        with case.transaction() as session:
            mention = _get(session, mention_id, version)
            before = snapshot(mention)
            edit(mention)
            session.flush()
            change = MentionChange(action, (before,), (snapshot(mention),))
            return _record(session, case, change, mention_id)
    except ConflictError as exc:
        if exc.current is None:  # another analyst saved it while this edit ran
            current = next(iter(review_queue.mention_states(case, [mention_id])), None)
            exc.current = current
            if current is not None:
                exc.changes = MentionChange("conflict", (current,), ()).changes
        raise


def _link(session: Session, mention: Mention, linker: EntityLinker | None = None) -> None:
    """Attach a mention to the case entity of its label and name (the import's linking).

    A LOC mention joins the LOC entity of that name, and so its place; dates and quantities
    have no entity.
    """
    language = mention.document.language or "und"
    name = canonical_name(mention.text, mention.label, language)
    own = linker or EntityLinker(session)
    entity = own.link(LinkRequest(mention.label, name))
    mention.entity_id = entity.id if entity is not None else None
    if linker is None:
        own.finish()


def _set_status(status: str) -> Callable[[Mention], None]:
    def edit(mention: Mention) -> None:
        mention.status = status

    return edit


def accept(case: Case, mention_id: int, *, version: int | None = None) -> MentionChange:
    """Accept a suggested (or rejected) mention; ``version``: as the analyst saw it."""
    return _edit(case, Act.MENTION_ACCEPT, mention_id, _set_status("accepted"), version)


def reject(case: Case, mention_id: int, *, version: int | None = None) -> MentionChange:
    """Reject a mention (it stays stored, struck out, for the record)."""
    return _edit(case, Act.MENTION_REJECT, mention_id, _set_status("rejected"), version)


def reset(case: Case, mention_id: int, *, version: int | None = None) -> MentionChange:
    """Put a mention back to suggested."""
    return _edit(case, Act.MENTION_RESET, mention_id, _set_status("suggested"), version)


def _check_label(label: str) -> None:
    if label not in LABELS:
        raise ReviewError(f"unknown label {label!r}; use one of {', '.join(LABELS)}")


def relabel(case: Case, mention_id: int, label: str, *,
            version: int | None = None) -> MentionChange:
    """Give a mention another label (the status is kept) and the entity of that label."""
    _check_label(label)

    def edit(mention: Mention) -> None:
        mention.label = label
        session = object_session(mention)
        assert session is not None  # _edit hands over a mention of its own session
        _link(session, mention)

    return _edit(case, Act.MENTION_RELABEL, mention_id, edit, version)


def set_flagged(case: Case, mention_id: int, flagged: bool, *,
                version: int | None = None) -> MentionChange:
    """Flag a mention for a second look, or clear the flag."""

    def edit(mention: Mention) -> None:
        mention.flagged = flagged

    return _edit(case, Act.MENTION_FLAG if flagged else Act.MENTION_UNFLAG, mention_id, edit,
                 version)


def toggle_flag(case: Case, mention_id: int) -> MentionChange:
    """Flag an unflagged mention, unflag a flagged one."""
    with case.reading() as session:
        flagged = _get(session, mention_id).flagged
    return set_flagged(case, mention_id, not flagged)


def _checked_span(text: str, start: int, end: int) -> str:
    if not 0 <= start < end <= len(text):
        raise ReviewError(f"span {start}-{end} is outside the document (0-{len(text)})")
    span = text[start:end]
    if not span.strip():
        raise ReviewError("a mention cannot be only white space")
    return span


def adjust_span(case: Case, mention_id: int, start: int, end: int, *,
                version: int | None = None) -> MentionChange:
    """Move a mention's boundaries; its text is sliced again from the stored document text."""

    def edit(mention: Mention) -> None:
        mention.text = _checked_span(mention.document.text, start, end)
        mention.start, mention.end = start, end

    return _edit(case, Act.MENTION_ADJUST_SPAN, mention_id, edit, version)


def add_mention(case: Case, document_id: int, start: int, end: int, label: str) -> MentionChange:
    """Add an analyst's mention from a text selection (accepted at once).

    When the span already has a mention with this label, that one is accepted instead of a
    second identical one being added; when it is accepted already, ReviewError says so.
    """
    _check_label(label)
    with case.transaction() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise ReviewError(f"document {document_id} no longer exists")
        span = _checked_span(document.text, start, end)
        same = session.scalars(select(Mention).where(
            Mention.document_id == document_id, Mention.start == start, Mention.end == end,
            Mention.label == label).order_by((Mention.status == "accepted").desc())).first()
        if same is not None:
            if same.status == "accepted":
                raise ReviewError(f"\"{span}\" is already marked as {label} here")
            before = snapshot(same)
            same.status = "accepted"
            if same.entity_id is None:
                _link(session, same)
            session.flush()
            change = MentionChange(Act.MENTION_ACCEPT, (before,), (snapshot(same),))
            return _record(session, case, change, same.id)
        mention = Mention(
            document_id=document_id, start=start, end=end, label=label, status="accepted",
            origin="analyst", text=span, flagged=False,
        )
        session.add(mention)
        session.flush()
        _link(session, mention)  # an added mention is a case entity like any other
        session.flush()
        change = MentionChange(Act.MENTION_ADD, (), (snapshot(mention),))
        return _record(session, case, change, mention.id)


def delete_mention(case: Case, mention_id: int) -> MentionChange:
    """Delete a mention the analyst added (extracted ones are rejected instead, for the record)."""
    with case.transaction() as session:
        mention = _get(session, mention_id)
        if mention.origin != "analyst":
            raise ReviewError("only mentions added by an analyst can be deleted; reject it instead")
        change = MentionChange(Act.MENTION_DELETE, (snapshot(mention),), ())
        session.delete(mention)
        return _record(session, case, change, mention_id)


def split_mention(case: Case, mention_id: int, offset: int, *,
                  version: int | None = None) -> MentionChange:
    """Split a mention in two at a document offset; white space at the cut is dropped."""
    with case.transaction() as session:
        mention = _get(session, mention_id, version)
        before = snapshot(mention)
        text = mention.document.text
        left_end, right_start = offset, offset
        while left_end > mention.start and text[left_end - 1].isspace():
            left_end -= 1
        while right_start < mention.end and text[right_start].isspace():
            right_start += 1
        if not (mention.start < left_end and right_start < mention.end):
            raise ReviewError("split inside the mention, so that both parts keep some text")
        mention.end, mention.text = left_end, text[mention.start:left_end]
        right = Mention(
            document_id=mention.document_id, entity_id=mention.entity_id, start=right_start,
            end=before.end, text=text[right_start:before.end], label=mention.label,
            status=mention.status, origin="analyst", flagged=mention.flagged,
        )
        session.add(right)
        session.flush()
        change = MentionChange(Act.MENTION_SPLIT, (before,), (snapshot(mention), snapshot(right)))
        return _record(session, case, change, mention_id)


def join_mentions(case: Case, first_id: int, second_id: int, *,
                  versions: Versions | None = None) -> MentionChange:
    """Join two adjacent mentions of a document into the first; the joined mention is accepted.

    The second one's notes and tags move to the joined mention (undo moves them back).
    ``versions``: mention id -> version as the analyst saw it.
    """
    seen = versions or {}
    with case.transaction() as session:
        first = _get(session, first_id, seen.get(first_id))
        second = _get(session, second_id, seen.get(second_id))
        if second.start < first.start:
            first, second = second, first
        gap = first.document.text[first.end:second.start]
        if first.document_id != second.document_id or first.end > second.start or (
            set(gap) - _JOIN_GAP
        ):
            raise ReviewError("only adjacent mentions of the same document can be joined")
        before = (snapshot(first), snapshot(second))
        first.end = second.end
        first.text = first.document.text[first.start:first.end]
        first.status = "accepted"
        first.flagged = first.flagged or second.flagged
        moved = attachments.move_attachments(session, second.id, first.id)
        session.delete(second)
        session.flush()
        change = MentionChange(Act.MENTION_JOIN, before, (snapshot(first),))
        return _record(session, case, change, first.id, moved=moved)


def apply_to_identical(
    case: Case, mention_id: int, action: str, label: str | None = None, *,
    version: int | None = None,
) -> MentionChange:
    """Accept, reject or relabel this mention and every still-suggested one with its text and label.

    Mentions the analyst already decided on elsewhere are left alone. Returns the change;
    ``change.changed_ids`` are the mentions that really changed. ``version`` is this
    mention's as the analyst saw it.
    """
    if action not in ("accept", "reject", "relabel"):
        raise ReviewError(f"cannot apply {action!r} to identical mentions")
    if action == "relabel":
        _check_label(label or "")
    with case.transaction() as session:
        model = _get(session, mention_id, version)
        befores, changed = [], []
        linker = EntityLinker(session)
        for mention in review_queries.identical_mentions(session, model.text, model.label,
                                                          mention_id):
            before = snapshot(mention)
            if action == "relabel":
                mention.label = str(label)
                _link(session, mention, linker)
            else:
                mention.status = "accepted" if action == "accept" else "rejected"
            if snapshot(mention) != before:
                befores.append(before)
                changed.append(mention)
        linker.finish()
        session.flush()  # the versions move: the after-states carry the new ones
        afters = tuple(snapshot(mention) for mention in changed)
        change = MentionChange(f"mention.{action}_identical", tuple(befores), afters)
        return _record(session, case, change, mention_id)


# -- undo and redo -------------------------------------------------------------------------------
def _check_current(session: Session, current: Sequence[MentionSnapshot]) -> None:
    """Refuse to replay over mentions someone changed since the action (or its replay) saved them.

    The stored fields are compared, not the versions: this window's own later actions on the
    same mentions were undone first and left the fields as they were.
    """
    for state in current:
        mention = session.get(Mention, state.id)
        if mention is None:
            raise gone_mention(state.id)
        check_state(mention, state)


def _restore(session: Session, current: Sequence[MentionSnapshot],
             target: Sequence[MentionSnapshot]) -> tuple[list[dict[str, Any]], set[int]]:
    """Make the stored mentions look like ``target``; delete those only in ``current``.

    A deleted mention's notes and tags go to a kept mention over its text (undo of a split,
    redo of a join). Returns those moves and the ids of the mentions that were re-created.

    Raises:
        ConflictError: A mention in ``current`` is no longer as the action left it.
    """
    _check_current(session, current)
    wanted, kept = {s.id for s in target}, {s.id for s in current}
    moves = []
    for gone in (s for s in current if s.id not in wanted):
        mention = session.get(Mention, gone.id)
        if mention is None:
            continue
        heir = next((s.id for s in target if s.id in kept and s.document_id == gone.document_id
                     and s.start < gone.end and gone.start < s.end), None)
        if heir is not None:
            moves += attachments.move_attachments(session, gone.id, heir)
        session.delete(mention)
    session.flush()  # frees offsets and ids before the target state comes back
    created = set()
    for state in target:
        # An entity this mention emptied was deleted meanwhile: the mention is linked anew.
        relink = state.entity_id is not None and session.get(Entity, state.entity_id) is None
        mention = session.get(Mention, state.id)
        if mention is None:
            mention = Mention(id=state.id)
            session.add(mention)
            created.add(state.id)
        for key, value in state.as_dict().items():
            setattr(mention, key, None if relink and key == "entity_id" else value)
        if relink:
            session.flush()
            _link(session, mention)
    session.flush()
    return moves, created


def _replay(case: Case, change: MentionChange, verb: str) -> MentionChange:
    current, target = (change.after, change.before) if verb == "undo" else (
        change.before, change.after)
    states = change.before or change.after
    first = states[0].id if states else None
    with case.transaction() as session:
        moved, created = _restore(session, current, target)
        moved_back = []
        if created and first is not None:  # notes and tags moved off them come back
            actions = [f"{prefix}{change.action}" for prefix in ("", "undo:", "redo:")]
            for move in review_queries.recorded_moves(session, first, actions):
                if move["from"] in created:
                    created.discard(move["from"])
                    attachments.move_back(session, move)
                    moved_back.append(move)
        session.flush()
        replayed = MentionChange(f"{verb}:{change.action}", tuple(current), tuple(target))
        return _record(session, case, replayed, first, moved=moved, moved_back=moved_back)


def _states(states: Sequence[MentionSnapshot]) -> dict[str, Any] | None:
    """Return audit data: one state flat; several as a list, with their common document."""
    if len(states) == 1:
        return states[0].as_dict()
    if not states:
        return None
    data: dict[str, Any] = {"mentions": [s.as_dict() for s in states]}
    for key in ("document_id", "entity_id"):
        values = {getattr(s, key) for s in states}
        if len(values) == 1:
            data[key] = values.pop()
    return data


def restore_mentions(case: Case, change: MentionChange) -> MentionChange:
    """Undo a review action: put its mentions back as they were before (audited as undo)."""
    return _replay(case, change, "undo")


def reapply_mentions(case: Case, change: MentionChange) -> MentionChange:
    """Redo a review action that was undone (audited as redo)."""
    return _replay(case, change, "redo")
