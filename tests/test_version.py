"""The version in pyproject.toml is what the About dialog, the audit log and case files carry."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from sqlalchemy import select

from db.models import AuditEntry
from desktop.services.import_documents import Importer, pasted_document
from desktop.services.steps import run_to_end
from desktop.ui.dialogs.about import about_html

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_about_dialog_and_audit_log_carry_the_project_version(case):
    assert f"Casedesk {VERSION}" in re.sub(r"<[^>]+>", "", about_html())
    run_to_end(Importer(case).import_documents([pasted_document("Kiew\n\nText.")]))
    with case.reading() as session:
        assert {e.app_version for e in session.scalars(select(AuditEntry))} == {VERSION}

