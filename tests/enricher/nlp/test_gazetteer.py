"""Gazetteer content from the packages and lexicons, phrase matching and glued-word splitting."""

import pytest

from services.enricher.nlp.gazetteer import load_gazetteer, package_places
from services.enricher.nlp.normalize import normalize_text, normalize_token


@pytest.mark.parametrize("name", ["ألمانيا", "اليابان", "البرازيل", "الولايات المتحدة"])
def test_gazetteer_package_places_hold_countries(name: str) -> None:
    assert normalize_text(name) in package_places()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("بيروت", ("LOC", True)),
        ("الأمم المتحدة", ("ORG", True)),
        ("عمان", ("LOC", False)),  # also the verb/word: soft, tagger evidence only
    ],
)
def test_gazetteer_lookup_types_and_hardness(name: str, expected: tuple[str, bool]) -> None:
    assert load_gazetteer().lookup(tuple(normalize_text(name).split())) == expected


def test_gazetteer_match_prefers_longest_name_and_clitic_readings() -> None:
    words = normalize_text("زار وفد من الولايات المتحدة والمملكة المتحدة").split()
    found = [(m.start, m.end, m.type) for m in load_gazetteer().match(words)]
    assert (3, 5, "LOC") in found
    assert (5, 7, "LOC") in found


def test_gazetteer_split_glued_two_places() -> None:
    parts = load_gazetteer().split_glued(normalize_token("فرنساوألمانيا"))
    assert parts is not None
    assert [(p.start, p.end, p.type) for p in parts] == [(0, 5, "LOC"), (6, 13, "LOC")]


def test_gazetteer_split_glued_refuses_leftover_letters() -> None:
    assert load_gazetteer().split_glued(normalize_token("فرنساكتابألمانيا")) is None
