"""How partners write the countries of the demo data: everyday names, nationalities, dialling codes.

Partners rarely write the ISO short name ("Korea, Republic of"); they write what people say
("South Korea"), or the nationality ("Nepali"). The mapping file of each partner translates
these back to ISO 3166-1 alpha-3, which is what the schema accepts.
"""

from __future__ import annotations

from schemas import load_schema

# Everyday names where they differ from the ISO short name.
EVERYDAY_NAMES = {
    "RUS": "Russia",
    "SYR": "Syria",
    "VNM": "Vietnam",
    "GBR": "UK",
    "USA": "USA",
    "ARE": "UAE",
    "TUR": "Turkey",
    "KOR": "South Korea",
    "TWN": "Taiwan",
    "CZE": "Czech Republic",
}

NATIONALITIES = {
    "NPL": "Nepali",
    "IND": "Indian",
    "BGD": "Bangladeshi",
    "NGA": "Nigerian",
    "UKR": "Ukrainian",
    "RUS": "Russian",
    "SYR": "Syrian",
    "IRQ": "Iraqi",
    "THA": "Thai",
    "ETH": "Ethiopian",
    "VNM": "Vietnamese",
    "ROU": "Romanian",
    "PHL": "Filipino",
    "HND": "Honduran",
}

# International dialling codes of the countries the demo data uses.
DIALLING_CODES = {
    "NPL": "977", "IND": "91", "BGD": "880", "NGA": "234", "UKR": "380", "RUS": "7", "SYR": "963",
    "IRQ": "964", "THA": "66", "ETH": "251", "VNM": "84", "ROU": "40", "PHL": "63", "HND": "504",
    "MYS": "60", "QAT": "974", "ARE": "971", "SAU": "966", "GBR": "44", "ITA": "39", "LBY": "218",
    "ESP": "34", "GHA": "233", "FRA": "33", "DEU": "49", "POL": "48", "CZE": "420", "ISR": "972",
    "TUR": "90", "KOR": "82", "JPN": "81", "LBN": "961", "JOR": "962", "SWE": "46", "KWT": "965",
    "SDN": "249", "CHN": "86", "KHM": "855", "TWN": "886", "HKG": "852", "MEX": "52", "GTM": "502",
    "USA": "1",
}


def iso_name(code: str) -> str:
    """The ISO short name of a country, as the schema's country enumeration labels it.

    >>> iso_name("NPL")
    'Nepal'
    """
    return load_schema().enumerations["country"].label(code)


def everyday_name(code: str) -> str:
    """The name most people write for a country.

    >>> everyday_name("KOR"), everyday_name("NPL")
    ('South Korea', 'Nepal')
    """
    return EVERYDAY_NAMES.get(code) or iso_name(code)


def nationality(code: str) -> str:
    """The nationality adjective of a citizenship, or the everyday country name when not listed."""
    return NATIONALITIES.get(code) or everyday_name(code)
