"""Partners' own codes for the schema's categorical values.

A codebook turns a schema value (``"SexualExploitation"``) into what one partner writes
(``"SE"``, ``"sexual exploitation"``, ``"Sexual exploitation"``...). A value may have several
spellings, picked at random per record: a caseworker writes "fishing" or "agriculture" for
the same ISIC section A. The mapping file records the way back.
"""

from __future__ import annotations

from collections.abc import Callable

from hub.demo.countries import everyday_name, iso_name, nationality
from schemas import load_schema

Codebook = Callable[[str], tuple[str, ...]]

GENDER = {
    "letter": {"Female": "F", "Male": "M", "GenderDiverse": "X", "Unknown": "U"},
    "word": {"Female": "female", "Male": "male", "GenderDiverse": "other", "Unknown": "unknown"},
    "person": {"Female": "Woman", "Male": "Man", "GenderDiverse": "Trans/non-binary",
               "Unknown": "Not stated"},
}
EXPLOITATION = {
    "label": {"ForcedLabour": "forced labour", "SexualExploitation": "sexual exploitation",
              "ChildLabour": "child labour", "ForcedMarriage": "forced marriage",
              "Servitude": "domestic servitude",
              "ForcedMilitaryByNonStateActors": "armed group recruitment", "ForcedBegging": "forced begging",
              "Other": "forced criminality"},
    "code": {"ForcedLabour": "FL", "SexualExploitation": "SE", "ChildLabour": "CL", "ForcedMarriage": "FM",
             "Servitude": "DS", "ForcedMilitaryByNonStateActors": "AG", "ForcedBegging": "FB", "Other": "OT"},
    "police": {"ForcedLabour": "Labour exploitation", "SexualExploitation": "Sexual exploitation",
               "ChildLabour": "Child labour", "ForcedMarriage": "Forced marriage",
               "Servitude": "Domestic servitude", "ForcedMilitaryByNonStateActors": "Armed group recruitment",
               "ForcedBegging": "Forced begging", "Other": "Criminal exploitation"},
}
INDUSTRY = {
    "sector": {"A": ("agriculture", "fishing"), "B": ("mining",), "C": ("factory", "garment factory"),
               "F": ("construction",), "G": ("retail",), "H": ("transport",), "I": ("restaurant", "hotel"),
               "S": ("nail bar", "car wash"), "T": ("domestic work",)},
}
MEANS = {
    "label": {"DebtBondage": "debt bondage", "TakesEarnings": "takes earnings",
              "RestrictsFinancialAccess": "no access to money", "Threats": "threats",
              "PsychologicalAbuse": "psychological abuse", "PhysicalAbuse": "physical abuse",
              "SexualAbuse": "sexual abuse", "FalsePromises": "false promises",
              "PsychoactiveSubstances": "drugs or alcohol", "RestrictsMovement": "restricted movement",
              "RestrictsMedicalCare": "denied medical care", "ExcessiveWorkingHours": "excessive hours",
              "UsesChildren": "threats to children", "ThreatOfLawEnforcement": "threat of deportation",
              "WithholdsNecessities": "withholds food or sleep", "WithholdsDocuments": "passport taken"},
    "code": {"DebtBondage": "DB", "TakesEarnings": "TE", "RestrictsFinancialAccess": "RF", "Threats": "TH",
             "PsychologicalAbuse": "PA", "PhysicalAbuse": "PH", "SexualAbuse": "SA", "FalsePromises": "FP",
             "PsychoactiveSubstances": "DR", "RestrictsMovement": "RM", "RestrictsMedicalCare": "MC",
             "ExcessiveWorkingHours": "WH", "UsesChildren": "UC", "ThreatOfLawEnforcement": "LE",
             "WithholdsNecessities": "WN", "WithholdsDocuments": "WD"},
}
RECRUITER = {
    "label": {"IntimatePartner": "intimate partner", "Friend": "friend", "Family": "family member",
              "Other": "other", "Unknown": "unknown"},
    "police": {"IntimatePartner": "Partner/boyfriend", "Friend": "Friend/acquaintance", "Family": "Relative",
               "Other": "Stranger/other", "Unknown": "Not known"},
}
STATUS = {
    "label": {"Identified": "identified", "Presumed": "presumed", "AtRisk": "at risk"},
    "police": {"Identified": "Confirmed victim", "Presumed": "Suspected victim", "AtRisk": "At risk"},
}
DATA_SOURCE = {
    "label": {"CaseManagement": "case management", "Hotline": "hotline", "Shelter": "shelter",
              "LawEnforcement": "law enforcement", "LabourInspection": "labour inspection",
              "TechPlatform": "tech platform", "Other": "other"},
}
COUNTRY = {
    "alpha3": lambda code: (code,),
    "name": lambda code: (everyday_name(code),),
    "iso_name": lambda code: (iso_name(code),),
    "upper_name": lambda code: (everyday_name(code).upper(),),
    "nationality": lambda code: (nationality(code),),
}
TABLES = {
    "gender": GENDER, "type_of_exploitation": EXPLOITATION, "forced_labour_industry": INDUSTRY,
    "means_of_control": MEANS, "recruiter_relationship": RECRUITER, "trafficking_status": STATUS,
    "data_source_type": DATA_SOURCE,
}


def codebook(field_name: str, style: str) -> Codebook:
    """The codebook of a partner for one enumerated field: ``"canonical"`` writes schema values.

    >>> codebook("gender", "letter")("Female")
    ('F',)
    >>> codebook("citizenship", "nationality")("NPL")
    ('Nepali',)
    >>> codebook("forced_labour_industry", "label")("F")
    ('Construction',)
    """
    if style == "canonical":
        return lambda value: (value,)
    if field_name in ("citizenship", "country_of_exploitation", "document_country"):
        return COUNTRY[style]
    if style == "label" and field_name == "forced_labour_industry":
        labels = load_schema().enumerations["isic_section"]
        return lambda value: (labels.label(value),)
    table = TABLES[field_name][style]

    def lookup(value: str) -> tuple[str, ...]:
        written = table.get(value, value)
        return written if isinstance(written, tuple) else (written,)

    return lookup
