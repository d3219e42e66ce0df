"""Grouping mentions into entities: partial names join full ones, ids are stable across articles."""

from services.enricher.nlp.doc import Mention
from services.enricher.nlp.grouping import entity_id, group


def m(start: int, text: str, etype: str = "PER") -> Mention:
    return Mention(start, start + len(text), text, etype)  # type: ignore[arg-type]


def test_grouping_short_name_joins_full_name() -> None:
    entities = group([m(0, "كمال الدباغ"), m(40, "الدباغ"), m(80, "كمال الدباغ")])
    assert len(entities) == 1
    assert entities[0].name == "كمال الدباغ"
    assert [x.start for x in entities[0].mentions] == [0, 40, 80]


def test_grouping_short_name_before_full_name_still_joins() -> None:
    entities = group([m(0, "الدباغ"), m(30, "كمال الدباغ")])
    assert len(entities) == 1 and entities[0].name == "كمال الدباغ"


def test_grouping_short_name_goes_to_nearest_preceding_person() -> None:
    entities = group([m(0, "سامي حداد"), m(30, "رامي حداد"), m(60, "حداد")])
    by_name = {e.name: [x.start for x in e.mentions] for e in entities}
    assert by_name == {"سامي حداد": [0], "رامي حداد": [30, 60]}


def test_grouping_types_never_mix() -> None:
    entities = group([m(0, "الأردن", "LOC"), m(20, "الأردن", "ORG")])
    assert sorted(e.type for e in entities) == ["LOC", "ORG"]


def test_grouping_glued_and_spaced_forms_share_entity_and_id() -> None:
    entities = group([m(0, "الولاياتالمتحدة", "LOC"), m(30, "الولايات المتحدة", "LOC")])
    assert len(entities) == 1
    assert entities[0].name == "الولايات المتحدة"
    assert entities[0].entity_id == entity_id("LOC", "الولايات المتحده")


def test_grouping_id_ignores_spelling_variants_of_alef_and_teh_marbuta() -> None:
    a = group([m(0, "أسامة الحربي")])[0]
    b = group([m(0, "اسامه الحربي")])[0]
    assert a.entity_id == b.entity_id
    assert a.entity_id.startswith("per-")
    assert a.normalized == "اسامه الحربي"


def test_grouping_translit_is_buckwalter() -> None:
    assert group([m(0, "سامي حداد")])[0].translit == "sAmy HdAd"
