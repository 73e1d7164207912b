"""The case's own pipeline versions in a case file: rows in case.json, each model a member."""

from __future__ import annotations

import io
import tarfile
from collections import Counter
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db.models import CasePipeline
from desktop.services.export_case import row_dict

# The key of the version rows in case.json, and the folder of their models in the archive.
PIPELINES = "pipelines"
PIPELINES_DIR = "pipelines/"
# The model itself travels as a member, not inside case.json.
BLOB = "data"
# What a spaCy pipeline folder always holds.
REQUIRED_FILES = ("meta.json", "config.cfg")


def member_name(row: dict[str, Any]) -> str:
    """The archive member that holds a version's model (a gzipped tar of its folder)."""
    return f"{PIPELINES_DIR}{row['language']}-v{row['version']}.tar.gz"


def pipeline_members(session: Session) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """Every pipeline version of the case: its row without the model, and the model's member."""
    rows, members = [], {}
    for pipeline in session.scalars(select(CasePipeline).order_by(CasePipeline.id)):
        row = row_dict(pipeline)
        del row[BLOB]
        rows.append(row)
        members[member_name(row)] = pipeline.data
    return rows, members


def restore_pipelines(session: Session, rows: list[dict[str, Any]],
                      members: dict[str, bytes]) -> None:
    """Insert the pipeline versions of a checked case file, each with its model."""
    if rows:
        session.execute(insert(CasePipeline),
                        [{**row, BLOB: members[member_name(row)]} for row in rows])


def pipeline_differences(snapshot: dict[str, Any], members: dict[str, bytes]) -> list[str]:
    """Say where the pipeline versions in case.json and the model members disagree.

    Each version needs its model, a gzipped tar of a spaCy pipeline folder; each model needs
    its version; a language has at most one adopted version.
    """
    rows = snapshot.get(PIPELINES) or []
    wanted = {member_name(row): row for row in rows}
    found = [f"{name}: model missing for {row['language']} version {row['version']}"
             for name, row in wanted.items() if name not in members]
    found += [f"{name}: model of no pipeline version" for name in members if name not in wanted]
    found += [f"{name}: {why}" for name, data in members.items()
              if name in wanted and (why := _model_problem(data))]
    adopted = Counter(row["language"] for row in rows if row.get("adopted"))
    found += [f"pipelines: {count} adopted versions of language {lang!r}"
              for lang, count in adopted.items() if count > 1]
    return found


def _model_problem(data: bytes) -> str | None:
    """Why a model member is no pipeline folder, or None when it is one."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            names = {name.removeprefix("./") for name in archive.getnames()}
    except (tarfile.TarError, OSError, EOFError):
        return "not a gzipped tar of a pipeline folder"
    missing = [name for name in REQUIRED_FILES if name not in names]
    return f"no {', '.join(missing)} in the pipeline folder" if missing else None
