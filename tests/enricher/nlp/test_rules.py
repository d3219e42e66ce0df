"""Rule families (rules, heads, persons), on hand-built contexts (no tagger): spans are raw-text offsets."""

from collections.abc import Callable

from services.enricher.nlp import heads, persons, rules
from services.enricher.nlp.candidates import Candidate, resolve
from services.enricher.nlp.lexicons import load_lexicons
from services.enricher.nlp.rules import RuleContext

Make = Callable[..., RuleContext]


def spans(ctx: RuleContext, cands: list[Candidate]) -> list[tuple[str, str]]:
    return [(ctx.text[c.start : c.end], c.type) for c in cands]


def test_rules_quoted_name_after_agency_head(rule_context: Make) -> None:
    ctx = rule_context("ذكرت وكالة «الأنباء الكبرى» للأنباء أن الاجتماع انتهى.")
    assert spans(ctx, list(rules.quoted(ctx))) == [("الأنباء الكبرى", "ORG")]


def test_rules_quoted_name_with_straight_and_curly_marks(rule_context: Make) -> None:
    ctx = rule_context('أعلن تنظيم "جيش الشمال" وحركة “الفجر الجديد” مسؤوليتهما.')
    assert spans(ctx, list(rules.quoted(ctx))) == [("جيش الشمال", "ORG"), ("الفجر الجديد", "ORG")]


def test_rules_quoted_name_needs_a_word_after_the_opening_mark(rule_context: Make) -> None:
    # the closing mark of one quote and the opening mark of the next enclose no name
    ctx = rule_context('وقال إنه لم يبلغ بالهدم في القرية". وأضاف أن "الهدم غير قانوني".')
    assert list(rules.quoted(ctx)) == []


def test_rules_quoted_outlet_after_lil(rule_context: Make) -> None:
    ctx = rule_context("وأكد مصدر مسؤول لـ«الشرق الأوسط» أن التحقيق مستمر.")
    assert spans(ctx, list(rules.quoted(ctx))) == [("الشرق الأوسط", "ORG")]


def test_rules_quoted_phrase_without_head_is_no_name(rule_context: Make) -> None:
    ctx = rule_context("رفض الوزير تكرار «السيناريو القديم» في المنطقة.")
    assert list(rules.quoted(ctx)) == []


def test_rules_official_head_keeps_ministry_and_nisba(rule_context: Make) -> None:
    ctx = rule_context("وقالت وزارة الخارجية الفرنسية إن الوفد وصل.")
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("وزارة الخارجية الفرنسية", "ORG")]


def test_rules_official_head_stops_at_a_second_noun(rule_context: Make) -> None:
    # after the construct head's noun only adjectives continue the name; التعليق is رفض's object
    ctx = rule_context("ورفض متحدث باسم وزارة الطاقة التعليق على الأمر.")
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("وزارة الطاقة", "ORG")]


def test_rules_official_head_runs_over_lil_phrase_and_stops_at_relative(rule_context: Make) -> None:
    ctx = rule_context("أعلنت اللجنة الوطنية للانتخابات البلدية التي تشكلت أمس النتائج.")
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("اللجنة الوطنية للانتخابات البلدية", "ORG")]


def test_rules_official_head_after_clitic_excludes_it(rule_context: Make) -> None:
    ctx = rule_context("واتصل بوزارة الدفاع مسؤولون.")
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("وزارة الدفاع", "ORG")]


def test_rules_place_head_joins_found_name(rule_context: Make) -> None:
    ctx = rule_context("وقع الانفجار في محافظة نينوى شمالا.")
    found = [ctx.candidate(4, 5, "LOC", 0.9, "crf")]
    assert spans(ctx, list(heads.official_heads(ctx, found))) == [("محافظة نينوى", "LOC")]


def test_rules_glued_places_offsets_skip_conjunction(rule_context: Make) -> None:
    text = "اجتماع بين فرنساوألمانيا اليوم"
    ctx = rule_context(text)
    assert spans(ctx, list(rules.glued(ctx))) == [("فرنسا", "LOC"), ("ألمانيا", "LOC")]


def test_rules_glued_offsets_survive_diacritics(rule_context: Make) -> None:
    ctx = rule_context("بين فَرَنسا والصين")
    assert list(rules.glued(ctx)) == []  # not glued: two tokens
    ctx = rule_context("بين فَرَنساوالصين")
    assert spans(ctx, list(rules.glued(ctx))) == [("فَرَنسا", "LOC"), ("الصين", "LOC")]


def test_rules_title_and_given_name_start_a_person(rule_context: Make) -> None:
    ctx = rule_context("استقبل الرئيس خالد الزهراني الوفد.", names=frozenset({"الزهراني"}))
    assert spans(ctx, list(persons.titled_given_names(ctx))) == [("خالد الزهراني", "PER")]


def test_rules_headed_place_after_generic_head(rule_context: Make) -> None:
    ctx = rule_context("اشتباكات في بلدة كفرنبودة الليلة.", names=frozenset({"كفرنبوده"}))
    assert spans(ctx, list(heads.headed_places(ctx))) == [("كفرنبودة", "LOC")]


def test_rules_countryside_head_stays_out_of_the_place(rule_context: Make) -> None:
    # ريف is no administrative unit: the place is the name after it (ريف دمشق is a listed name)
    ctx = rule_context("قصفت الطائرات مواقع في ريف حلب الشمالي.", names=frozenset({"حلب"}))
    assert spans(ctx, list(heads.headed_places(ctx))) == [("حلب", "LOC")]
    assert list(heads.official_heads(ctx, [])) == []


def test_rules_definite_generic_head_with_adjective_and_lil_phrase_is_a_name(rule_context: Make) -> None:
    ctx = rule_context("وأعلنت الشركة الوطنية للنفط أن الإنتاج ارتفع.")
    assert spans(ctx, list(heads.headed_groups(ctx, []))) == [("الشركة الوطنية للنفط", "ORG")]
    ctx = rule_context("وقالت الشركة السعودية إن الأرباح ارتفعت.")  # a description, no name
    assert list(heads.headed_groups(ctx, [])) == []
    ctx = rule_context("وقال بيان صادر عن القيادة العامة للقوات المسلحة إن الدفاعات تصدت للهجوم.")
    assert spans(ctx, list(heads.headed_groups(ctx, []))) == [("القيادة العامة للقوات المسلحة", "ORG")]


def test_rules_club_head_names_the_club(rule_context: Make) -> None:
    # a common definite word or a city after نادي is the club's name; an adjective is not
    ctx = rule_context("فاز نادي الهلال على ضيفه، وتعاقد نادي ليون مع لاعب من النادي الأهلي ونادي السعودية.")
    lyon = ctx.candidate(8, 9, "LOC", 0.9, "gazetteer")
    assert spans(ctx, list(heads.headed_groups(ctx, [lyon]))) == [("الهلال", "ORG"), ("ليون", "ORG")]


def test_rules_ministry_named_by_its_portfolio(rule_context: Make) -> None:
    # with a feminine nationality the portfolio is the ministry; not a title's complement, nor an
    # adjective of a definite noun
    ctx = rule_context(
        "وقالت الخارجية الروسية إن وزيرة الخارجية الألمانية انتقدت السياسة الداخلية الأمريكية، "
        "وفرضت الخزانة الأمريكية عقوبات."
    )
    assert spans(ctx, list(heads.ministries(ctx))) == [
        ("الخارجية الروسية", "ORG"),
        ("الخزانة الأمريكية", "ORG"),
    ]


def test_rules_state_named_by_head_and_nisba_adjectives(rule_context: Make) -> None:
    # a place's nisba among them makes the name; an unsure country (المغرب) counts after the head
    ctx = rule_context(
        "وقعت المملكة المغربية والجمهورية الإسلامية الإيرانية اتفاقا، وحضر ممثل الجمهورية الخامسة."
    )
    assert spans(ctx, list(heads.states(ctx))) == [
        ("المملكة المغربية", "LOC"),
        ("الجمهورية الإسلامية الإيرانية", "LOC"),
    ]


def test_rules_title_complement_may_be_coordinated(rule_context: Make) -> None:
    ctx = rule_context("وحضرت وزيرة الاقتصاد والمالية نادية العلوي الاجتماع.", names=frozenset({"العلوي"}))
    assert spans(ctx, list(persons.titled_given_names(ctx))) == [("نادية العلوي", "PER")]


def test_rules_extend_person_over_genealogy(rule_context: Make) -> None:
    ctx = rule_context("التقى فهد بن سالم آل مبارك بالوفد.")
    found = [ctx.candidate(1, 2, "PER", 0.9, "crf")]
    persons.extend_persons(ctx, found)
    assert spans(ctx, found) == [("فهد بن سالم آل مبارك", "PER")]


def test_rules_span_start_leaves_proclitics_out(rule_context: Make) -> None:
    ctx = rule_context("وبيروت وللجيش ووليد", names=frozenset({"بيروت"}))
    assert ctx.text[ctx.span_start(0) :].startswith("بيروت")  # known place after و+ب
    assert ctx.text[ctx.span_start(1) :].startswith("لجيش")  # لل: after the first ل
    assert ctx.text[ctx.span_start(2) :].startswith("وليد")  # و + a listed given name


def test_rules_resolve_keeps_outermost_without_overlaps(rule_context: Make) -> None:
    ctx = rule_context("قالت وزارة الخارجية الفرنسية")
    inner = ctx.candidate(3, 4, "LOC", 0.9, "crf")
    outer = ctx.candidate(1, 4, "ORG", 0.8, "head")
    assert spans(ctx, resolve([inner, outer])) == [("وزارة الخارجية الفرنسية", "ORG")]


def test_rules_official_head_definite_takes_official_adjective_and_li_phrase(rule_context: Make) -> None:
    ctx = rule_context("قرر الاتحاد الآسيوي لكرة القدم تأجيل المباراة.")
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("الاتحاد الآسيوي لكرة القدم", "ORG")]
    ctx = rule_context("ورفضت المحكمة العليا الطعن.")
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("المحكمة العليا", "ORG")]


def test_rules_construct_head_stops_before_li_phrase(rule_context: Make) -> None:
    ctx = rule_context("وأوضحت وزارة الصحة للصحفيين أن الحالات تراجعت.")
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("وزارة الصحة", "ORG")]


def test_rules_place_head_with_unknown_name_and_adjective(rule_context: Make) -> None:
    ctx = rule_context("هبطت الطائرة في قاعدة زيرونا الجوية مساء.", names=frozenset({"زيرونا"}))
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("قاعدة زيرونا الجوية", "LOC")]


def test_rules_group_head_makes_the_name_an_organisation(rule_context: Make) -> None:
    ctx = rule_context("هاجمت جماعة النمور مواقع الجيش.")
    found = [ctx.candidate(2, 3, "PER", 0.7, "crf")]
    assert spans(ctx, list(heads.headed_groups(ctx, found))) == [("النمور", "ORG")]


def test_rules_town_head_takes_definite_name_and_conjoined_second(rule_context: Make) -> None:
    ctx = rule_context("حوصرت بلدتي الزهراء وكفرنبل منذ أشهر.", names=frozenset({"كفرنبل"}))
    assert spans(ctx, list(heads.headed_places(ctx))) == [("الزهراء", "LOC"), ("كفرنبل", "LOC")]


def test_rules_other_place_heads_need_a_name_like_word(rule_context: Make) -> None:
    ctx = rule_context("تقع منطقة الإجراءات قرب المدخل.")
    assert list(heads.headed_places(ctx)) == []


def test_rules_lone_given_name_runs_on_to_family_name_but_not_to_next_person(rule_context: Make) -> None:
    ctx = rule_context("التقى خالد الرميثي وزير الطاقة.")
    found = [ctx.candidate(1, 2, "PER", 0.9, "crf")]
    persons.extend_persons(ctx, found)
    assert spans(ctx, found) == [("خالد الرميثي", "PER")]
    ctx = rule_context("التقى خالد وسامي في الدوحة.", names=frozenset({"سامي"}))
    found = [ctx.candidate(1, 2, "PER", 0.9, "crf")]
    persons.extend_persons(ctx, found)
    assert spans(ctx, found) == [("خالد", "PER")]


def test_rules_gazetteer_name_after_clitic_starts_after_it(rule_context: Make) -> None:
    ctx = rule_context("وصل الفريق لمانشستر يونايتد أمس.")
    assert spans(ctx, list(rules.gazetteer_names(ctx, 0, len(ctx.tokens)))) == [("مانشستر يونايتد", "ORG")]


def test_rules_group_head_taken_into_a_tagged_span_is_left_out(rule_context: Make) -> None:
    ctx = rule_context("تقدمت مليشيا النمور نحو المدينة.")
    found = [ctx.candidate(1, 3, "PER", 0.7, "crf")]
    assert spans(ctx, list(heads.headed_groups(ctx, found))) == [("النمور", "ORG")]


def test_rules_clitic_kept_when_only_a_soft_place_would_explain_it(rule_context: Make) -> None:
    ctx = rule_context("عاشوا في كهوف الجبل")
    assert ctx.span_start(2) == ctx.tokens[2].start


def test_rules_agency_head_kept_in_a_descriptive_name_but_not_before_a_proper_name(
    rule_context: Make,
) -> None:
    ctx = rule_context("أفادت وكالة الأنباء الأردنية بأن الوفد وصل.")
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("وكالة الأنباء الأردنية", "ORG")]
    ctx = rule_context("ونقلت وكالة رويترز عن مسؤول.")
    found = [ctx.candidate(2, 3, "ORG", 0.9, "gazetteer")]
    assert list(heads.official_heads(ctx, found)) == []


def test_rules_place_spelled_like_clitic_and_article_stays_whole(rule_context: Make) -> None:
    ctx = rule_context("وصل الفريق إلى باليرمو مساء")
    assert ctx.span_start(3) == ctx.tokens[3].start  # not ب + اليرمو


def test_rules_place_head_runs_over_a_name_link(rule_context: Make) -> None:
    ctx = rule_context("قصفت الطائرات مطار أبو الزهور العسكري فجرا.")
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("مطار أبو الزهور العسكري", "LOC")]


def test_rules_place_or_body_named_after_a_titled_person(rule_context: Make) -> None:
    # even a time word the name-likeness model took for a name ends the person's name
    ctx = rule_context(
        "وعبرت الشاحنات جسر الملك فهد أمس إلى مركز الملك سلمان للإغاثة.", names=frozenset({"امس"})
    )
    found = list(persons.titled_given_names(ctx))
    assert spans(ctx, found) == [("فهد", "PER"), ("سلمان", "PER")]
    assert spans(ctx, list(heads.eponyms(ctx, found))) == [
        ("جسر الملك فهد", "LOC"),
        ("مركز الملك سلمان للإغاثة", "ORG"),
    ]
    ctx = rule_context("وقال الملك سلمان إن الجسر سيفتح.")  # no head: the person stays
    assert list(heads.eponyms(ctx, list(persons.titled_given_names(ctx)))) == []


def test_rules_place_name_after_a_link_word_has_two_words(rule_context: Make) -> None:
    ctx = rule_context("استهدف الهجوم قاعدة عين الأسد وبلدة عين العرب.")
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("قاعدة عين الأسد", "LOC")]
    assert spans(ctx, list(heads.headed_places(ctx))) == [("عين العرب", "LOC")]


def test_rules_compass_word_after_a_place_head(rule_context: Make) -> None:
    # an official head keeps the compass word in the name; after a generic head the place is the
    # name; a compass word alone names nothing
    ctx = rule_context(
        "نزح السكان من ولاية جنوب كردفان إلى منطقة شرق كسلا ثم إلى محافظة شمال.",
        names=frozenset({"كسلا", "كردفان"}),
    )
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("ولاية جنوب كردفان", "LOC")]
    assert spans(ctx, list(heads.headed_places(ctx))) == [("كسلا", "LOC")]


def test_rules_abbreviation_in_brackets_after_an_organisation(rule_context: Make) -> None:
    ctx = rule_context("دعا حلف شمال الأطلسي (ناتو) وهيئة الإذاعة البريطانية (بي بي سي) والجيش (شرق لبنان).")
    found = [ctx.candidate(1, 4, "ORG", 0.9, "gazetteer"), ctx.candidate(7, 10, "ORG", 0.9, "head")]
    found.append(ctx.candidate(15, 16, "ORG", 0.9, "head"))
    assert spans(ctx, list(rules.abbreviations(ctx, found))) == [("ناتو", "ORG"), ("بي بي سي", "ORG")]


def test_rules_title_nationality_and_given_name_start_a_person(rule_context: Make) -> None:
    ctx = rule_context(
        "وقال المرشد الإيراني علي خامنئي إن بلاده لن تغلق المضيق.", names=frozenset({"خامنئي"})
    )
    assert spans(ctx, list(persons.titled_given_names(ctx))) == [("علي خامنئي", "PER")]
    ctx = rule_context("وشدد الرئيس على أهمية الحوار.")  # على, the preposition
    assert list(persons.titled_given_names(ctx)) == []


def test_rules_spokesman_for_a_body_then_a_given_name_starts_a_person(rule_context: Make) -> None:
    ctx = rule_context(
        "وقال المتحدث باسم الوزارة أشرف القدرة إن المستشفيات خرجت عن الخدمة.", names=frozenset({"القدره"})
    )
    assert spans(ctx, list(persons.titled_given_names(ctx))) == [("أشرف القدرة", "PER")]


def test_rules_official_name_runs_over_a_participle_and_its_lil_phrase(rule_context: Make) -> None:
    ctx = rule_context("أعلنت منظمة الدول المصدرة للنفط خفض الإنتاج.")
    ctx.namelike = lambda word: "O3"  # participles and nouns alike: no names here
    assert spans(ctx, list(heads.official_heads(ctx, []))) == [("منظمة الدول المصدرة للنفط", "ORG")]


def test_rules_person_after_a_definite_group_head_stays_a_person(rule_context: Make) -> None:
    ctx = rule_context("وقال رئيس الشركة براد سميث إن الاستثمار تاريخي.")
    assert list(heads.headed_groups(ctx, [ctx.candidate(3, 5, "PER", 0.9, "crf")])) == []
    ctx = rule_context("وقالت شركة أرامكو إن الأرباح ارتفعت.")  # a construct head names its company
    assert spans(ctx, list(heads.headed_groups(ctx, [ctx.candidate(2, 3, "PER", 0.6, "crf")]))) == [
        ("أرامكو", "ORG")
    ]


def test_lexicons_are_loaded_once_per_process() -> None:
    # rules look lexicons up per token; reading the files again each time is quadratic on long bodies
    assert load_lexicons() is load_lexicons()
