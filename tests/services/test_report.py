"""The HTML report: counts, entity tables, notes and sources, escaped and ready to print on A4."""

from __future__ import annotations

import base64
import datetime as dt
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from desktop.services.exports import EXPORT_FORMATS, ExportOptions
from desktop.services.report import build_report
from tests.io.test_export_sample import HOSTILE_TITLE, NOTE_TEXT, populate_sample_case, snapshot_of


class Page(HTMLParser):
    """Collects tags, text and table rows of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])

    def handle_data(self, data):
        self.text.append(data)
        # Template indentation between cells is not cell text.
        if self.rows and self.tags[-1][0] in ("td", "th") and data.strip():
            self.rows[-1].append(data)


@pytest.fixture
def sample_snapshot(case):
    populate_sample_case(case)
    return snapshot_of(case)


@pytest.fixture
def page(sample_snapshot) -> Page:
    when = dt.datetime(2024, 3, 6, 9, 30, tzinfo=dt.UTC)
    return Page(build_report(sample_snapshot, map_image="data:image/png;base64,AAAA",
                             generated=when))


def test_report_shows_title_counts_and_generation_time(page, case):
    text = "".join(page.text)
    assert case.name in text and "Generated 2024-03-06 09:30 UTC" in text
    assert ["Documents", "2"] in page.rows and ["Mentions", "4"] in page.rows


def test_entity_tables_list_aliases_and_mention_counts(page):
    text = "".join(page.text)
    assert "People (1)" in text and "Organisations (1)" in text and "Places (1)" in text
    assert ["Olaf Scholz", "Scholz", "1", "1"] in page.rows
    assert ["Berlin", "city, DE", "2", "2"] in page.rows


def test_notes_and_hostile_titles_are_escaped_text(page):
    assert NOTE_TEXT in page.text and HOSTILE_TITLE in "".join(page.text)
    assert "b" not in [tag for tag, _ in page.tags], "note markup must not become a tag"


def test_sources_list_sha256_of_each_document(page, sample_snapshot):
    text = "".join(page.text)
    for document in sample_snapshot["documents"]:
        assert document["text_sha256"] in text
    assert "f" * 64 in text


def test_map_slot_holds_the_given_image(page, sample_snapshot):
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert images == [{"src": "data:image/png;base64,AAAA",
                       "alt": "Map of the places mentioned in the case"}]
    assert "<img" not in build_report(sample_snapshot)


def test_report_prints_on_a4_with_page_breaks():
    html = build_report({"meta": {}, "documents": [], "mentions": [], "entities": [],
                         "places": [], "notes": []})
    # Sections flow on (no half-empty pages); a table row or a figure is never cut in two.
    assert "size: A4" in html and "page-break-before: always" not in html
    assert "tr, figure, blockquote, .doc-head { break-inside: avoid" in html


def test_html_export_writes_the_report(case, sample_snapshot, tmp_path):
    out = tmp_path / "report.html"
    counts = EXPORT_FORMATS["html"].run(case, out, ExportOptions(accepted_only=True))
    assert counts["documents"] == 2
    body = out.read_text(encoding="utf-8").split('id="sources"')[0]
    # Quoted evidence sentences may name it; no table lists it as a finding or an entity.
    assert "Organisations (" not in body
    cells = [cell.strip() for row in Page(body).rows for cell in row]
    assert "Siemens AG" not in cells and "Olaf Scholz" in cells


def test_html_export_without_a_picture_draws_the_map_itself(case, sample_snapshot, tmp_path):
    out = tmp_path / "report.html"
    EXPORT_FORMATS["html"].run(case, out, ExportOptions())
    page = Page(out.read_text(encoding="utf-8"))
    (image,) = [attrs["src"] for tag, attrs in page.tags if tag == "img"]
    assert image.startswith("data:image/svg+xml;base64,")
    svg = ET.fromstring(base64.b64decode(image.split(",", 1)[1]))
    labels = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert "Berlin" in labels
    circles = list(svg.iter("{http://www.w3.org/2000/svg}circle"))
    assert len(circles) == 1, "Berlin is one city drawn once"
    assert "map/map.html" not in out.read_text(encoding="utf-8"), "no map page beside it"


def test_map_section_links_the_interactive_page_when_there_is_one(sample_snapshot):
    page = Page(build_report(sample_snapshot, map_page="map/map.html"))
    assert ("a", {"href": "map/map.html"}) in page.tags
    assert "Open the interactive map" in page.text


# -- the report worth handing over: title, summary, evidence, timeline, chart, relations ----------


@pytest.fixture
def analysed(case):
    from desktop.dto import Evidence, RelationType
    from desktop.services import relations
    from tests.analysis_case import populate_analysis_case

    ids = populate_analysis_case(case)
    relations.add_relation(case, ids["scholz"], ids["siemens"], RelationType.MEMBER_OF, "board",
                           evidence=Evidence(ids["de"], 0, 71))
    return ids


def _report(case, tmp_path, **options) -> str:
    out = tmp_path / "report.html"
    EXPORT_FORMATS["html"].run(case, out, ExportOptions(**options))
    return out.read_text(encoding="utf-8")


def test_title_and_summary_are_editable_audited_and_printed(case, analysed, tmp_path):
    from desktop.services import report

    assert report.report_fields(case) == report.ReportFields(case.name, "")
    report.set_report_fields(case, "Operation <Nord>", "Scholz & Siemens <script>x</script>")
    assert report.report_fields(case).title == "Operation <Nord>"
    page = Page(_report(case, tmp_path))
    assert "Operation <Nord>" in page.text
    assert "Scholz & Siemens <script>x</script>" in page.text
    assert "script" not in [tag for tag, _ in page.tags]
    from sqlalchemy import select

    from db.models import AuditEntry

    with case.reading() as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert "case.report_fields" in actions


def test_findings_carry_their_sentence_with_the_mention_marked(case, analysed, tmp_path):
    html = _report(case, tmp_path)
    findings = html.split('id="findings"')[1].split('id="entities"')[0]
    assert ("<mark>Olaf Scholz</mark> traf am 2. Oktober 2024 in Berlin Vertreter der "
            "Siemens AG.") in findings
    assert "<mark>Hamburg</mark>." in findings


def test_report_has_timeline_chart_and_relations(case, analysed, tmp_path):
    html = _report(case, tmp_path)
    page = Page(html)
    timeline = html.split('id="timeline"')[1].split("</section>")[0]
    assert timeline.index("2023-05-01") < timeline.index("2024-10-02")
    assert "publication date" in timeline
    chart = html.split('id="link-chart"')[1].split("</section>")[0]
    svg = ET.fromstring(chart[chart.index("<svg"):chart.index("</svg>") + 6])
    names = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Olaf Scholz", "Siemens AG", "Berlin", "Hamburg"} <= names
    assert len(list(svg.iter("{http://www.w3.org/2000/svg}line"))) == 5
    relations = html.split('id="relations"')[1].split("</section>")[0]
    assert "member of" in relations and "board" in relations
    assert "Vertreter der Siemens AG." in relations
    assert "priority</strong></td><td>document \u201cSiemens office\u201d</td>" in html
    assert "Siemens office" in page.text
