"""Hand-kept aliases and word lists that the data build and the gazetteer share."""

from __future__ import annotations

# Extra names of countries, keyed by Natural Earth ADM0_A3. CLDR (babel) already gives the
# usual German, English, Russian, Ukrainian and French names; these are abbreviations and
# the other everyday forms found in news and reports.
COUNTRY_ALIASES: dict[str, list[str]] = {
    "USA": [
        "USA",
        "US",
        "U.S.",
        "U.S.A.",
        "Vereinigte Staaten",
        "Vereinigte Staaten von Amerika",
        "Vereinigten Staaten",
        "Vereinigten Staaten von Amerika",
        "United States",
        "United States of America",
        "Amerika",
        "the United States",
    ],
    "GBR": [
        "UK",
        "U.K.",
        "Großbritannien",
        "Grossbritannien",
        "Vereinigtes Königreich",
        "Britain",
        "Great Britain",
        "United Kingdom",
        # England, Scotland, Wales and Northern Ireland are hand-kept areas of their own
        # (desktop/geo/regions.py): the UK's point lies 300 km from London.
    ],
    "RUS": ["Russische Föderation", "Russian Federation", "Russia", "Russland"],
    "UKR": ["Ukraine", "Ukrajina"],
    "BLR": ["Weißrussland", "Weissrussland", "Belarus", "Belarussland"],
    "PRK": ["Nordkorea", "North Korea", "DPRK", "KDVR", "Demokratische Volksrepublik Korea"],
    "KOR": ["Südkorea", "Suedkorea", "South Korea", "Republik Korea", "ROK"],
    "CHN": ["China", "Volksrepublik China", "VR China", "PRC", "People's Republic of China"],
    "TWN": ["Taiwan"],
    "DEU": ["BRD", "Bundesrepublik Deutschland", "Deutschland", "Germany"],
    "CZE": ["Tschechien", "Tschechische Republik", "Czechia", "Czech Republic"],
    "NLD": ["Holland", "Niederlande", "Netherlands"],
    "ARE": ["VAE", "UAE", "Vereinigte Arabische Emirate", "United Arab Emirates"],
    "COD": ["DR Kongo", "Demokratische Republik Kongo", "DRC", "Kongo-Kinshasa"],
    "COG": ["Republik Kongo", "Kongo-Brazzaville"],
    "MMR": ["Myanmar", "Burma", "Birma"],
    "CIV": ["Elfenbeinküste", "Ivory Coast", "Côte d'Ivoire"],
    "MDA": ["Moldau", "Moldawien", "Moldova"],
    "SYR": ["Syrien", "Syria"],
    "IRN": ["Iran", "Persien"],
    "TUR": ["Türkei", "Turkey", "Türkiye"],
    "VAT": ["Vatikan", "Vatican"],
    "MKD": ["Nordmazedonien", "North Macedonia", "Mazedonien", "Macedonia"],
    "SAU": ["Saudi-Arabien", "Saudi Arabia"],
    "PSX": ["Palästina", "Palestine", "Palästinensische Gebiete", "Palestinian territories"],
    "KOS": ["Kosovo"],
}

# Extra names of cities, keyed by GeoNames id, per language. GeoNames alternates hold most
# of these too, but not as German or English names.
CITY_ALIASES: dict[int, dict[str, list[str]]] = {
    703448: {"de": ["Kiew", "Kyjiw"], "en": ["Kyiv", "Kiev"], "uk": ["Київ"], "ru": ["Киев"]},
    524901: {"de": ["Moskau"], "en": ["Moscow"], "ru": ["Москва"], "uk": ["Москва"]},
    1816670: {"de": ["Peking"], "en": ["Beijing", "Peking"]},
    1871859: {"de": ["Pjöngjang"], "en": ["Pyongyang"]},
    1835848: {"de": ["Seoul"], "en": ["Seoul"]},
    706483: {"de": ["Charkiw"], "en": ["Kharkiv", "Kharkov"]},
    702550: {"de": ["Lwiw", "Lemberg"], "en": ["Lviv", "Lvov"]},
    698740: {"de": ["Odessa"], "en": ["Odesa", "Odessa"]},
    709930: {"de": ["Dnipro"], "en": ["Dnipro", "Dnipropetrovsk"]},
    687700: {"de": ["Saporischschja"], "en": ["Zaporizhzhia", "Zaporizhia"]},
    709717: {"de": ["Donezk"], "en": ["Donetsk"]},
    702658: {"de": ["Luhansk", "Lugansk"], "en": ["Luhansk", "Lugansk"]},
    2950159: {"de": ["Berlin"], "en": ["Berlin"]},
    2867714: {"de": ["München"], "en": ["Munich"]},
    2886242: {"de": ["Köln"], "en": ["Cologne"]},
    3169070: {"de": ["Rom"], "en": ["Rome"]},
    2643743: {"de": ["London"], "en": ["London"]},
    5128581: {"de": ["New York"], "en": ["New York", "New York City", "NYC"]},
    4140963: {"de": ["Washington"], "en": ["Washington", "Washington, D.C."]},
    745044: {"de": ["Istanbul"], "en": ["Istanbul"]},
    2761369: {"de": ["Wien"], "en": ["Vienna"]},
    3067696: {"de": ["Prag"], "en": ["Prague"]},
    756135: {"de": ["Warschau"], "en": ["Warsaw"]},
    625144: {"de": ["Minsk"], "en": ["Minsk"]},
    498817: {
        "de": ["Sankt Petersburg", "St. Petersburg"],
        "en": ["Saint Petersburg", "St. Petersburg"],
    },
}

# Place names that are also everyday German or English words. They stay in the gazetteer (a
# mention found by the NER still resolves) but are kept out of the entity-ruler patterns.
# The data build adds every name that a German or English word list has in lower case.
# fmt: off
EXTRA_COMMON_WORDS: frozenset[str] = frozenset(
    {
        "Bad", "Bar", "Beer", "Best", "Bell", "Boa", "Born", "Brand", "Bury", "Chance", "Deal",
        "Eagle", "Eden", "Ende", "Essen", "Fall", "Fort", "Gap", "Halle", "Hall", "Hof", "Hope",
        "Independence", "Kaiser", "Lage", "Land", "Leer", "Liberty", "March", "Marl", "Mark",
        "Mitte", "Nord", "Ost", "Süd", "West", "Norden", "Osten", "Süden", "Westen", "North",
        "South", "East", "Central", "Centre", "Center", "Capital", "Police", "Post", "Sale",
        "See", "Sand", "Stadt", "Union", "Wels", "Weil", "Zug", "Mobile", "Orange", "Reading",
        "Split", "Nice", "Bath", "Batman", "Van", "Male", "Mai", "Lauf", "Nancy", "Florence",
        "Regina", "Victoria", "Marion", "Tyler", "Jackson", "Lincoln", "Douglas", "Hamilton",
        "Wilson", "Clinton", "Kent", "Carmen", "Prima", "Alle", "Worms", "Weiden", "Bergen",
        "Siegen",
        # German common nouns, first names and brands among the alternate names.
        "Adler", "Alge", "Amazone", "Asbest", "Atlant", "Athene", "Barium", "Basic", "Bosse",
        "Eisen", "Elch", "Elche", "Extrema", "Freistaat", "Gold", "Golfes", "Gracias", "Hang",
        "Horizonte", "Humus", "Indio", "Indios", "Jaguare", "Julia", "Jupiter", "Kadi", "Kali",
        "Kanal", "Kanton", "Karin", "Kennedy", "Kenner", "Kilo", "Kita", "Kork", "Limo", "Mary",
        "Moore", "Muskat", "Namen", "Ofen", "Orientale", "Orion", "Ostprovinz", "Paul", "Pest",
        "Planken", "Possen", "Rest", "Rosette", "Russe", "Saladin", "Salto", "Samba", "Savanne",
        "Solo", "Sophia", "Stalin", "Tango", "Taylor", "Tori", "Viktoria", "Werder", "Zion",
        "Galle", "Engels", "David", "George", "Diana", "Alexandra", "Emilia", "Castro",
        "Darwin", "Davis", "Edison", "Benedikt", "Bryan", "Dalai", "Dali", "Goya", "Fuji",
        "Hitachi", "Toyota", "Kawasaki", "Bismarck", "Magdalena", "Olympia", "Aurora",
        # First names that are also towns ("Wladimir Putin", "Antony Blinken").
        "Antony", "Brandon", "Eugene", "Gary", "Hassan", "Karen", "Kyle", "Lawrence", "Leon",
        "Logan", "Lori", "Madison", "Mercedes", "Milagros", "Pilar", "Soledad", "Vladimir",
        "Wladimir", "Elizabeth", "Guadalupe", "Wayne",
    }
)
# fmt: on
