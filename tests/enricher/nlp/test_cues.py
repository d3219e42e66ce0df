"""The cue lexicon expands its entries into every inflection, gender recorded."""

from __future__ import annotations

import pytest

from services.enricher.nlp.cues import CueLexicon, expand_entry
from services.enricher.nlp.normalize import normalize_token


@pytest.fixture(scope="module")
def lexicon() -> CueLexicon:
    return CueLexicon()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("قال", ("قال", "verb", "m", False, 0)),
        ("وقالت", ("قال", "verb", "f", False, 1)),
        ("يقولون", ("قال", "verb", None, True, 0)),
        ("تقول", ("قال", "verb", "f", False, 0)),
        ("قلت", ("قال", "verb", None, False, 0)),
        ("فأكد", ("أكد", "verb", "m", False, 1)),
        ("اكدت", ("أكد", "verb", "f", False, 0)),
        ("يوكد", ("أكد", "verb", "m", False, 0)),
        ("وأشارت", ("أشار", "verb", "f", False, 1)),
        ("ترى", ("رأى", "verb", "f", False, 0)),
        ("قائلاً", ("قال", "participle", "m", False, 0)),
        ("مؤكدةً", ("أكد", "participle", "f", False, 0)),
        ("مشيرين", ("أشار", "participle", None, True, 0)),
        ("قولها", ("قال", "masdar", "f", False, 0)),
        ("بقوله", ("قال", "masdar", "m", False, 1)),
        ("إشارته", ("أشار", "masdar", "m", False, 0)),
        ("نقلت", ("نقل", "relay", "f", False, 0)),
        ("إعلان", ("أعلن", "masdar_subject", None, False, 0)),
        ("بتأكيد", ("أكد", "masdar_subject", None, False, 1)),
        ("ورفضت", ("رفض", "subject", "f", False, 1)),
    ],
)
def test_cues_lookup_inflections(lexicon: CueLexicon, written: str, expected: tuple[object, ...]) -> None:
    found = lexicon.lookup(normalize_token(written))
    assert found is not None
    form, clitic = found
    assert (form.lemma, form.family, form.gender, form.plural, clitic) == expected


@pytest.mark.parametrize(
    "written", ["مؤكد", "وزارة", "المتحدث", "كتاب", "بين", "الإعلان", "نصر", "نصف", "نجيب"]
)
def test_cues_bare_adjectives_and_nouns_are_not_cues(lexicon: CueLexicon, written: str) -> None:
    found = lexicon.lookup(normalize_token(written))
    assert found is None or found[0].strict  # بين "between" is only a strict cue


def test_cues_expand_entry_generates_every_person() -> None:
    forms = dict(expand_entry({"past": "نشر", "present": "نشر"}, "verb"))
    assert {"نشر", "نشرت", "نشروا", "ينشر", "تنشر", "ينشرون", "تنشرون"} <= set(forms)
    assert forms["نشرت"].gender == "f" and forms["ينشرون"].plural


@pytest.mark.parametrize(("word", "expected"), [("إن", True), ("أنه", True), ("بأنها", True), ("أنا", False)])
def test_cues_complementizers(lexicon: CueLexicon, word: str, expected: bool) -> None:
    assert lexicon.is_complementizer(normalize_token(word)) is expected


@pytest.mark.parametrize(
    ("word", "gender"), [("الناطقة", "f"), ("والمتحدث", "m"), ("وكيل", "m"), ("الطاولة", None)]
)
def test_cues_title_gender(lexicon: CueLexicon, word: str, gender: str | None) -> None:
    assert lexicon.title_gender(normalize_token(word)) == gender
