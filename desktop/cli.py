"""Command line: `casedesk` opens the window; sub-commands import, extract and export headless."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.dto import ImportLine, ImportReport, Progress
from desktop.services.case import (
    Case,
    CaseOpenError,
    NotSavedError,
    default_case_path,
    is_case_url,
    open_case,
)
from desktop.services.import_analysis import ImportAnalyzer
from desktop.version import __version__

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]
ProgressSink = Callable[[Progress], None]


CASE_HELP = ("case file, or postgresql://user@host/db URL of a team case, to open or create "
             "(default: the default case in the user data folder)")


def case_target(text: str) -> Path | str:
    """A case file path, or a ``postgresql://`` URL kept as it is (its password is libpq's)."""
    return text if is_case_url(text) else Path(text)


def _case_option(parser: argparse.ArgumentParser, help_text: str = CASE_HELP) -> None:
    parser.add_argument("--case", type=case_target, default=argparse.SUPPRESS, help=help_text)


def _iso_date(text: str) -> object:
    """A YYYY-MM-DD date for ``extract --date``."""
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with all sub-commands."""
    parser = argparse.ArgumentParser(prog="casedesk", description="Casedesk analyst workstation")
    parser.add_argument("--version", action="version", version=f"Casedesk {__version__}")
    _case_option(parser)
    parser.add_argument("--smoke-test", metavar="OUT.json", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")

    imp = sub.add_parser("import", help="import files, folders or globs ('-' reads stdin)")
    _case_option(imp)
    imp.add_argument("inputs", nargs="+", help="files, folders, glob patterns or '-'")
    imp.add_argument("--no-extract", action="store_true", help="store text only, skip extraction")
    imp.add_argument("--keep-original", action="store_true", help="keep original bytes as evidence")
    imp.add_argument("--max-mb", type=float, default=50.0, help="size limit per file (MB)")

    ext = sub.add_parser("extract", help="print the entities of files; no case is touched")
    ext.add_argument("inputs", nargs="+", help="files, folders, glob patterns or '-'")
    ext.add_argument("--case", type=Path, default=None, dest="pipelines_case",
                     help="extract with this case's own pipelines (the case is not changed)")
    ext.add_argument("--format", default="jsonl", choices=["jsonl"])
    ext.add_argument("--lang", default=None, help="language of all inputs (default: detect)")
    ext.add_argument(
        "--date",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="day relative dates refer to in inputs without a publication date (default: today)",
    )

    exp = sub.add_parser("export", help="export the case (case file or a standard format)")
    _case_option(exp, "case file to export; it must exist (default: the default case)")
    exp.add_argument("--format", default="json", choices=sorted(_export_formats()))
    exp.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    exp.add_argument("--accepted-only", action="store_true", help="only accepted mentions")
    exp.add_argument("--document", type=int, action="append", dest="documents", metavar="ID",
                     help="only this document (repeat for several; default: all)")

    restore = sub.add_parser("import-case", help="restore a case file (.cdcase) into a new case")
    restore.add_argument("file", type=Path, help="the case file to restore")
    restore.add_argument("--case", type=Path, default=None,
                         help="the new case file to create (default: next to FILE, named "
                         "after it, never an existing file)")

    verify = sub.add_parser("verify", help="check every hash of a case file (.cdcase)")
    verify.add_argument("file", type=Path)
    _team_commands(sub)
    _annotation_parsers(sub)
    _training_parser(sub)
    return parser


def _team_commands(sub: argparse._SubParsersAction) -> None:
    server = sub.add_parser("server", help="set up a team case on a PostgreSQL server")
    server_sub = server.add_subparsers(dest="server_command", required=True)
    init = server_sub.add_parser("init", help="create the case schema and the analyst and "
                                 "reader roles in an empty database (run as its owner)")
    init.add_argument("url", help="postgresql://owner@host:5432/casedb")
    init.add_argument("--analyst", action="append", default=[], metavar="LOGIN",
                      help="make this existing login an analyst (read and write); repeatable")
    init.add_argument("--reader", action="append", default=[], metavar="LOGIN",
                      help="make this existing login a reader (read only); repeatable")
    push = sub.add_parser("push", help="move a local case into an empty server database")
    push.add_argument("--case", type=Path, required=True, help="the local case file")
    push.add_argument("--to", required=True, metavar="URL", help="postgresql://... database")
    pull = sub.add_parser("pull", help="copy a server case into a new local case file")
    pull.add_argument("--case", required=True, metavar="URL", help="postgresql://... database")
    pull.add_argument("--to", type=Path, required=True, help="the new local case file")


def _annotation_parsers(sub: argparse._SubParsersAction) -> None:
    ann = sub.add_parser("annotations", help="annotations in and out (JSONL, CoNLL, DocBin)")
    ann_sub = ann.add_subparsers(dest="annotations_command", required=True)
    imp = ann_sub.add_parser("import", help="import annotated texts as reviewed documents")
    _case_option(imp, "case file to import into (default: the default case)")
    imp.add_argument("file", type=Path, help="JSONL (text + spans) or CoNLL/BIO file")
    exp = ann_sub.add_parser("export", help="write the reviewed documents with their mentions")
    _case_option(exp, "case file to export from; it must exist (default: the default case)")
    exp.add_argument("--format", default="jsonl", choices=["jsonl", "conll", "docbin"])
    exp.add_argument("--lang", default=None, help="only documents in this language")
    exp.add_argument("-o", "--output", type=Path, required=True, help="file to write")


def _training_parser(sub: argparse._SubParsersAction) -> None:
    train = sub.add_parser("train", help="teach the case's pipeline from the analyst's reviews")
    _case_option(train, "case file to train for; it must exist (default: the default case)")
    train.add_argument("--lang", required=True, choices=["de", "en"])
    train.add_argument("--no-adopt", action="store_true",
                       help="store the new version but keep using the current one")
    versions = sub.add_parser("pipelines", help="list the case's pipeline versions, or go back "
                              "to one (--use)")
    _case_option(versions, "case file; it must exist (default: the default case)")
    versions.add_argument("--lang", choices=["de", "en"], default=None,
                          help="only this language (needed with --use)")
    versions.add_argument("--use", default=None, metavar="VERSION",
                          help="extract with this version from now on ('shipped': the shipped "
                          "pipeline)")


def _export_formats() -> dict[str, object]:
    from desktop.services.exports import EXPORT_FORMATS

    return dict(EXPORT_FORMATS)


def case_path(args: argparse.Namespace) -> Path | str:
    """Return the case file or server URL named on the command line, or the default case."""
    return getattr(args, "case", None) or default_case_path()


def _progress_printer() -> Callable[[Progress], None]:
    interactive = sys.stderr.isatty()

    def show(progress: Progress) -> None:
        if not interactive:
            return
        total = progress.total or progress.done
        filled = int(30 * progress.done / total) if total else 0
        bar = "#" * filled + "." * (30 - filled)
        sys.stderr.write(f"\r[{bar}] {progress.done}/{total} {progress.text[:60]:<60}")
        sys.stderr.flush()

    return show


def format_line(line: ImportLine) -> str:
    """Return one report line for the terminal."""
    if line.status == "imported":
        facts = [line.language or "?", f"{line.characters or 0:,} chars"]
        if line.pages:
            facts.append(f"{line.pages} pages")
        facts.append(f"{line.entities or 0} mentions")
        return f"imported   {line.source} ({', '.join(facts)})"
    return f"{line.status:<10} {line.source}: {line.reason}"


def cmd_import(args: argparse.Namespace) -> int:
    """Import inputs into the case, printing each input's line as soon as it is decided.

    A committed batch's lines are written and flushed together, so an interrupted import has
    printed the line of every document it stored, and a killed one lacks at most the lines of
    the batch committed in the instant of the kill; the batch goes on after any failed input.
    """
    from desktop.services.import_documents import Importer, ImportOptions
    from desktop.services.steps import run_to_end

    case = open_case(case_path(args))
    analyzer = None
    try:
        analyzer = None if args.no_extract else _analyzer(case)
        options = ImportOptions(
            max_bytes=int(args.max_mb * 1024 * 1024), keep_original=args.keep_original
        )
        importer = Importer(case, options, analyzer, on_lines=_lines_printer())
        with _interrupt_between_steps() as progress:
            report: ImportReport = run_to_end(
                importer.import_sources(args.inputs, stdin=sys.stdin.buffer.read),
                progress(_progress_printer()),
            )
    finally:
        if analyzer is not None:
            analyzer.provider.close()
        case.close()
    _clear_progress()
    print(f"{report.summary()} in {report.seconds:.1f} s", flush=True)
    return EXIT_SOME_FAILED if report.failed else EXIT_OK


@contextmanager
def _interrupt_between_steps() -> Iterator[Callable[[ProgressSink], ProgressSink]]:
    """Make Ctrl+C stop long work at its next step instead of wherever it happens to be.

    The first SIGINT is only noted; the progress sink raises KeyboardInterrupt at the next
    step, when no batch is half written and every stored document's line has been printed.
    A second SIGINT interrupts at once.
    """
    asked: list[bool] = []

    def note(signum: int, frame: object) -> None:
        asked.append(True)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    def checked(sink: ProgressSink) -> ProgressSink:
        def show(progress: Progress) -> None:
            if asked:
                raise KeyboardInterrupt
            sink(progress)

        return show

    if threading.current_thread() is not threading.main_thread():
        yield lambda sink: sink  # signals reach the main thread only
        return
    previous = signal.signal(signal.SIGINT, note)
    try:
        yield checked
    finally:
        signal.signal(signal.SIGINT, previous)


def _lines_printer() -> Callable[[list[ImportLine]], None]:
    """Print a committed batch's report lines over the progress bar in one write, flushed.

    One write, not one per line: a kill can then cut off only a whole batch's lines, never
    leave a stored document's line unprinted behind one that was printed.
    """

    def show(lines: list[ImportLine]) -> None:
        _clear_progress()
        text = "".join(f"{format_line(line)}\n" for line in lines)
        # A terminal that cannot show a character still gets the line.
        encoding = sys.stdout.encoding or "utf-8"
        sys.stdout.write(text.encode(encoding, "replace").decode(encoding))
        sys.stdout.flush()

    return show


def _clear_progress() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


def _analyzer(case: Case) -> ImportAnalyzer:
    """Extraction with the case's adopted pipelines, the shipped ones for other languages."""
    from desktop.services.case_pipelines import provider_for_case

    return ImportAnalyzer(provider_for_case(case))


def _report(code: int, line: str) -> int:
    """Print a service's one-line answer (errors to stderr) and return its exit code."""
    print(line, file=sys.stdout if code == EXIT_OK else sys.stderr)
    return code


def cmd_export(args: argparse.Namespace) -> int:
    """Export the case in the chosen format."""
    from desktop.cli_exports import cli_export

    return _report(
        *cli_export(case_path(args), args.format, args.output, accepted_only=args.accepted_only,
                    document_ids=args.documents)
    )


def cmd_import_case(args: argparse.Namespace) -> int:
    """Restore a case file into a new case."""
    from desktop.cli_exports import cli_import_case

    return _report(*cli_import_case(args.file, args.case))


def cmd_verify(args: argparse.Namespace) -> int:
    """Check a case file's hashes."""
    from desktop.cli_exports import cli_verify

    return _report(*cli_verify(args.file))


def cmd_extract(args: argparse.Namespace) -> int:
    """Print one JSON line per input with its language and entities."""
    from desktop.services.extract_files import extract_files

    failed = False
    provider = None
    if args.pipelines_case is not None:
        from desktop.services.case_pipelines import provider_for_case

        case = open_case(args.pipelines_case, create=False)
        try:
            provider = provider_for_case(case)
        finally:
            case.close()
    lines = extract_files(
        args.inputs, lang=args.lang, stdin=sys.stdin.buffer.read, reference=args.date,
        provider=provider,
    )
    for line in lines:
        if "error" in line:
            failed = True
            print(f"casedesk: {line['file']}: {line['error']}", file=sys.stderr)
            continue
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def cmd_server(args: argparse.Namespace) -> int:
    """Set up a team case on a server."""
    from desktop.services.server import init_server

    case = init_server(args.url, analysts=args.analyst, readers=args.reader)
    print(f"team case ready at {case.location} (roles casedesk_analysts, casedesk_readers)")
    case.close()
    return EXIT_OK


def _transfer(move: Callable[[], dict[str, int]], line: str) -> int:
    from desktop.services.exports import summary
    from desktop.services.server import TransferError

    try:
        counts = move()
    except TransferError as exc:
        print(f"casedesk: {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED
    shown = ("documents", "mentions", "entities", "notes")
    print(f"{line} ({summary({key: counts.get(key, 0) for key in shown})})")
    return EXIT_OK


def cmd_push(args: argparse.Namespace) -> int:
    """Move a local case to a server."""
    from desktop.services.server import push

    if not is_case_url(args.to):
        raise CaseOpenError(f"--to needs a postgresql:// URL, not {args.to}")
    return _transfer(lambda: push(args.case, args.to), f"pushed {args.case.name}, verified")


def cmd_pull(args: argparse.Namespace) -> int:
    """Copy a server case to a local file."""
    from desktop.services.server import pull

    if not is_case_url(args.case):
        raise CaseOpenError(f"--case needs a postgresql:// URL, not {args.case}")
    return _transfer(lambda: pull(args.case, args.to), f"pulled into {args.to}, verified")


def cmd_annotations(args: argparse.Namespace) -> int:
    """Import or export annotations."""
    from desktop.services.annotations import (
        AnnotationError,
        export_annotations,
        import_annotations,
    )

    if args.annotations_command == "import":
        case = open_case(case_path(args))
        try:
            result = import_annotations(case, args.file)
        except AnnotationError as error:
            return _report(EXIT_SOME_FAILED, f"casedesk: {args.file}: {error}")
        finally:
            case.close()
        return _report(EXIT_OK, (
            f"{result.documents} documents ({result.added_documents} new): "
            f"{result.accepted} mentions accepted, {result.rejected} suggestions rejected"))
    case = open_case(case_path(args), create=False)
    try:
        count = export_annotations(case, args.output, args.format, args.lang)
    finally:
        case.close()
    return _report(EXIT_OK, f"{count} reviewed documents written to {args.output}")


def cmd_train(args: argparse.Namespace) -> int:
    """Fine-tune the case's pipeline for one language and print the scores before and after."""
    from desktop.services.steps import run_to_end
    from desktop.services.training import TrainingError, train_pipeline

    case = open_case(case_path(args), create=False)
    try:
        result = run_to_end(train_pipeline(case, args.lang, adopt=not args.no_adopt),
                            _progress_printer())
    except TrainingError as error:
        return _report(EXIT_SOME_FAILED, f"casedesk: {error}")
    finally:
        case.close()
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print(format_training(result))
    return EXIT_OK


def cmd_pipelines(args: argparse.Namespace) -> int:
    """List the case's pipeline versions, or adopt one of them (or the shipped pipeline)."""
    from desktop.services.case_pipelines import (
        PipelineVersionError,
        adopt_pipeline,
        list_pipelines,
        version_rows,
    )

    if args.use is not None and args.lang is None:
        return _report(EXIT_USAGE, "casedesk: --use needs --lang")
    if args.use is not None and args.use != "shipped" and not args.use.isdigit():
        return _report(EXIT_USAGE, f"casedesk: --use takes a version number or 'shipped', "
                                   f"not {args.use!r}")
    case = open_case(case_path(args), create=False)
    try:
        if args.use is not None:
            version = None if args.use == "shipped" else int(args.use)
            try:
                adopt_pipeline(case, args.lang, version)
            except PipelineVersionError as error:
                return _report(EXIT_SOME_FAILED, f"casedesk: {error}")
        rows = version_rows(list_pipelines(case, args.lang),
                            [args.lang] if args.lang else ["de", "en"])
    finally:
        case.close()
    header = ("language", "version", "trained from", "documents", "held-back F1", "trained",
              "in use")
    widths = [max(len(cells[i]) for cells in [header, *(c for _, c in rows)])
              for i in range(len(header))]
    for cells in [header, *(c for _, c in rows)]:
        print("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
              .rstrip())
    return EXIT_OK


def format_training(result: object) -> str:
    """Return the per-label table of a training run for the terminal."""
    from desktop.dto import TrainingResult

    assert isinstance(result, TrainingResult)
    lines = [f"trained on {result.train_documents} reviewed documents "
             f"(+{result.rehearsal_documents} rehearsed), scored on {result.heldout_documents} "
             f"held back, {result.decided_names} decided names kept, {result.seconds:.0f} s",
             f"{'label':<10}{'before P/R/F1':>22}{'after P/R/F1':>22}"]
    after = {score.label: score for score in result.after}
    for score in result.before:
        new = after.get(score.label)
        row = f"{score.precision:.2f}/{score.recall:.2f}/{score.f1:.2f}"
        new_row = f"{new.precision:.2f}/{new.recall:.2f}/{new.f1:.2f}" if new else "-"
        lines.append(f"{score.label:<10}{row:>22}{new_row:>22}")
    verdict = ("adopted" if result.adopted else "better, not adopted" if result.better
               else "not better: the current version stays")
    lines.append(f"version {result.version}: {verdict}")
    return "\n".join(lines)


COMMANDS: dict[str, Handler] = {
    "server": cmd_server,
    "push": cmd_push,
    "pull": cmd_pull,
    "import": cmd_import,
    "export": cmd_export,
    "extract": cmd_extract,
    "import-case": cmd_import_case,
    "verify": cmd_verify,
    "annotations": cmd_annotations,
    "train": cmd_train,
    "pipelines": cmd_pipelines,
}


def run_command(args: argparse.Namespace) -> int:
    """Run a headless sub-command; errors an analyst can act on become one line on stderr."""
    try:
        return COMMANDS[args.command](args)
    except CaseOpenError as exc:
        print(f"casedesk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except NotSavedError as exc:  # a lost server connection, a reader, another analyst first
        print(f"casedesk: {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED
    except KeyboardInterrupt:
        print("casedesk: interrupted; everything imported so far is saved", file=sys.stderr)
        return 130
