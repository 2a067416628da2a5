"""A partner's own duplicates: one person registered again under a new case reference."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest

from hub.demo import DemoSummary


@pytest.fixture(scope="module")
def cases_by_partner_and_person(records, truth) -> dict[tuple[str, str], list[dict]]:
    cases = defaultdict(list)
    for slug, _, record in records:
        cases[slug, truth[slug, record["case_reference"]]].append(record)
    return cases


@pytest.fixture(scope="module")
def kinds(demo: DemoSummary) -> dict[str, str]:
    partners = json.loads(demo.partners_file.read_text(encoding="utf-8"))["partners"]
    return {partner["slug"]: partner["kind"] for partner in partners}


def _repeat_shares(cases_by_partner_and_person, kinds) -> dict[str, float]:
    """Per kind of partner: the share of its cases whose person it already had under another case."""
    cases, repeats = Counter(), Counter()
    for (slug, _), person_cases in cases_by_partner_and_person.items():
        cases[kinds[slug]] += len(person_cases)
        repeats[kinds[slug]] += len(person_cases) - 1
    return {kind: repeats[kind] / cases[kind] for kind in cases}


def test_some_partner_holds_two_case_references_of_one_person(cases_by_partner_and_person, truth):
    repeated = {key: cases for key, cases in cases_by_partner_and_person.items() if len(cases) >= 2}
    assert repeated
    for (slug, person_id), cases in repeated.items():
        references = [case["case_reference"] for case in cases]
        assert len(set(references)) == len(references)
        assert all(truth[slug, reference] == person_id for reference in references)
    # A hotline logs some callers three times or more.
    assert any(len(cases) >= 3 for cases in repeated.values())


def test_hotlines_repeat_most_and_shelters_about_one_case_in_twenty(cases_by_partner_and_person, kinds):
    shares = _repeat_shares(cases_by_partner_and_person, kinds)
    assert 0.05 < shares["hotline"] < 0.16
    assert 0.02 < shares["shelter"] < 0.09
    assert shares["hotline"] > max(share for kind, share in shares.items() if kind != "hotline")
    assert all(share < 0.16 for share in shares.values())


def test_a_repeat_is_often_written_differently_and_sometimes_months_later(cases_by_partner_and_person):
    repeated = [cases for cases in cases_by_partner_and_person.values() if len(cases) >= 2]
    fields = ("full_name", "given_name", "family_name", "date_of_birth", "age", "gender")
    differing = [cases for cases in repeated if len({tuple(c.get(f) for f in fields) for c in cases}) > 1]
    assert len(differing) / len(repeated) > 0.5
    # Some repeats span months: a re-admission weeks or months after the first stay.
    spans = [{case["registration_date"].strftime("%Y-%m") for case in cases} for cases in repeated]
    assert 0 < sum(1 for months in spans if len(months) > 1) < len(spans)
