"""Changes made by other analysts in a shared case, as events for the open windows."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from db.changes import notifications
from desktop.dto import CaseChange
from desktop.services.case import Case


def watch(case: Case, stop: Callable[[], bool], *, poll: float = 1.0) -> Iterator[CaseChange]:
    """Yield each change committed to the case by anyone, until ``stop()`` returns True.

    On a server, a connection of its own listens for the notifications the database's triggers
    send after every committed change. A case file has one analyst: nothing is yielded and the
    generator ends at once. Run it in a worker thread; it blocks up to ``poll`` seconds.
    """
    for payload in notifications(case.engine, stop, poll=poll):
        yield CaseChange(
            table=str(payload.get("table", "")),
            op=str(payload.get("op", "")),
            ids=tuple(int(i) for i in payload.get("ids") or ()),
            document_ids=tuple(int(i) for i in payload.get("documents") or ()),
        )
