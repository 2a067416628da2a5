"""The column names partners' exports use for the schema's fields, for finding and proposing a header."""

from __future__ import annotations

from connectors.layout import fold_column
from schemas.loader import Schema

# Column names partners' exports use for the schema's fields (English; compared as fold_column does).
COLUMN_NAMES = {
    "case_reference": ["case no", "case number", "case id", "case ref", "reference", "file no", "id"],
    "given_name": ["first name", "forename", "given names", "prenom"],
    "family_name": ["last name", "surname", "family names", "nom"],
    "full_name": ["name", "full name", "victim name", "client name"],
    "date_of_birth": ["dob", "birth date", "born", "birthday", "date of birth"],
    "document_number": ["passport", "passport no", "passport number", "id number", "document no"],
    "document_country": ["passport country", "issuing country", "document issuer"],
    "phone": ["mobile", "telephone", "tel", "phone number", "contact number"],
    "email": ["e-mail", "email address", "mail"],
    "address": ["home address", "residence", "street"],
    "registration_date": ["registered", "date registered", "registration", "intake date", "date of intake",
                          "date identified", "date"],
    "gender": ["sex", "gender identity"],
    "citizenship": ["nationality", "country of origin", "origin", "citizen of"],
    "country_of_exploitation": ["country exploited", "exploited in", "destination", "destination country"],
    "type_of_exploitation": ["exploitation", "exploitation type", "form of exploitation"],
    "forced_labour_industry": ["industry", "sector", "labour sector"],
    "means_of_control": ["control", "means", "control methods", "methods of control"],
    "recruiter_relationship": ["recruiter", "relation to recruiter", "recruited by"],
    "trafficking_status": ["status", "victim status", "case status"],
    "data_source_type": ["source", "referral source", "data source"],
    "notes": ["story", "comments", "remarks", "narrative", "description", "note"],
}


def known_column_names(schema: Schema) -> set[str]:
    """Every folded column name that names a field: the schema's own and the usual ones."""
    names = {fold_column(f.name) for f in schema.fields}
    names.update(fold_column(name) for aliases in COLUMN_NAMES.values() for name in aliases)
    return names
