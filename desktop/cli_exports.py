"""The export, restore and verify sub-commands: service results as exit codes and one line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from desktop.services.case import CaseOpenError, open_case
from desktop.services.case_file_errors import CaseFileError
from desktop.services.case_file_restore import import_case_file, new_case_path
from desktop.services.case_file_verify import verify_case_file
from desktop.services.export_case import case_snapshot
from desktop.services.exports import EXPORT_FORMATS, ExportOptions, export, summary

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def cli_export(
    case_path: Path,
    format_name: str,
    out: Path,
    *,
    accepted_only: bool = False,
    document_ids: Iterable[int] | None = None,
) -> tuple[int, str]:
    """Open the case, export it, and return (exit code, the line to print)."""
    if format_name not in EXPORT_FORMATS:
        return EXIT_USAGE, f"casedesk: unknown export format {format_name!r}"
    ids = None if document_ids is None else frozenset(document_ids)
    try:
        case = open_case(case_path, create=False)
    except CaseOpenError as exc:
        return EXIT_USAGE, f"casedesk: {exc}"
    try:
        counts = export(case, format_name, out, ExportOptions(accepted_only, ids))
    except OSError as exc:
        return EXIT_FAILED, f"casedesk: cannot write {out}: {exc.strerror or exc}"
    finally:
        case.close()
    return EXIT_OK, f"wrote {out} ({summary(counts)})"


def cli_import_case(archive: Path, target: Path | None = None) -> tuple[int, str]:
    """Restore a case file into a new case; return (exit code, the line to print).

    Without ``target`` the new case goes next to the archive under a name no file has yet
    (``case_file_restore.new_case_path``); the printed line names it.
    """
    target = new_case_path(archive) if target is None else Path(target)
    try:
        case = import_case_file(Path(archive), target)
    except CaseFileError as exc:
        return EXIT_FAILED, f"casedesk: {exc}"
    except CaseOpenError as exc:
        return EXIT_USAGE, f"casedesk: {exc}"
    try:
        with case.reading() as session:
            counts = {k: len(v) for k, v in case_snapshot(session).items() if isinstance(v, list)}
    finally:
        case.close()
    return EXIT_OK, f"restored {Path(archive).name} into {case.path} ({summary(counts)})"


def cli_verify(path: Path) -> tuple[int, str]:
    """Verify a case file; return (0 intact | 1 modified | 2 unreadable, the line to print)."""
    try:
        result = verify_case_file(Path(path))
    except CaseFileError as exc:
        return EXIT_USAGE, f"casedesk: {exc}"
    return (EXIT_OK if result.ok else EXIT_FAILED), result.message()
