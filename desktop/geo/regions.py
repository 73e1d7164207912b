"""Hand-kept seas, straits, large islands and macro-regions that no registry package carries.

Each entry: a slug (the id is ``cd:<slug>``), the kind ("sea" for oceans, seas, gulfs, bays,
straits and canals; "area" for macro-regions and large islands), English and German names
(German inflected forms written out: "Nahen Osten"), the country code when the area lies in
one country, and a representative point (lat, lon). The points were set by hand for this
project at the middle of the agreed extent given in the comment, rounded to half a degree;
they are not GeoNames points, and these places carry no GeoNames id.
"""

# ruff: noqa: E501
from __future__ import annotations

from typing import NamedTuple


class Area(NamedTuple):
    """One hand-kept place."""

    slug: str
    kind: str
    en: tuple[str, ...]
    de: tuple[str, ...]
    lat: float
    lon: float
    cc: str = ""


# fmt: off
AREAS: tuple[Area, ...] = (
    # Oceans (their basins), seas, gulfs, bays.
    Area("atlantic", "sea", ("Atlantic Ocean", "Atlantic"), ("Atlantik", "Atlantischer Ozean", "Atlantischen Ozean", "Atlantiks"), 0.0, -25.0),
    Area("pacific", "sea", ("Pacific Ocean", "Pacific"), ("Pazifik", "Pazifischer Ozean", "Pazifischen Ozean", "Pazifiks"), 0.0, -160.0),
    Area("indian-ocean", "sea", ("Indian Ocean",), ("Indischer Ozean", "Indischen Ozean", "Indischen Ozeans"), -20.0, 80.0),
    Area("arctic-ocean", "sea", ("Arctic Ocean",), ("Arktischer Ozean", "Nordpolarmeer"), 80.0, 0.0),
    Area("southern-ocean", "sea", ("Southern Ocean",), ("Südpolarmeer", "Südlicher Ozean"), -65.0, 0.0),
    Area("mediterranean", "sea", ("Mediterranean Sea", "Mediterranean"), ("Mittelmeer", "Mittelmeers", "Mittelmeeres"), 35.0, 18.0),
    Area("black-sea", "sea", ("Black Sea",), ("Schwarzes Meer", "Schwarzen Meer", "Schwarzen Meeres"), 43.0, 34.0),
    Area("sea-of-azov", "sea", ("Sea of Azov",), ("Asowsches Meer", "Asowschen Meer", "Asowschen Meeres"), 46.0, 36.5),
    Area("baltic-sea", "sea", ("Baltic Sea",), ("Ostsee",), 58.0, 20.0),
    Area("north-sea", "sea", ("North Sea",), ("Nordsee",), 56.0, 3.0),
    Area("barents-sea", "sea", ("Barents Sea",), ("Barentssee",), 74.0, 40.0),
    Area("red-sea", "sea", ("Red Sea",), ("Rotes Meer", "Roten Meer", "Roten Meeres"), 20.0, 38.0),
    Area("caspian-sea", "sea", ("Caspian Sea",), ("Kaspisches Meer", "Kaspischen Meer", "Kaspischen Meeres"), 41.5, 50.5),
    Area("adriatic-sea", "sea", ("Adriatic Sea", "Adriatic"), ("Adria", "Adriatisches Meer"), 43.0, 15.5),
    Area("aegean-sea", "sea", ("Aegean Sea",), ("Ägäis", "Ägäisches Meer"), 39.0, 25.0),
    Area("caribbean-sea", "sea", ("Caribbean Sea",), ("Karibisches Meer", "Karibischen Meer"), 15.0, -75.0),
    Area("south-china-sea", "sea", ("South China Sea",), ("Südchinesisches Meer", "Südchinesischen Meer", "Südchinesischen Meeres"), 12.0, 113.0),
    Area("east-china-sea", "sea", ("East China Sea",), ("Ostchinesisches Meer", "Ostchinesischen Meer"), 29.0, 125.0),
    Area("yellow-sea", "sea", ("Yellow Sea",), ("Gelbes Meer", "Gelben Meer"), 35.5, 123.0),
    Area("sea-of-japan", "sea", ("Sea of Japan", "East Sea"), ("Japanisches Meer", "Japanischen Meer"), 40.0, 135.0),
    Area("arabian-sea", "sea", ("Arabian Sea",), ("Arabisches Meer", "Arabischen Meer"), 14.0, 65.0),
    Area("bay-of-bengal", "sea", ("Bay of Bengal",), ("Golf von Bengalen",), 15.0, 88.0),
    Area("persian-gulf", "sea", ("Persian Gulf", "Arabian Gulf"), ("Persischer Golf", "Persischen Golf", "Persischen Golfs"), 26.5, 52.0),
    Area("gulf-of-oman", "sea", ("Gulf of Oman",), ("Golf von Oman",), 24.5, 58.5),
    Area("gulf-of-aden", "sea", ("Gulf of Aden",), ("Golf von Aden",), 12.5, 48.0),
    Area("gulf-of-mexico", "sea", ("Gulf of Mexico",), ("Golf von Mexiko",), 25.0, -90.0),
    Area("gulf-of-guinea", "sea", ("Gulf of Guinea",), ("Golf von Guinea",), 2.0, 4.0),
    Area("gulf-of-finland", "sea", ("Gulf of Finland",), ("Finnischer Meerbusen", "Finnischen Meerbusen"), 60.0, 26.5),
    # Straits and canals.
    Area("strait-of-hormuz", "sea", ("Strait of Hormuz",), ("Straße von Hormus", "Strasse von Hormus"), 26.5, 56.5),
    Area("bab-el-mandeb", "sea", ("Bab-el-Mandeb", "Bab el-Mandeb"), ("Bab al-Mandab",), 12.5, 43.5),
    Area("bosporus", "sea", ("Bosporus", "Bosphorus"), ("Bosporus",), 41.0, 29.0, "TR"),
    Area("dardanelles", "sea", ("Dardanelles",), ("Dardanellen",), 40.0, 26.5, "TR"),
    Area("kerch-strait", "sea", ("Kerch Strait", "Strait of Kerch"), ("Straße von Kertsch", "Meerenge von Kertsch"), 45.0, 36.5),
    Area("taiwan-strait", "sea", ("Taiwan Strait", "Strait of Taiwan"), ("Taiwanstraße", "Straße von Taiwan"), 24.0, 119.5),
    Area("strait-of-malacca", "sea", ("Strait of Malacca",), ("Straße von Malakka",), 4.0, 100.0),
    Area("strait-of-gibraltar", "sea", ("Strait of Gibraltar",), ("Straße von Gibraltar",), 36.0, -5.5),
    Area("english-channel", "sea", ("English Channel",), ("Ärmelkanal",), 50.0, -1.0),
    Area("suez-canal", "sea", ("Suez Canal",), ("Suezkanal", "Suezkanals"), 30.5, 32.5, "EG"),
    Area("panama-canal", "sea", ("Panama Canal",), ("Panamakanal", "Panamakanals"), 9.0, -79.5, "PA"),
    # Macro-regions (extent in the comment).
    Area("middle-east", "area", ("Middle East", "Mideast", "Near East"), ("Naher Osten", "Nahen Osten", "Nahost", "Mittlerer Osten", "Mittleren Osten"), 29.0, 45.0),  # Egypt to Iran, Turkey to Yemen
    Area("sahel", "area", ("Sahel",), ("Sahel", "Sahelzone"), 15.0, 5.0),  # Senegal to Sudan, 12-18 N
    Area("west-africa", "area", ("West Africa",), ("Westafrika", "Westafrikas"), 12.0, -3.0),  # Senegal to Nigeria
    Area("east-africa", "area", ("East Africa",), ("Ostafrika", "Ostafrikas"), 1.0, 37.0),  # Ethiopia to Tanzania
    Area("north-africa", "area", ("North Africa",), ("Nordafrika", "Nordafrikas"), 28.0, 12.0),  # Morocco to Egypt
    Area("southern-africa", "area", ("Southern Africa",), ("Südliches Afrika", "Südlichen Afrika"), -22.0, 25.0),
    Area("sub-saharan-africa", "area", ("Sub-Saharan Africa",), ("Subsahara-Afrika",), 0.0, 20.0),
    Area("horn-of-africa", "area", ("Horn of Africa",), ("Horn von Afrika",), 8.0, 45.0),  # Ethiopia, Eritrea, Djibouti, Somalia
    Area("maghreb", "area", ("Maghreb",), ("Maghreb",), 32.0, 3.0),  # Morocco, Algeria, Tunisia, Libya
    Area("balkans", "area", ("Balkans", "Balkan Peninsula"), ("Balkan", "Balkans", "Westbalkan", "Westbalkans"), 43.0, 21.0),  # Slovenia to Greece
    Area("caucasus", "area", ("Caucasus", "South Caucasus"), ("Kaukasus", "Südkaukasus"), 42.5, 44.5),  # Black Sea to Caspian
    Area("central-asia", "area", ("Central Asia",), ("Zentralasien", "Zentralasiens", "Mittelasien"), 43.0, 65.0),  # the five -stans
    Area("southeast-asia", "area", ("Southeast Asia", "South-East Asia"), ("Südostasien", "Südostasiens"), 10.0, 110.0),
    Area("south-asia", "area", ("South Asia",), ("Südasien", "Südasiens"), 23.0, 78.0),
    Area("east-asia", "area", ("East Asia",), ("Ostasien", "Ostasiens"), 35.0, 115.0),
    Area("scandinavia", "area", ("Scandinavia",), ("Skandinavien", "Skandinaviens"), 63.0, 15.0),
    Area("baltic-states", "area", ("Baltic states", "Baltics"), ("Baltikum", "Baltikums"), 57.0, 24.0),
    Area("eastern-europe", "area", ("Eastern Europe",), ("Osteuropa", "Osteuropas"), 50.0, 30.0),
    Area("western-europe", "area", ("Western Europe",), ("Westeuropa", "Westeuropas"), 48.0, 5.0),
    Area("central-america", "area", ("Central America",), ("Mittelamerika", "Zentralamerika"), 13.5, -86.5),
    Area("latin-america", "area", ("Latin America",), ("Lateinamerika", "Lateinamerikas"), -5.0, -65.0),
    Area("caribbean", "area", ("Caribbean", "West Indies"), ("Karibik",), 17.0, -72.0),
    Area("americas", "area", ("Americas", "the Americas"), ("Gesamtamerika",), 10.0, -80.0),  # both continents
    Area("arctic", "area", ("Arctic",), ("Arktis",), 80.0, 0.0),
    Area("antarctica", "area", ("Antarctica", "Antarctic"), ("Antarktis",), -82.0, 0.0),
    Area("siberia", "area", ("Siberia",), ("Sibirien", "Sibiriens"), 62.0, 100.0, "RU"),
    Area("donbas", "area", ("Donbas", "Donbass"), ("Donbass", "Donbas"), 48.0, 38.5, "UA"),  # Donetsk and Luhansk oblasts
    Area("kashmir", "area", ("Kashmir",), ("Kaschmir",), 34.5, 76.0),
    Area("kurdistan", "area", ("Kurdistan",), ("Kurdistan",), 37.0, 43.5),
    Area("darfur", "area", ("Darfur",), ("Darfur",), 13.0, 24.5, "SD"),  # the five Darfur states
    Area("patagonia", "area", ("Patagonia",), ("Patagonien",), -45.0, -69.0),
    Area("gaza-strip", "area", ("Gaza Strip",), ("Gazastreifen", "Gazastreifens"), 31.4, 34.4, "PS"),
    Area("west-bank", "area", ("West Bank",), ("Westjordanland", "Westjordanlands"), 32.0, 35.25, "PS"),
    # The constituent countries of the United Kingdom (no polygon of their own here).
    Area("england", "area", ("England",), ("England", "Englands"), 52.5, -1.5, "GB"),
    Area("scotland", "area", ("Scotland",), ("Schottland", "Schottlands"), 56.5, -4.0, "GB"),
    Area("wales", "area", ("Wales",), ("Wales",), 52.3, -3.7, "GB"),
    Area("northern-ireland", "area", ("Northern Ireland",), ("Nordirland", "Nordirlands"), 54.6, -6.7, "GB"),
    # Large islands that are not a country or a first-level region of their own.
    Area("java", "area", ("Java",), ("Java",), -7.5, 110.0, "ID"),
    Area("sumatra", "area", ("Sumatra",), ("Sumatra",), 0.0, 102.0, "ID"),
    Area("borneo", "area", ("Borneo",), ("Borneo",), 1.0, 114.0),
    Area("new-guinea", "area", ("New Guinea",), ("Neuguinea",), -5.5, 141.0),
    Area("luzon", "area", ("Luzon",), ("Luzon",), 16.0, 121.0, "PH"),
    Area("mindanao", "area", ("Mindanao",), ("Mindanao",), 7.5, 125.0, "PH"),
    Area("honshu", "area", ("Honshu",), ("Honshū", "Honshu"), 36.0, 138.0, "JP"),
    Area("hispaniola", "area", ("Hispaniola",), ("Hispaniola",), 19.0, -71.0),
    Area("tierra-del-fuego", "area", ("Tierra del Fuego",), ("Feuerland",), -54.0, -68.0),
)
# fmt: on
