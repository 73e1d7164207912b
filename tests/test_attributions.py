"""Every shipped data set and model is credited in the README and in the About dialog."""

from __future__ import annotations

from pathlib import Path

from desktop.attributions import ATTRIBUTIONS
from desktop.ui.dialogs.about import about_html

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_and_about_name_every_shipped_source_with_its_license():
    readme = README.read_text(encoding="utf-8")
    about = about_html()
    for key in ("en_core_web_sm", "de_casedesk_ner", "Natural Earth", "GeoNames",
                "OpenStreetMap", "CLDR", "Leaflet", "Wiktionary", "GermEval", "SmartData",
                "MobIE", "LER", "Europeana"):
        assert key in readme, key
        assert key in about, key
    for attribution in ATTRIBUTIONS:
        assert attribution.license in about
