"""The hand-written export layouts of the six demo partner kinds, and the words for variants.

Each template is the keyword arguments of :class:`hub.demo.partners.PartnerLayout`. Columns
are ``(header as the partner writes it, schema field)``; styles name the partner's codebook of
each enumerated field (see :mod:`hub.demo.codebooks`).
"""

from __future__ import annotations

from datetime import date

TEMPLATES = (
    dict(
        slug="safe-passage-hotline", display_name="Safe Passage Hotline", kind="hotline", file_format="csv",
        columns=(
            ("Call ID", "case_reference"), ("Call date", "registration_date"), ("Caller name", "full_name"),
            ("Age", "age"), ("Gender", "gender"), ("Nationality", "citizenship"),
            ("Location of exploitation", "country_of_exploitation"), ("Exploitation", "type_of_exploitation"),
            ("Sector", "forced_labour_industry"), ("Control methods", "means_of_control"), ("Phone", "phone"),
            ("Status", "trafficking_status"), ("Call notes", "notes"),
        ),
        styles={"gender": "word", "citizenship": "name", "country_of_exploitation": "name",
                "type_of_exploitation": "label", "forced_labour_industry": "sector",
                "means_of_control": "label",
                "trafficking_status": "label"},
        encoding="utf-8", delimiter=",", date_format="%Y-%m-%d", multi_separator=";",
        local_script_rate=0.25, phone_style="spaced", reference_format="SPH-{yy}{seq:05d}",
    ),
    dict(
        slug="harbour-house-shelters", display_name="Harbour House Shelters", kind="shelter",
        file_format="xlsx",
        columns=(
            ("Ref", "case_reference"), ("Admission date", "registration_date"), ("First name", "given_name"),
            ("Surname", "family_name"), ("Date of birth", "date_of_birth"), ("Age on admission", "age"),
            ("Sex", "gender"), ("Citizenship", "citizenship"),
            ("Country exploited", "country_of_exploitation"),
            ("Exploitation type(s)", "type_of_exploitation"), ("Industry (ISIC)", "forced_labour_industry"),
            ("Means of control", "means_of_control"), ("Recruited by", "recruiter_relationship"),
            ("Phone", "phone"), ("Remarks", "notes"),
        ),
        styles={"gender": "letter", "citizenship": "alpha3", "country_of_exploitation": "alpha3",
                "type_of_exploitation": "canonical", "forced_labour_industry": "canonical",
                "means_of_control": "canonical", "recruiter_relationship": "label"},
        multi_separator="|", local_script_rate=0.15, reference_format="HH/{year}/{seq:04d}",
    ),
    dict(
        slug="metro-police-anti-trafficking-unit", display_name="Metro Police Anti-Trafficking Unit",
        kind="police", file_format="csv",
        columns=(
            ("Case No", "case_reference"), ("Date reported", "registration_date"), ("Name", "full_name"),
            ("DOB", "date_of_birth"), ("Sex", "gender"), ("Nationality", "citizenship"),
            ("Country of offence", "country_of_exploitation"), ("Offence type", "type_of_exploitation"),
            ("Passport No", "document_number"), ("Issuing state", "document_country"),
            ("Relationship to suspect", "recruiter_relationship"), ("Victim status", "trafficking_status"),
        ),
        styles={"gender": "letter", "citizenship": "nationality", "country_of_exploitation": "name",
                "document_country": "name", "type_of_exploitation": "police",
                "recruiter_relationship": "police",
                "trafficking_status": "police"},
        encoding="cp1252", delimiter=";", date_format="%d.%m.%Y", multi_separator=",",
        name_order="family_comma_given", uppercase_family=True, local_script_rate=0.0,
        birth_placeholder=date(1900, 1, 1), reference_format="{seq:06d}/{yy}",
    ),
    dict(
        slug="linksafe-platform", display_name="LinkSafe Platform", kind="tech_platform", file_format="jsonl",
        columns=(
            ("caseId", "case_reference"), ("reportedAt", "registration_date"), ("givenName", "given_name"),
            ("familyName", "family_name"), ("birthDate", "date_of_birth"), ("gender", "gender"),
            ("nationality", "citizenship"), ("exploitationCountry", "country_of_exploitation"),
            ("exploitationTypes", "type_of_exploitation"), ("industry", "forced_labour_industry"),
            ("controlMeans", "means_of_control"), ("phone", "phone"), ("email", "email"),
            ("status", "trafficking_status"), ("summary", "notes"),
        ),
        styles={"gender": "canonical", "citizenship": "alpha3", "country_of_exploitation": "alpha3",
                "type_of_exploitation": "canonical", "forced_labour_industry": "canonical",
                "means_of_control": "code", "trafficking_status": "canonical"},
        local_script_rate=0.5, reference_format="c_{scrambled:08x}",
    ),
    dict(
        slug="labour-inspectorate", display_name="Labour Inspectorate", kind="labour_inspection",
        file_format="csv",
        columns=(
            ("Inspection ref", "case_reference"), ("Date", "registration_date"),
            ("Worker given name(s)", "given_name"), ("Worker family name", "family_name"),
            ("Date of birth", "date_of_birth"), ("Age", "age"), ("Sex", "gender"),
            ("Nationality", "citizenship"),
            ("Country", "country_of_exploitation"), ("Sector", "forced_labour_industry"),
            ("Exploitation", "type_of_exploitation"), ("Indicators", "means_of_control"),
            ("Document number", "document_number"), ("Document issued by", "document_country"),
            ("Inspector remarks", "notes"),
        ),
        styles={"gender": "person", "citizenship": "name", "country_of_exploitation": "name",
                "document_country": "alpha3", "forced_labour_industry": "label",
                "type_of_exploitation": "label",
                "means_of_control": "code"},
        encoding="utf-8-sig", delimiter=",", date_format="%d/%m/%Y", multi_separator=";",
        local_script_rate=0.05, phone_style="double_zero", reference_format="LI-{year}-{seq:05d}",
        birth_placeholder=date(1980, 1, 1),  # its case system's default for "unknown": 01/01/1980
    ),
    dict(
        slug="freedom-case-network", display_name="Freedom Case Network", kind="case_management",
        file_format="csv",
        columns=(
            ("case_id", "case_reference"), ("intake_date", "registration_date"),
            ("client_first_name", "given_name"), ("client_last_name", "family_name"),
            ("dob", "date_of_birth"),
            ("age_at_intake", "age"), ("gender", "gender"), ("citizenship_iso", "citizenship"),
            ("exploitation_country_iso", "country_of_exploitation"),
            ("exploitation_types", "type_of_exploitation"),
            ("labour_sector", "forced_labour_industry"), ("means_of_control", "means_of_control"),
            ("recruiter", "recruiter_relationship"), ("trafficking_status", "trafficking_status"),
            ("data_source", "data_source_type"), ("phone", "phone"), ("id_doc_number", "document_number"),
            ("id_doc_country", "document_country"), ("case_notes", "notes"),
        ),
        styles={"gender": "canonical", "citizenship": "alpha3", "country_of_exploitation": "alpha3",
                "document_country": "alpha3", "type_of_exploitation": "canonical",
                "forced_labour_industry": "canonical", "means_of_control": "label",
                "recruiter_relationship": "canonical", "trafficking_status": "canonical",
                "data_source_type": "label"},
        encoding="utf-8", delimiter="\t", date_format="%Y-%m-%d", multi_separator="|",
        local_script_rate=0.3, reference_format="FCN{seq:06d}",
    ),
)

# What a partner's system writes for an unknown date of birth, when not a blank: the dates seen
# in case systems (an epoch-like 1900-01-01, a form's default year), as assumptions.
BIRTH_PLACEHOLDERS = (None, date(1900, 1, 1), date(1980, 1, 1), date(1970, 1, 1))

PARTNER_NAMES = {
    "hotline": ["Lifeline Anti-Slavery Helpline", "Hope Call Centre", "Open Door Helpline"],
    "shelter": ["Sunrise Women's Refuge", "Safe Harbour Children's Home", "Casa Esperanza"],
    "police": ["National Crime Agency Trafficking Desk", "Border Police Victim Unit",
               "Coastal Police Division"],
    "tech_platform": ["JobCheck App", "SafeJobs Marketplace", "ReportIt Chatbot"],
    "labour_inspection": ["Regional Labour Inspectorate", "Farm Work Inspectorate",
                          "Maritime Labour Authority"],
    "case_management": ["Migrant Rights Alliance", "Pathways Reintegration", "Returnee Support Network"],
}

HEADER_SYNONYMS = {
    "case_reference": ["Case No", "caseId", "Ref", "Case reference", "File number", "ID", "Record #"],
    "registration_date": ["Date registered", "Intake date", "Reported on", "Registration date",
                          "Date opened"],
    "given_name": ["First name", "Given name", "Forename", "Name (first)"],
    "family_name": ["Surname", "Last name", "Family name", "Name (last)"],
    "full_name": ["Full name", "Name", "Victim name", "Client"],
    "date_of_birth": ["DOB", "Date of birth", "Birth date", "Born"],
    "age": ["Age", "Age (years)", "Age at intake", "Approx. age"],
    "gender": ["Gender", "Sex", "M/F"],
    "citizenship": ["Nationality", "Citizenship", "Country of origin"],
    "country_of_exploitation": ["Country of exploitation", "Exploited in", "Destination", "Where exploited"],
    "type_of_exploitation": ["Type of exploitation", "Exploitation type(s)", "Form of trafficking"],
    "forced_labour_industry": ["Industry", "Work sector", "ISIC", "Sector of work"],
    "means_of_control": ["Means of control", "Control methods", "How controlled", "Indicators"],
    "recruiter_relationship": ["Recruiter", "Recruited by", "Relationship to recruiter"],
    "trafficking_status": ["Status", "Victim status", "Case status", "Identification"],
    "data_source_type": ["Source", "Data source", "Channel"],
    "phone": ["Phone", "Mobile", "Tel.", "Contact number"],
    "email": ["Email", "E-mail", "Contact email"],
    "document_number": ["Passport No", "Document number", "ID number", "Passport"],
    "document_country": ["Issuing country", "Document country", "Issued by"],
    "notes": ["Notes", "Remarks", "Comments", "Case notes", "Narrative"],
}
