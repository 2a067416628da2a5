"""Regions of origin of the synthetic persons: citizenship, destinations and kinds of case.

Destinations include the country of citizenship itself, because a good share of trafficking
is within one country. Weights are plausible shapes, not statistics.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """Where a synthetic person comes from, and what tends to happen to people from there."""

    key: str
    names: str  # key of the name pools, see hub.demo.names.region_names
    citizenship: str  # ISO 3166-1 alpha-3
    weight: float
    destinations: dict[str, float]
    profiles: dict[str, float]


REGIONS = (
    Region("nepal", "nepal", "NPL", 0.09,
           {"IND": 0.35, "MYS": 0.2, "QAT": 0.15, "ARE": 0.1, "SAU": 0.1, "NPL": 0.1},
           {"labour": 0.45, "sexual": 0.25, "child": 0.1, "servitude": 0.1, "marriage": 0.05,
            "criminal": 0.05}),
    Region("india", "india", "IND", 0.07,
           {"IND": 0.65, "ARE": 0.1, "SAU": 0.1, "MYS": 0.05, "GBR": 0.05, "USA": 0.05},
           {"labour": 0.5, "child": 0.2, "sexual": 0.2, "marriage": 0.05, "begging": 0.05}),
    Region("bangladesh", "bangladesh", "BGD", 0.09,
           {"IND": 0.25, "MYS": 0.2, "SAU": 0.2, "ARE": 0.1, "BGD": 0.2, "GBR": 0.05},
           {"labour": 0.45, "sexual": 0.2, "child": 0.15, "servitude": 0.1, "marriage": 0.05,
            "begging": 0.05}),
    Region("nigeria", "nigeria", "NGA", 0.09,
           {"ITA": 0.25, "LBY": 0.15, "ESP": 0.1, "GBR": 0.15, "NGA": 0.15, "GHA": 0.05, "FRA": 0.1,
            "DEU": 0.05},
           {"sexual": 0.6, "labour": 0.2, "servitude": 0.15, "criminal": 0.05}),
    Region("ukraine", "ukraine", "UKR", 0.08,
           {"POL": 0.25, "DEU": 0.2, "CZE": 0.1, "ITA": 0.1, "ISR": 0.05, "TUR": 0.1, "RUS": 0.05,
            "UKR": 0.15},
           {"sexual": 0.35, "labour": 0.5, "criminal": 0.1, "mixed": 0.05}),
    Region("russia", "russia", "RUS", 0.04,
           {"TUR": 0.2, "ARE": 0.15, "DEU": 0.15, "ISR": 0.1, "KOR": 0.1, "JPN": 0.05, "RUS": 0.25},
           {"sexual": 0.5, "labour": 0.4, "criminal": 0.1}),
    Region("syria", "arabic", "SYR", 0.06,
           {"LBN": 0.3, "TUR": 0.25, "JOR": 0.15, "DEU": 0.1, "SYR": 0.2},
           {"labour": 0.3, "child": 0.2, "marriage": 0.2, "sexual": 0.15, "begging": 0.1, "armed": 0.05}),
    Region("iraq", "arabic", "IRQ", 0.04,
           {"TUR": 0.2, "JOR": 0.1, "IRQ": 0.45, "ARE": 0.1, "DEU": 0.15},
           {"labour": 0.3, "child": 0.15, "marriage": 0.2, "sexual": 0.2, "begging": 0.05, "armed": 0.1}),
    Region("thailand", "thailand", "THA", 0.07,
           {"MYS": 0.2, "JPN": 0.1, "THA": 0.35, "KOR": 0.15, "USA": 0.05, "SWE": 0.05, "ISR": 0.1},
           {"labour": 0.55, "sexual": 0.35, "criminal": 0.1}),
    Region("ethiopia", "ethiopia", "ETH", 0.08,
           {"SAU": 0.35, "LBN": 0.2, "ARE": 0.1, "KWT": 0.1, "SDN": 0.1, "ETH": 0.15},
           {"servitude": 0.6, "labour": 0.2, "sexual": 0.15, "criminal": 0.05}),
    Region("vietnam", "vietnam", "VNM", 0.08,
           {"GBR": 0.25, "CHN": 0.2, "KHM": 0.1, "TWN": 0.1, "JPN": 0.1, "DEU": 0.05, "VNM": 0.2},
           {"labour": 0.35, "criminal": 0.2, "sexual": 0.2, "marriage": 0.15, "child": 0.1}),
    Region("romania", "romania", "ROU", 0.06,
           {"GBR": 0.3, "DEU": 0.2, "ITA": 0.15, "ESP": 0.1, "FRA": 0.1, "ROU": 0.15},
           {"sexual": 0.45, "labour": 0.35, "begging": 0.1, "criminal": 0.1}),
    Region("philippines", "philippines", "PHL", 0.07,
           {"SAU": 0.2, "ARE": 0.15, "HKG": 0.15, "MYS": 0.1, "KWT": 0.1, "QAT": 0.05, "PHL": 0.25},
           {"servitude": 0.45, "labour": 0.25, "sexual": 0.3}),
    Region("honduras", "honduras", "HND", 0.04,
           {"USA": 0.45, "MEX": 0.25, "GTM": 0.1, "HND": 0.2},
           {"labour": 0.35, "sexual": 0.35, "criminal": 0.15, "child": 0.15}),
)
