"""Person-name rules: a title before a listed given name, genealogy links, family names."""

from __future__ import annotations

from collections.abc import Iterator

from services.enricher.nlp.candidates import Candidate
from services.enricher.nlp.clitics import certain_strip, clitic_variants
from services.enricher.nlp.document import name_key
from services.enricher.nlp.normalize import normalize_token
from services.enricher.nlp.rules import (
    NAME_LINKS,
    RuleContext,
    is_place_nisba,
    lexicon_reading,
    raw_offset,
    spelled_as_name,
)

TITLE_REACH = 5  # words from a title to the في before its body: أستاذ العلوم السياسية في …
# regnal numbers after a sovereign's name, normalised
REGNAL = frozenset(
    map(normalize_token, ("الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن"))
)


def extend_persons(ctx: RuleContext, found: list[Candidate]) -> None:
    """Run a person's name on over genealogy links (`محمد بن عبدالعزيز الصفيان`, `آل سعود`,
    `عبد العزيز`) and from a lone given name to the family name after it (`سعد الخضر`)."""
    toks = ctx.tokens
    for cand in found:
        if cand.type != "PER":
            continue
        j = cand.tok_end
        if toks[j - 1].norm in NAME_LINKS:  # the tagger stopped on a link (`زين العابدين بن`)
            j -= 1
        while j + 1 < len(toks) and toks[j].norm in NAME_LINKS and ctx.is_word(j + 1):
            j += 2
            if toks[j - 1].norm == "عبد" and ctx.is_word(j):  # عبد + a divine name is one name
                j += 1
        if j < len(toks) and toks[j].norm in REGNAL:
            j += 1  # عبد الله الثاني, محمد السادس
        elif j < len(toks) and is_family_name(ctx, toks[j].norm):
            j += 1
        elif first_name_only(ctx, cand) and j < len(toks) and ctx.is_word(j):
            given = certain_strip(toks[cand.tok_start].norm)[1] in ctx.lexicons.given_names
            j += continues_name(ctx, toks[j].norm, after_given_name=given)
        if j > cand.tok_end or (j == cand.tok_end - 1 and j > cand.tok_start):
            cand.tok_end, cand.end = j, toks[j - 1].end


def other_family_names(ctx: RuleContext, found: list[Candidate], sure: float) -> None:
    """A two-word person span the tagger is unsure of, ending on the family name of another
    person of the article, starts at that family name unless its first word is in that person's
    name (`دي ميستورا` after `ستيفان دي ميستورا`) or a listed given name: `اعتبر رحيل الأسد`
    after `بشار الأسد` is the noun رحيل before the family name."""
    given = ctx.lexicons.given_names
    name_words: dict[str, set[str]] = {}  # family name → the other words of sure names ending on it
    for cand in found:
        if cand.type == "PER" and cand.score >= sure and cand.tok_end - cand.tok_start > 1:
            key = name_key(ctx, cand)
            name_words.setdefault(key[-1], set()).update(key[:-1])
    for cand in found:
        if cand.type != "PER" or cand.score >= sure or cand.tok_end - cand.tok_start != 2:
            continue
        first, last = name_key(ctx, cand)
        others = name_words.get(last)
        if others and first not in others and first not in given:
            cand.tok_start += 1
            cand.start = ctx.tokens[cand.tok_start].start


def nationals_over_places(ctx: RuleContext, cands: list[Candidate]) -> list[Candidate]:
    """Gazetteer places inside a tagged person's name right after a nationality are part of the
    name: `رئيسة الوزراء الإيطالية جورجيا ميلوني` is a person, not Georgia."""
    toks = ctx.tokens
    persons = [
        (c.tok_start, c.tok_end)
        for c in cands
        if c.type == "PER"
        and c.source == "crf"
        and c.tok_end - c.tok_start > 1
        and c.tok_start > 0
        and toks[c.tok_start - 1].norm.startswith("ال")
        and is_place_nisba(ctx, toks[c.tok_start - 1].norm)
    ]
    if not persons:
        return cands

    def inside(c: Candidate) -> bool:
        span = (c.tok_start, c.tok_end)
        return any(a <= span[0] and span[1] <= b and (a, b) != span for a, b in persons)

    return [c for c in cands if c.source != "gazetteer" or not inside(c)]


def titled_after_bodies(ctx: RuleContext, found: list[Candidate]) -> list[Candidate]:
    """A title, the body it heads (or that it is `في`), then a listed given name start a person's
    name: `رئيس الاتحاد الجزائري لكرة القدم وليد صادي`, `أستاذ العلوم السياسية في جامعة القاهرة
    حسن …`. The name runs on as after any lone given name."""
    toks, lex = ctx.tokens, ctx.lexicons
    out = []
    for body in found:
        k, s = body.tok_end, body.tok_start
        if body.type != "ORG" or s == 0 or k >= len(toks) or toks[k].norm not in lex.given_names:
            continue
        titled = ctx.is_title(s - 1) or (
            toks[s - 1].norm == "في" and any(ctx.is_title(t) for t in range(max(0, s - TITLE_REACH), s - 1))
        )
        if titled and spelled_as_name(toks[k]):  # not على
            out.append(ctx.candidate(k, k + 1, "PER", 0.85, "title"))
    extend_persons(ctx, out)
    return out


def first_name_only(ctx: RuleContext, cand: Candidate) -> bool:
    """The span is one word, or a compound first name (`عبد الفتاح`, `أبو بكر`)."""
    n = cand.tok_end - cand.tok_start
    return n == 1 or (n == 2 and ctx.tokens[cand.tok_start].norm in ("عبد", "ابو"))


def continues_name(ctx: RuleContext, word: str, *, after_given_name: bool) -> bool:
    """After a lone first name, a word that can be the family name: not a function word, title,
    verb of saying, head noun or nisba of a place, nor (unless the first name is a listed given
    name, which news rarely leaves alone) a clear non-name."""
    lex = ctx.lexicons
    if word in lex.function_words or word in lex.name_stops or word in lex.reporting_verbs:
        return False
    if (
        lexicon_reading(word, "titles")
        or lexicon_reading(word, "org_heads")
        or lexicon_reading(word, "generic_heads")
    ):
        return False
    if word.startswith("و") and (ctx.is_known(word[1:]) or ctx.is_name_like(word[1:])):
        return False  # و + a name is the next person (كيري ولافروف)
    if is_place_nisba(ctx, word) or not word.isalpha() or certain_strip(word)[0]:
        return False
    if word[0] in "بلكف" and ctx.namelike(word[1:]).startswith("O"):
        return False  # بإعادة, لتحقيق: a preposition and a noun
    if word.endswith("ا") and ctx.is_non_name(word):
        return False  # ازدحاما: an accusative noun, not a name
    return after_given_name or not ctx.is_non_name(word)


def is_family_name(ctx: RuleContext, word: str) -> bool:
    """A definite word after a person's name that reads as a family name (`اليامي`), not as the
    nisba of a known place (`الروسي`) or a common adjective."""
    if not word.startswith("ال") or word in ctx.lexicons.name_stops:
        return False
    return ctx.namelike(word) in ("PER2", "PER3") and not is_place_nisba(ctx, word)


def listed_people(ctx: RuleContext) -> Iterator[Candidate]:
    """Well-known people of the lexicon (`people.txt`), in full or by the short form news uses
    alone (`نتنياهو`, `أردوغان`); behind a proclitic too. A longer tagged name still wins."""
    toks, norms, people = ctx.tokens, ctx.norms, ctx.lexicons.people
    for i in ctx.positions("people"):  # the few words that can start one
        for offset, stem in clitic_variants(norms[i]):
            names = people.get(stem)
            hit = next((n for n in names or () if tuple(norms[i + 1 : i + len(n)]) == n[1:]), None)
            if hit is not None:
                start = raw_offset(toks[i], offset)
                yield Candidate(start, toks[i + len(hit) - 1].end, i, i + len(hit), "PER", 0.9, "title")
                break


def titled_given_names(ctx: RuleContext) -> Iterator[Candidate]:
    """A title, perhaps with its complement and a nationality or whom it speaks for, followed by a
    listed given name starts a person's name: `الرئيس باراك أوباما`, `المرشد الإيراني علي خامنئي`,
    `وزير النفط الكويتي طارق …`, `المتحدث باسم الوزارة أشرف …`. The name runs on over words the
    name-likeness model is fairly sure of."""
    lex, toks = ctx.lexicons, ctx.tokens
    for title in ctx.positions("titles"):
        if title > 0 and toks[title - 1].norm in NAME_LINKS:
            continue  # عبد الأمير, عبد الملك: a name, no title
        i = title
        if i + 2 < len(toks) and toks[i + 1].norm == "باسم":  # المتحدث باسم الوزارة أشرف …
            i = next(
                (k - 1 for k in range(i + 3, min(len(toks), i + 6)) if toks[k].norm in lex.given_names), i
            )
        elif i + 3 < len(toks) and definite_body(ctx, i + 1) and is_first_name(ctx, toks[i + 2].norm):
            i += 1  # رئيس البنك أجاي بانغا: the body the title heads, then the name
            yield ctx.candidate(i + 1, name_run(ctx, i + 2, i), "PER", 0.8, "title")
            continue
        else:  # وزير النفط الكويتي طارق …: the title's definite complement and adjectives first
            k = i
            while k + 2 < len(toks) and k - title < 3 and ctx.is_word(k + 1) and is_complement(ctx, k + 1):
                k += 1
            if k + 1 < len(toks) and toks[k + 1].norm in lex.given_names:
                i = k
        if i + 1 >= len(toks) or toks[i + 1].norm not in lex.given_names:
            continue
        if not spelled_as_name(toks[i + 1]):
            continue  # على, بأن: a function word (شدد الرئيس على …)
        yield ctx.candidate(i + 1, name_run(ctx, i + 2, i), "PER", 0.85, "title")


def is_complement(ctx: RuleContext, k: int) -> bool:
    """Token k is a definite word of a title phrase (`النفط`, `الكويتي`; `والمالية` coordinated
    with the one before: `وزيرة الاقتصاد والمالية`), not a given name."""
    word = ctx.tokens[k].norm
    return word.startswith(("ال", "وال")) and word not in ctx.lexicons.given_names


def definite_body(ctx: RuleContext, k: int) -> bool:
    """Token k is a definite official head (`البنك`, `للمنظمة`): the body a title before it heads."""
    return ctx.lex_variant(k, "org_heads") is not None and ctx.head_word(k, "org_heads").startswith("ال")


def is_first_name(ctx: RuleContext, word: str) -> bool:
    """A listed given name, or a word the name-likeness model is sure is a person's."""
    return word in ctx.lexicons.given_names or ctx.namelike(word) == "PER3"


def name_run(ctx: RuleContext, j: int, title: int) -> int:
    """Where a name that started before token j ends: it runs over words the name-likeness model
    is fairly sure of, at most four words after the title, and takes a definite family name last."""
    toks, lex = ctx.tokens, ctx.lexicons
    while j < len(toks) and j - title <= 4 and ctx.is_word(j):
        word = toks[j].norm
        if word.startswith("ال"):
            return j + is_family_name(ctx, word)  # a definite family name ends the name
        if word in lex.titles or word in lex.reporting_verbs or word in lex.function_words:
            break
        if word in lex.name_stops:  # أمس, اليوم: a time word after the name
            break
        if not ctx.is_name_like(word):  # a sure name word only: سيشارك is a verb
            break
        if j > title + 2 and word.startswith("و") and (ctx.is_known(word[1:]) or ctx.is_name_like(word[1:])):
            break  # جون كيري ولافروف: و and the next person
        j += 1
    return j
