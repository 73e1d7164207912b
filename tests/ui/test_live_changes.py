"""A shared case: what another analyst saves reaches the open window's workspace by itself."""

from __future__ import annotations

from desktop.services import review
from desktop.services.analysis import AnalyzerProvider
from desktop.services.case import open_case
from desktop.ui.tasks import TaskRunner
from desktop.ui.workspace import Workspace
from tests.factories import seed_article


def test_a_decision_by_another_analyst_is_broadcast_to_the_panels(qtbot, pg_url, settings):
    mine, theirs = open_case(pg_url, actor="anna"), open_case(pg_url, actor="ben")
    ids = seed_article(theirs)
    tasks = TaskRunner()
    workspace = Workspace(mine, settings, tasks, AnalyzerProvider())
    qtbot.wait(800)  # the listener's connection is in LISTEN mode
    try:
        with qtbot.waitSignal(workspace.changed, timeout=10000,
                              check_params_cb=lambda c: ids["Kiew"] in c.mentions) as blocker:
            review.accept(theirs, ids["Kiew"])
        assert ids["document"] in blocker.args[0].documents
    finally:
        assert tasks.shutdown(10000)
        mine.close()
        theirs.close()


def test_the_analyst_name_from_the_preferences_signs_the_audit_log(qtbot, case_path, settings):
    from db.models import AuditEntry
    from desktop.app import build_main_window

    settings.analyst_name = "  Anna Berger "
    window = build_main_window(case_path, settings, inline_tasks=True, with_map=False)
    qtbot.addWidget(window)
    case = window.workspace.case
    ids = seed_article(case)
    review.accept(case, ids["Kiew"])
    with case.reading() as session:
        assert session.query(AuditEntry.actor).all() == [("Anna Berger",)]
