"""Normalisation keeps a per-character map back to the raw token."""

from services.enricher.nlp.normalize import normalize_token, raw_index_map


def test_normalize_raw_index_map_skips_diacritics_and_tatweel() -> None:
    raw = "أَحـمَد"
    assert normalize_token(raw) == "احمد"
    assert [raw[i] for i in raw_index_map(raw)] == ["أ", "ح", "م", "د"]


def test_normalize_raw_index_map_identity_on_plain_text() -> None:
    assert raw_index_map("بيروت") == [0, 1, 2, 3, 4]
