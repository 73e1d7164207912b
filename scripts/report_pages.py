"""Build a demo case from the test articles, print its report to PDF and render pages to PNG.

Usage: python scripts/report_pages.py OUT_DIR [--dpi 60] [--pages 1 2]
Writes OUT_DIR/report.pdf and OUT_DIR/report_page<N>.png (pages rendered by QtPdf, the same
as pdftoppm -png -r DPI would).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QSize  # noqa: E402
from PySide6.QtPdf import QPdfDocument  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.dto import Evidence, RelationType, Target  # noqa: E402
from desktop.services import link_chart, relations, report, tags  # noqa: E402
from desktop.services.analysis import AnalyzerProvider  # noqa: E402
from desktop.services.case import Case, open_case  # noqa: E402
from desktop.services.import_analysis import ImportAnalyzer  # noqa: E402
from desktop.services.import_documents import Importer  # noqa: E402
from desktop.services.steps import run_to_end  # noqa: E402
from desktop.ui.pdf_report import PdfReportWriter  # noqa: E402
from desktop.ui.tasks import TaskRunner  # noqa: E402
from desktop.ui.web import register_schemes  # noqa: E402

ARTICLES = sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))
SUMMARY = (
    "Two reports on the Kursk incursion and its reactions. The strongest links join the "
    "Ukrainian leadership to the places named; the analyst's relations below are drawn from "
    "the sentences quoted as evidence."
)


def demo_case(path: Path) -> Case:
    """Import the test articles with the real pipelines; add a title, summary and relations."""
    case = open_case(path, actor="analyst")
    run_to_end(Importer(case, analyzer=ImportAnalyzer(AnalyzerProvider())).import_sources(
        [str(p) for p in ARTICLES]))
    report.set_report_fields(case, "Kursk incursion: reactions", SUMMARY)
    chart = link_chart.link_chart(case)
    for edge in chart.edges[:3]:
        evidence = edge.evidence[0]
        relations.add_relation(case, edge.source, edge.target, RelationType.MET,
                               "named together", evidence=Evidence(*evidence.__dict__.values()))
    top = chart.nodes[0]
    tags.add_tag(case, Target("entity", top.id), "priority")
    return case


def render(pdf: Path, out: Path, dpi: int, pages: list[int]) -> None:
    """Render the given 1-based pages of a PDF to PNG files."""
    document = QPdfDocument()
    document.load(str(pdf))
    print(f"{pdf.name}: {document.pageCount()} pages")
    for number in pages:
        size = document.pagePointSize(number - 1)
        pixels = QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72))
        target = out / f"report_page{number}.png"
        document.render(number - 1, pixels).save(str(target))
        print(f"wrote {target}")


def main() -> None:
    """Build, print and render."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--pages", type=int, nargs="*", default=None)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    register_schemes()
    app = QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        case = demo_case(Path(folder) / "demo.casedesk")
        writer = PdfReportWriter(TaskRunner(inline=True))
        loop = QEventLoop()
        writer.finished.connect(lambda _: loop.quit())
        writer.failed.connect(lambda message: (print(message), loop.quit()))
        pdf = args.out / "report.pdf"
        writer.write(case, pdf)
        loop.exec()
        case.close()
    document = QPdfDocument()
    document.load(str(pdf))
    render(pdf, args.out, args.dpi, args.pages or list(range(1, document.pageCount() + 1)))
    del app


if __name__ == "__main__":
    main()
