"""Roles and gender hints of persons, through the whole entity stage."""

from collections.abc import Callable

from services.enricher.nlp.doc import ArticleDoc, Entity


def person(doc: ArticleDoc, name: str) -> Entity:
    return next(e for e in doc.entities if e.type == "PER" and e.name == name)


def test_roles_title_phrase_before_name(recognize: Callable[[str], ArticleDoc]) -> None:
    doc = recognize("وقال وزير الخارجية الفرنسي جان إيف لودريان إن المحادثات مستمرة.")
    lodrian = person(doc, "جان إيف لودريان")
    assert "وزير الخارجية الفرنسي" in lodrian.roles
    assert lodrian.gender == "m"


def test_roles_apposition_after_name_and_feminine_title(recognize: Callable[[str], ArticleDoc]) -> None:
    doc = recognize("قالت هالة السعدي المتحدثة باسم الهيئة إن التقرير سيصدر غدا.")
    hala = person(doc, "هالة السعدي")
    assert hala.roles == ["المتحدثة باسم الهيئة"]
    assert hala.gender == "f"


def test_roles_feminine_verb_agreement(recognize: Callable[[str], ArticleDoc]) -> None:
    doc = recognize("وأكدت كاترين دوبوا أن الاتفاق صامد. وأضافت دوبوا أن الجولة المقبلة قريبة.")
    dubois = person(doc, "كاترين دوبوا")
    assert dubois.gender == "f"
    assert len(dubois.mentions) == 2


def test_roles_title_before_the_next_person_is_not_an_apposition(
    recognize: Callable[[str], ArticleDoc],
) -> None:
    doc = recognize("التقى الوزير سامي الخطيب السفيرة البريطانية جين ماريوت في عمان.")
    assert "السفيرة البريطانية" in person(doc, "جين ماريوت").roles
    assert "السفيرة البريطانية" not in person(doc, "سامي الخطيب").roles


def test_roles_definite_head_before_a_person_stays_out_of_the_name(
    recognize: Callable[[str], ArticleDoc],
) -> None:
    doc = recognize("وقال المتحدث باسم الوزارة سامي الخطيب إن الحالات تراجعت.")
    sami = person(doc, "سامي الخطيب")
    assert sami.roles == ["المتحدث باسم الوزارة"]


def test_roles_run_over_a_body_and_a_construct_title_after_the_name(
    recognize: Callable[[str], ArticleDoc],
) -> None:
    doc = recognize("وقال الناطق باسم حركة حماس حازم قاسم إن الحركة تدرس المقترح.")
    assert person(doc, "حازم قاسم").roles == ["الناطق باسم حركة حماس"]
    doc = recognize("وقال سهيل المزروعي وزير الطاقة الإماراتي إن الإنتاج سيرتفع.")
    assert person(doc, "سهيل المزروعي").roles == ["وزير الطاقة الإماراتي"]


def test_roles_title_with_a_pronoun_is_not_feminine(recognize: Callable[[str], ArticleDoc]) -> None:
    doc = recognize("أشاد الاتحاد بالبطولة، وقال رئيسه جياني إنفانتينو إنها كانت ناجحة.")
    assert person(doc, "جياني إنفانتينو").gender != "f"


def test_roles_construct_title_of_the_verbs_object_is_no_apposition(
    recognize: Callable[[str], ArticleDoc],
) -> None:
    doc = recognize("واستقبل الرئيس عبد الفتاح السيسي وزير الخارجية الأمريكي في القاهرة.")
    assert person(doc, "عبد الفتاح السيسي").roles == ["الرئيس"]


def test_roles_run_back_over_an_honorific_to_the_office(recognize: Callable[[str], ArticleDoc]) -> None:
    doc = recognize("التقى وزير الخارجية السعودي الأمير فيصل بن فرحان نظيره في لندن.")
    assert person(doc, "فيصل بن فرحان").roles == ["وزير الخارجية السعودي الأمير"]
