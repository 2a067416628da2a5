"""Exploitation profiles: which types, industries, ages, sexes and means of control go together.

The joint distributions are rough shapes of what CTDC's published data shows (sexual
exploitation mostly of women and girls, construction mostly men, domestic work mostly women,
child labour of children), not estimates of anything.
"""

from __future__ import annotations

from dataclasses import dataclass

# Share of women among persons in forced labour, by ISIC section.
FEMALE_SHARE_BY_INDUSTRY = {
    "A": 0.3, "B": 0.1, "C": 0.55, "F": 0.05, "G": 0.5, "H": 0.1, "I": 0.5, "S": 0.6, "T": 0.88,
}

_LABOUR_MEANS = {
    "DebtBondage": 0.5, "WithholdsDocuments": 0.5, "ExcessiveWorkingHours": 0.6, "TakesEarnings": 0.4,
    "FalsePromises": 0.6, "Threats": 0.3, "RestrictsMovement": 0.3, "ThreatOfLawEnforcement": 0.25,
    "WithholdsNecessities": 0.15, "PhysicalAbuse": 0.15, "RestrictsFinancialAccess": 0.15,
    "RestrictsMedicalCare": 0.1,
}
_SEXUAL_MEANS = {
    "Threats": 0.5, "PsychologicalAbuse": 0.5, "SexualAbuse": 0.4, "TakesEarnings": 0.5,
    "DebtBondage": 0.35, "PsychoactiveSubstances": 0.2, "RestrictsMovement": 0.4,
    "WithholdsDocuments": 0.3, "FalsePromises": 0.5, "PhysicalAbuse": 0.3, "UsesChildren": 0.05,
}
_CHILD_MEANS = {
    "ExcessiveWorkingHours": 0.5, "Threats": 0.3, "PhysicalAbuse": 0.3, "TakesEarnings": 0.3,
    "RestrictsMovement": 0.3, "PsychologicalAbuse": 0.3, "WithholdsNecessities": 0.2,
}
_MARRIAGE_MEANS = {
    "RestrictsMovement": 0.6, "Threats": 0.4, "PsychologicalAbuse": 0.5, "SexualAbuse": 0.4,
    "PhysicalAbuse": 0.3, "WithholdsDocuments": 0.2,
}


@dataclass(frozen=True)
class Profile:
    """A kind of case: exploitation types, industry, ages and the usual means of control."""

    key: str
    types: tuple[str, ...]
    industries: dict[str, float] | None
    ages: tuple[int, int, int]  # youngest, oldest, most common
    female_share: float
    means: dict[str, float]
    recruiters: dict[str, float]


PROFILES = {
    p.key: p
    for p in (
        Profile("sexual", ("SexualExploitation",), None, (14, 38, 21), 0.92, _SEXUAL_MEANS,
                {"IntimatePartner": 0.3, "Friend": 0.25, "Family": 0.1, "Other": 0.2, "Unknown": 0.15}),
        Profile("labour", ("ForcedLabour",),
                {"A": 0.22, "F": 0.2, "C": 0.18, "T": 0.12, "I": 0.1, "H": 0.05, "B": 0.05, "G": 0.03,
                 "S": 0.05},
                (18, 58, 28), 0.4, _LABOUR_MEANS,
                {"Friend": 0.2, "Family": 0.1, "Other": 0.5, "Unknown": 0.2}),
        Profile("child", ("ChildLabour",), {"A": 0.35, "C": 0.2, "G": 0.15, "T": 0.2, "I": 0.1},
                (9, 17, 14), 0.5, _CHILD_MEANS,
                {"Family": 0.45, "Friend": 0.1, "Other": 0.3, "Unknown": 0.15}),
        Profile("servitude", ("ForcedLabour", "Servitude"), {"T": 1.0}, (16, 50, 26), 0.9,
                {**_LABOUR_MEANS, "PsychologicalAbuse": 0.4, "SexualAbuse": 0.1},
                {"Friend": 0.2, "Family": 0.15, "Other": 0.5, "Unknown": 0.15}),
        Profile("marriage", ("ForcedMarriage",), None, (13, 26, 17), 0.97, _MARRIAGE_MEANS,
                {"Family": 0.6, "IntimatePartner": 0.15, "Other": 0.15, "Unknown": 0.1}),
        Profile("begging", ("ForcedBegging",), None, (7, 17, 11), 0.45,
                {"Threats": 0.5, "PhysicalAbuse": 0.4, "TakesEarnings": 0.6, "RestrictsMovement": 0.3,
                 "WithholdsNecessities": 0.3},
                {"Family": 0.4, "Other": 0.4, "Unknown": 0.2}),
        Profile("mixed", ("ForcedLabour", "SexualExploitation"), {"I": 0.5, "T": 0.3, "S": 0.2},
                (16, 35, 22), 0.85, {**_LABOUR_MEANS, **_SEXUAL_MEANS},
                {"IntimatePartner": 0.15, "Friend": 0.3, "Other": 0.4, "Unknown": 0.15}),
        Profile("criminal", ("Other",), None, (14, 30, 18), 0.2,
                {"DebtBondage": 0.5, "Threats": 0.6, "RestrictsMovement": 0.5, "ThreatOfLawEnforcement": 0.4,
                 "PhysicalAbuse": 0.3},
                {"Friend": 0.3, "Other": 0.5, "Unknown": 0.2}),
        Profile("armed", ("ForcedMilitaryByNonStateActors",), None, (12, 30, 16), 0.1,
                {"Threats": 0.8, "PhysicalAbuse": 0.5, "PsychologicalAbuse": 0.4},
                {"Other": 0.6, "Unknown": 0.4}),
    )
}

# Labour-like profiles: the partners that inspect workplaces see these.
LABOUR_PROFILES = frozenset({"labour", "child", "servitude", "mixed"})
