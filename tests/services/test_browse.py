"""The document view's data: a mention in a PDF knows the page it can be cited by."""

from __future__ import annotations

from desktop.services import browse
from desktop.services.analysis import AnalyzerProvider
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import Importer
from desktop.services.steps import run_to_end
from tests.io.conftest import build_pdf


def test_mentions_of_a_pdf_carry_their_page_number(case, tmp_path):
    pdf = tmp_path / "lage.pdf"
    pdf.write_bytes(build_pdf(["Lagebericht aus Kiew am Morgen.",
                               "Am Abend meldete Moskau neue Angriffe."]))
    importer = Importer(case, analyzer=ImportAnalyzer(AnalyzerProvider()))
    report = run_to_end(importer.import_sources([str(pdf)]))
    document_id = report.lines[0].document_id
    detail, mentions = browse.document_with_mentions(case, document_id)
    pages = {m.text: m.page for m in mentions if m.text in ("Kiew", "Moskau")}
    assert pages == {"Kiew": 1, "Moskau": 2}
    assert detail.page_at(detail.text.index("Moskau")) == 2
