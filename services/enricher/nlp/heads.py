"""Head-noun rules: official names that keep their head (`وزارة الخارجية الروسية`, `محافظة إدلب`),
names after generic heads that do not (`جماعة الحوثي`, `بلدة الفوعة`)."""

from __future__ import annotations

from collections.abc import Iterator

from services.enricher.nlp.candidates import Candidate
from services.enricher.nlp.clitics import certain_strip
from services.enricher.nlp.features import is_nisba
from services.enricher.nlp.rules import (
    NAME_LINKS,
    RuleContext,
    is_place_nisba,
    lexicon_reading,
    place_nisba,
    raw_offset,
)

MAX_NAME_TAIL = 5
MIN_NAME_CHARS = 3
MIN_PARTICIPLE_CHARS = 6  # ال + م + a three-letter root at least


def official_heads(ctx: RuleContext, found: list[Candidate]) -> Iterator[Candidate]:
    """Head nouns that belong to the name: `وزارة الخارجية الروسية`, `الجيش اللبناني`,
    `اللجنة المحلية للانتخابات البلدية`, `محافظة إدلب` (head + a found name), `منتخب إسبانيا`."""
    toks = ctx.tokens
    by_start = {c.tok_start: c for c in found}
    for i in ctx.positions("org_heads"):
        hit = ctx.lex_variant(i, "org_heads")
        if hit is None or i + 1 >= len(toks):
            continue
        offset, etype = hit
        start = raw_offset(toks[i], offset)
        nxt = by_start.get(i + 1)
        head = ctx.head_word(i, "org_heads")
        # a construct head joins the place or body named after it (محافظة إدلب, منتخب إسبانيا);
        # a definite head before a person is an apposition (الوزارة خالد …), not one name; a
        # head that is also generic stays out before a name (وكالة رويترز → رويترز)
        if (
            nxt is not None
            and nxt.start == toks[i + 1].start
            and nxt.type != "PER"
            and not head.startswith("ال")
            and head not in ctx.lexicons.generic_heads
        ):
            end = nxt.tok_end
            if end < len(toks) and is_adjective(ctx, toks[end].norm):
                end += 1  # قاعدة X الجوية, مطار Y العسكري, بنك الكويت الوطني
            yield Candidate(start, toks[end - 1].end, i, end, etype, max(nxt.score, 0.8), "head")  # type: ignore[arg-type]
            continue
        if etype == "LOC":
            word = toks[i + 1]
            compass = word.norm in ctx.lexicons.directions and ctx.is_word(i + 2)
            if ctx.is_word(i + 1) and (
                compass or place_name_word(ctx, word.norm, settlement=True, written=word.text)
            ):
                end = i + 1 + place_words(ctx, i + 1)  # مطار أبو X, قاعدة عين الأسد
                if end < len(toks) and is_adjective(ctx, toks[end].norm):
                    end += 1
                yield Candidate(start, toks[end - 1].end, i, end, "LOC", 0.75, "head")
            continue
        j = name_tail(ctx, i + 1, definite_head=head.startswith("ال"))
        if j > i + 2 and is_place_nisba(ctx, toks[j - 1].norm):
            named = (head, *ctx.norms[i + 1 : j - 1])
            if ctx.gazetteer.lookup(named) is not None:
                j -= 1  # حزب الله اللبناني: a known name keeps its country adjective out
        if j > i + 1:
            yield Candidate(start, toks[j - 1].end, i, j, "ORG", 0.8, "head")


def ministries(ctx: RuleContext) -> Iterator[Candidate]:
    """A ministry named by its portfolio and a feminine nationality, agreeing with the وزارة left
    out: `قالت الخارجية الروسية`, `الصحة الفلسطينية`. Not after a title or a head, whose
    complement the portfolio is (`وزيرة الخارجية الألمانية`, `وزارة الصحة الفلسطينية`), nor after
    a definite noun, whose adjective it is (`السياسة الداخلية الأمريكية`)."""
    toks = ctx.tokens
    for i in ctx.positions("portfolios"):
        if i + 1 >= len(toks):
            continue
        if i > 0 and (
            ctx.is_title(i - 1)
            or ctx.lex_variant(i - 1, "org_heads")
            or certain_strip(toks[i - 1].norm)[1].startswith("ال")
        ):
            continue
        nisba = toks[i + 1].norm
        if nisba.endswith("يه") and is_place_nisba(ctx, nisba):
            yield ctx.candidate(i, i + 2, "ORG", 0.8, "head")


def states(ctx: RuleContext) -> Iterator[Candidate]:
    """A state's official name: its head and up to three nisba adjectives, one of them a place's
    (`المملكة المغربية`, `الجمهورية الإسلامية الإيرانية`, `المملكة الأردنية الهاشمية`); after
    such a head an unsure country's nisba is one too (`المغربية`)."""
    toks, lex = ctx.tokens, ctx.lexicons
    for i in ctx.positions("state_heads"):
        end, placed = i + 1, False
        while end < min(len(toks), i + 4) and is_nisba(toks[end].norm, lex.nisba_endings):
            placed = placed or place_nisba(ctx.gazetteer, lex.nisba_endings, toks[end].norm, soft=True)
            end += 1
        if placed:
            yield ctx.candidate(i, end, "LOC", 0.8, "head")


def headed_groups(ctx: RuleContext, found: list[Candidate]) -> Iterator[Candidate]:
    """A name after a generic group or outlet head is an organisation's, the head left out:
    `جماعة الحوثي`, `مليشيا الحوثي`, `صحيفة الحياة`. A definite head with an adjective and a ل
    phrase is a whole name, head included: `الشركة السعودية للكهرباء`. A tagged person after
    the head running on into a listed given name is the group's name, then someone else."""
    by_start = {c.tok_start: c for c in found}
    toks = ctx.tokens
    for i in ctx.positions("generic_heads"):
        hit = ctx.lex_variant(i, "generic_heads")
        if hit is None or hit[1] != "ORG" or i + 1 >= len(toks):
            continue
        head = ctx.head_word(i, "generic_heads")
        definite = head.startswith("ال")
        if definite and is_name_adjective(ctx, toks[i + 1].norm):
            # `الشركة السعودية` is a description; with a ل phrase it is a name (… للكهرباء)
            j = name_tail(ctx, i + 1, definite_head=True)
            if any(toks[k].norm.startswith("ل") for k in range(i + 2, j)):
                yield Candidate(raw_offset(toks[i], hit[0]), toks[j - 1].end, i, j, "ORG", 0.8, "head")
            continue
        nxt = by_start.get(i + 1)
        club = head in ctx.lexicons.club_heads
        if nxt is None and club and club_name(ctx, i + 1):
            nxt = ctx.candidate(i + 1, i + 2, "ORG", 0.7, "head")
        if definite and nxt is not None and nxt.type == "PER":
            continue  # an apposition: رئيس الشركة براد سميث is a person
        if (
            nxt is not None
            and is_known_place(ctx, nxt)
            and head not in ctx.lexicons.outlet_heads
            and not club
        ):
            # a company's name may start with a place and go on (شركة قطر للطاقة); otherwise the
            # place is a verbal noun's object: بتنظيم قطر, موقع مصر (an outlet or a club may be
            # its namesake)
            end = company_name_end(ctx, nxt.tok_end) if head in ctx.lexicons.company_heads else None
            if end is None:
                continue
            nxt = ctx.candidate(nxt.tok_start, end, "ORG", nxt.score, "head")
        own = by_start.get(i)  # the tagger took the head into the name: مليشيا الحوثي
        if own is not None and own.tok_end > i + 1:
            nxt = ctx.candidate(i + 1, own.tok_end, "ORG", own.score, "head")
        if nxt is not None and nxt.type == "PER":  # `جماعة الحوثي محمد عبد السلام`: its spokesman
            end = next(
                (k for k in range(nxt.tok_start + 1, nxt.tok_end) if starts_another_name(ctx, k)), nxt.tok_end
            )
            if end < nxt.tok_end:
                yield ctx.candidate(end, nxt.tok_end, "PER", nxt.score, "title")
                nxt = ctx.candidate(nxt.tok_start, end, "ORG", nxt.score, "head")
        if nxt is not None:
            end = max(nxt.tok_end, lexicon_name_end(ctx, nxt.tok_start))  # the tagger cut it short
            yield Candidate(
                nxt.start, toks[end - 1].end, nxt.tok_start, end, "ORG", max(nxt.score, 0.8), "head"
            )


def company_name_end(ctx: RuleContext, k: int) -> int | None:
    """End of a company's name going on after its place at token k: adjectives, then one ل
    phrase (`قطر للطاقة`, `أبوظبي الوطنية للطاقة`); None if no ل phrase follows."""
    toks = ctx.tokens
    while k < len(toks) and is_name_adjective(ctx, toks[k].norm):
        k += 1
    return k + 1 if k < len(toks) and toks[k].norm.startswith("لل") else None


def club_name(ctx: RuleContext, k: int) -> bool:
    """Token k, after a club head, is a definite word that can name the club however common it
    is (`نادي الهلال`, `نادي النصر`): no adjective, participle or word that ends a name."""
    word = ctx.tokens[k].norm if ctx.is_word(k) else ""
    lex = ctx.lexicons
    return (
        word.startswith("ال")
        and word not in lex.name_stops
        and word not in lex.function_words
        and not is_name_adjective(ctx, word)
        and not is_participle(ctx, word)
    )


def lexicon_name_end(ctx: RuleContext, i: int) -> int:
    """End of the longest gazetteer name of any type, soft ones too, at token i (else i):
    `صحيفة الشرق الأوسط` names the paper in full however unsure the tagger is of `الأوسط`."""
    toks = ctx.tokens
    for n in range(min(ctx.gazetteer.max_len.get(toks[i].norm, 0), len(toks) - i), 0, -1):
        if ctx.gazetteer.lookup(tuple(ctx.norms[i : i + n])) is not None:
            return i + n
    return i


def is_known_place(ctx: RuleContext, cand: Candidate) -> bool:
    """The candidate was found as a place, and the gazetteer knows the place (المغرب, قطر)."""
    hit = ctx.gazetteer.lookup(tuple(ctx.norms[cand.tok_start : cand.tok_end]))
    return cand.type == "LOC" and hit is not None and hit[0] == "LOC"


def eponyms(ctx: RuleContext, found: list[Candidate]) -> Iterator[Candidate]:
    """A place or body named after a person, titled or not, is one name with its head, not a
    person: `جسر الملك فهد`, `جامعة الملك سعود`, `مستشفى رفيق الحريري الجامعي`. A tagged person running on
    into a listed given name not after a link is someone else, named after the body: `جامعة
    الملك سعود نورة الدوسري`."""
    toks, lex = ctx.tokens, ctx.lexicons
    persons = {c.tok_start: c for c in found if c.type == "PER"}
    for t in ctx.positions("titles"):
        hit = ctx.lex_variant(t - 1, "eponym_heads") if t > 0 else None
        if hit is None or ctx.head_word(t - 1, "eponym_heads").startswith("ال"):
            continue
        person = persons.get(t + 1)
        if person is not None:
            end = next(
                (k for k in range(t + 2, person.tok_end) if starts_another_name(ctx, k)), person.tok_end
            )
            if end < person.tok_end:
                yield ctx.candidate(end, person.tok_end, "PER", person.score, "title")
        elif t + 1 < len(toks) and toks[t + 1].norm in lex.given_names:
            end = t + 2
        else:
            continue
        end = name_tail(ctx, end, definite_head=True, after_name=True)  # الدولي, للإغاثة
        yield Candidate(raw_offset(toks[t - 1], hit[0]), toks[end - 1].end, t - 1, end, hit[1], 0.85, "head")  # type: ignore[arg-type]
    for h, person in ((p - 1, c) for p, c in persons.items() if p > 0):  # مستشفى رفيق الحريري الجامعي
        hit = ctx.lex_variant(h, "eponym_heads")
        if hit is not None and not ctx.head_word(h, "eponym_heads").startswith("ال"):
            end = name_tail(ctx, person.tok_end, definite_head=True, after_name=True)
            yield Candidate(raw_offset(toks[h], hit[0]), toks[end - 1].end, h, end, hit[1], 0.85, "head")  # type: ignore[arg-type]


def starts_another_name(ctx: RuleContext, k: int) -> bool:
    """Token k is a listed given name that does not follow a genealogy link (بن, عبد)."""
    return ctx.tokens[k].norm in ctx.lexicons.given_names and ctx.tokens[k - 1].norm not in NAME_LINKS


def name_tail(ctx: RuleContext, j: int, *, definite_head: bool, after_name: bool = False) -> int:
    """End of the words that continue an official name from token j. After a construct head
    (`وزارة`): a definite noun, perhaps a second one after و, then adjectives (`الخارجية الروسية`).
    After a definite head (`اللجنة`, `المحكمة`) or, with `after_name`, a name: nisba or official
    adjectives (`الوطنية`, `العليا`), then phrases with ل (`للانتخابات البلدية`, `لكرة القدم`)."""
    lex, toks = ctx.lexicons, ctx.tokens
    start, joined, described = j, False, False
    while j < len(toks) and j - start < MAX_NAME_TAIL and toks[j].norm.isalpha():
        word = toks[j].norm
        # a second noun of a construct head after و: وزارة التربية والتعليم, حزب الحرية والعدالة
        coordinated = (
            j == start + 1
            and not definite_head
            and word.startswith("وال")
            and len(word) > 4
            and ctx.gazetteer.lookup((word[1:],)) is None  # مجلس الأمن وألمانيا: a place of its own
        )
        if coordinated:
            word = word[1:]
        if word in lex.name_stops or word in lex.titles or word in lex.function_words:
            break
        definite = word.startswith("ال")
        adjective = coordinated or is_name_adjective(ctx, word) or (j > start and is_participle(ctx, word))
        lil_allowed = definite_head or described  # منظمة الدول المصدرة للنفط
        if lil_allowed and (j > start or after_name) and word.startswith("ل") and not definite:
            joined = True  # للانتخابات, لكرة: a ل phrase, then its definite words
        elif not definite or (not joined and not adjective and (definite_head or j > start)):
            break  # after `وزارة الطاقة` a definite noun is the verb's object (… التعليق), no adjective
        described = described or (adjective and j > start)
        j += 1
    return j


def is_participle(ctx: RuleContext, word: str) -> bool:
    """A definite participle used as an adjective (`المتحدة`, `المصدرة`): ال + م, no name-like word."""
    return word.startswith("الم") and len(word) >= MIN_PARTICIPLE_CHARS and ctx.namelike(word).startswith("O")


def is_name_adjective(ctx: RuleContext, word: str) -> bool:
    """A nisba or official adjective (`السعودية`, `العامة`), as official names carry them."""
    return is_nisba(word, ctx.lexicons.nisba_endings) or word in ctx.lexicons.official_adjectives


def is_adjective(ctx: RuleContext, word: str) -> bool:
    """A definite nisba adjective that is no place's (`الجوية`, not `السورية`)."""
    return is_nisba(word, ctx.lexicons.nisba_endings) and not is_place_nisba(ctx, word)


def headed_places(ctx: RuleContext) -> Iterator[Candidate]:
    """A generic place head and the name after it: `بلدة الفوعة` → LOC `الفوعة`; after a dual or
    plural head the name joined by و too (`بلدتي الفوعة وكفريا`)."""
    toks = ctx.tokens
    for i in ctx.positions("generic_heads"):
        hit = ctx.lex_variant(i, "generic_heads")
        if hit is None or hit[1] != "LOC" or not ctx.is_word(i + 1):
            continue
        head = ctx.head_word(i, "generic_heads")
        settlement = head in ctx.lexicons.settlement_heads
        k = i + 1  # the name's first word
        if toks[k].norm in ctx.lexicons.directions and ctx.is_word(k + 1):
            k += 1  # منطقة شرق حلب: the compass word is no name, the place after it is
        if not place_name_word(ctx, toks[k].norm, settlement=settlement, written=toks[k].text):
            continue
        yield ctx.candidate(k, k + place_words(ctx, k), "LOC", 0.7, "title")
        nxt = toks[k + 1].norm if k + 1 < len(toks) else ""
        plural = head.endswith(("تي", "ات"))
        if plural and nxt.startswith("و") and place_name_word(ctx, nxt[1:], settlement=settlement):
            yield Candidate(toks[k + 1].start + 1, toks[k + 1].end, k + 1, k + 2, "LOC", 0.7, "title")


def place_words(ctx: RuleContext, i: int) -> int:
    """How many words the place name starting at token i has: two after a link word (أبو, عين)
    or a compass word (محافظة شمال سيناء)."""
    norm, lex = ctx.tokens[i].norm, ctx.lexicons
    linked = norm in NAME_LINKS or norm in lex.place_links or norm in lex.directions
    return 2 if linked and ctx.is_word(i + 1) else 1


def place_name_word(ctx: RuleContext, word: str, *, settlement: bool, written: str = "") -> bool:
    """A word that can be a place's name after a generic head: one that looks like a name
    (`كفريا`, not `صغيرة`), or after a town or village head any definite word that is no
    adjective or function word (`بلدة الفوعة`). `written`, the word as written, tells a final
    ى (`سقطرى`) from an adjective's ي, which normalisation merges."""
    lex = ctx.lexicons
    if (
        word in lex.name_stops
        or word in lex.function_words
        or word in lex.directions  # a compass word alone names nothing (محافظة شمال)
        or len(word) < MIN_NAME_CHARS
        or not word.isalpha()
    ):
        return False
    if (
        is_nisba(word, lex.nisba_endings)
        or lexicon_reading(word, "titles")
        or lexicon_reading(word, "org_heads")
    ):
        return False
    adjective = word.endswith(("يه", "ي")) and not written.endswith("ى")
    if not word.startswith("ال") and adjective and not ctx.is_known(word):
        return False  # قاعدة جوية: an adjective, not a name
    if word in NAME_LINKS or word in lex.place_links:
        return True  # أبو, عين: the first word of a compound name
    return (settlement and word.startswith("ال")) or not ctx.namelike(word).startswith("O")
