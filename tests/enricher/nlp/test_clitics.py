"""Proclitic readings of normalised tokens."""

import pytest

from services.enricher.nlp.clitics import certain_strip, clitic_variants


@pytest.mark.parametrize(
    ("norm", "expected"),
    [
        ("والولايات", (1, "الولايات")),
        ("للامم", (1, "الامم")),  # لل: the span starts after the first ل
        ("فللجيش", (2, "الجيش")),
        ("وبالعاصمه", (2, "العاصمه")),
        ("وليد", (0, "وليد")),  # no ال after the letters: not sure, left whole
        ("الاسد", (0, "الاسد")),
    ],
)
def test_clitics_certain_strip(norm: str, expected: tuple[int, str]) -> None:
    assert certain_strip(norm) == expected


def test_clitics_variants_unsegmented_first_longest_last() -> None:
    assert clitic_variants("وبيروت") == ((0, "وبيروت"), (1, "بيروت"), (2, "يروت"))
    assert clitic_variants("من") == ((0, "من"),)
