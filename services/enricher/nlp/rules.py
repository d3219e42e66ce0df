"""Rules that beat the tagger: quoted names after a head noun, gazetteer names, official-name head
nouns, glued words and title + given name. Each rule family returns `Candidate`s."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from services.enricher.nlp.candidates import Candidate
from services.enricher.nlp.clitics import certain_strip, clitic_variants
from services.enricher.nlp.doc import EntityType, Token
from services.enricher.nlp.features import is_nisba
from services.enricher.nlp.gazetteer import Gazetteer
from services.enricher.nlp.lexicons import Lexicons, load_lexicons
from services.enricher.nlp.normalize import raw_index_map

QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"', "‹": "›"}
MAX_QUOTED_WORDS = 6
MAX_NAME_TAIL = 5
MIN_GLUED_TOKEN = 7
NAME_CLASSES = ("PER", "LOC", "ORG")
STRIP_MARGIN = 0.1
STRIP_PROB = 0.5
MIN_NAME_CHARS = 3


def raw_offset(token: Token, norm_offset: int) -> int:
    """Character offset in the raw text of a position in the token's normalised form."""
    if norm_offset == 0:
        return token.start
    if len(token.text) == len(token.norm):
        return token.start + norm_offset
    return token.start + raw_index_map(token.text)[norm_offset]


@dataclass(slots=True)
class RuleContext:
    """What the rules read about one article: tokens and the lookup resources."""

    text: str
    tokens: list[Token]
    lexicons: Lexicons
    gazetteer: Gazetteer
    known: frozenset[str]  # words the tagger learned as entity words, and confident names of this article
    namelike: Callable[[str], str]  # word → name-likeness bucket (PER2, LOC1, O2…)
    name_prob: Callable[[str], float]  # word → probability that it is a name word
    _positions: dict[str, list[int]] = field(default_factory=dict)

    def stem(self, i: int) -> str:
        return certain_strip(self.tokens[i].norm)[1]

    def is_word(self, i: int) -> bool:
        return 0 <= i < len(self.tokens) and self.tokens[i].norm.isalnum()

    def is_known(self, word: str) -> bool:
        """A name word the tagger, the gazetteer's hard names, the given-name list or this article
        vouches for (soft gazetteer names are too often common words: كهوف is no ك + هوف)."""
        if word in self.known or word in self.lexicons.given_names:
            return True
        hit = self.gazetteer.lookup((word,))
        return hit is not None and hit[1]

    def is_name_like(self, word: str) -> bool:
        """The name-likeness model is fairly sure the word belongs to a name (bucket 2 or 3)."""
        label = self.namelike(word)
        return label[:3] in NAME_CLASSES and label[3:] != "1"

    def is_non_name(self, word: str) -> bool:
        """The name-likeness model is very sure the word is no name and nothing vouches for it."""
        return self.namelike(word) in ("O2", "O3") and not self.is_known(word)

    def span_start(self, i: int) -> int:
        """Where a name starting at token i begins once its proclitics are left out.

        Clitics before ال/لل are certain. A bare و/ف/ب/ك/ل is stripped when the rest is a known
        name and the whole word is not (وليد stays, بسورية loses ب); failing that, a leading و
        is stripped when the rest looks more like a name than the whole word does (ولافروف).
        ف is left alone: names begin with it (فيصل, فرنسوا) far more often than the conjunction
        ف comes before a name.
        """
        norm = self.tokens[i].norm
        lex = self.lexicons
        if self.is_known(norm) or norm in lex.org_heads or norm in lex.generic_heads:
            return self.tokens[i].start
        offset = certain_strip(norm)[0]
        if offset:
            return raw_offset(self.tokens[i], offset)
        variants = clitic_variants(norm)[1:]
        for off, rest in variants:
            if self.is_known(rest):
                return raw_offset(self.tokens[i], off)
        rest_prob = self.name_prob(variants[0][1]) if variants else 0.0
        likelier = rest_prob > min(STRIP_PROB, self.name_prob(norm) + STRIP_MARGIN)
        if likelier and norm[0] == "و" and len(norm) > 4:
            return raw_offset(self.tokens[i], 1)
        return self.tokens[i].start

    def positions(self, table: str) -> list[int]:
        """Indices of the tokens with a clitic reading in the named lexicon table (computed once)."""
        if not self._positions:
            self._positions = {name: [] for name in POSITION_TABLES}
            for i, tok in enumerate(self.tokens):
                for name in lexicon_tables(tok.norm):
                    self._positions[name].append(i)
        return self._positions[table]

    def head_word(self, i: int, table: str) -> str:
        """The clitic reading of token i that the named lexicon table knows (`بلدتي` in `لبلدتي`)."""
        found = lexicon_reading(self.tokens[i].norm, table)
        offset = found[0] if found else 0
        return next(stem for off, stem in clitic_variants(self.tokens[i].norm) if off == offset)

    def lex_variant(self, i: int, table: str) -> tuple[int, str] | None:
        """(clitic offset, value) of the first clitic reading of token i in the named lexicon table."""
        return lexicon_reading(self.tokens[i].norm, table)

    def candidate(self, i: int, j: int, etype: EntityType, score: float, source: str) -> Candidate:
        """A candidate over tokens [i, j), proclitics of token i left out."""
        return Candidate(self.span_start(i), self.tokens[j - 1].end, i, j, etype, score, source)


@lru_cache(maxsize=200_000)
def lexicon_reading(norm: str, table: str) -> tuple[int, str] | None:
    """(clitic offset, value) of the first clitic reading of a word found in a lexicon table
    (`org_heads`, `generic_heads`…) of the process-wide lexicons."""
    entries: Mapping[str, str] = getattr(load_lexicons(), table)
    for offset, stem in clitic_variants(norm):
        value = entries.get(stem)
        if value is not None:
            return offset, value
    return None


POSITION_TABLES = ("org_heads", "generic_heads", "titles")


@lru_cache(maxsize=200_000)
def lexicon_tables(norm: str) -> tuple[str, ...]:
    """The position tables in which some clitic reading of the word is found."""
    return tuple(name for name in POSITION_TABLES if lexicon_reading(norm, name) is not None)


def quoted(ctx: RuleContext) -> Iterator[Candidate]:
    """`وكالة «إنترفاكس»`, `تنظيم "جبهة النصرة"`: the name inside the marks after a head noun."""
    toks = ctx.tokens
    for head in sorted({*ctx.positions("generic_heads"), *ctx.positions("org_heads")}):
        i = head + 1
        close = QUOTE_PAIRS.get(toks[i].text) if i < len(toks) else None
        hit = ctx.lex_variant(head, "generic_heads") or ctx.lex_variant(head, "org_heads")
        if close is None or hit is None:
            continue
        etype = hit[1]
        for j in range(i + 1, min(i + 2 + MAX_QUOTED_WORDS, len(toks))):
            if toks[j].text == close:
                if j > i + 1:
                    yield Candidate(toks[i + 1].start, toks[j - 1].end, i + 1, j, etype, 0.95, "quoted")  # type: ignore[arg-type]
                break


def gazetteer_names(ctx: RuleContext, first: int, last: int) -> Iterator[Candidate]:
    """Hard gazetteer names in tokens [first, last)."""
    toks = ctx.tokens
    for m in ctx.gazetteer.match_sentence(tuple(t.norm for t in toks[first:last])):
        if m.hard:
            i, j = first + m.start, first + m.end
            start = raw_offset(toks[i], clitic_variants(toks[i].norm)[m.reading][0])
            yield Candidate(start, toks[j - 1].end, i, j, m.type, 0.9, "gazetteer")  # type: ignore[arg-type]


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
        if nxt is not None and nxt.start == toks[i + 1].start:
            end = nxt.tok_end
            if etype == "LOC" and end < len(toks) and is_adjective(ctx, toks[end].norm):
                end += 1  # قاعدة X الجوية, مطار Y العسكري
            yield Candidate(start, toks[end - 1].end, i, end, etype, max(nxt.score, 0.8), "head")  # type: ignore[arg-type]
            continue
        if etype == "LOC":
            if ctx.is_word(i + 1) and place_name_word(ctx, toks[i + 1].norm, settlement=True):
                end = i + 2
                if end < len(toks) and is_adjective(ctx, toks[end].norm):
                    end += 1
                yield Candidate(start, toks[end - 1].end, i, end, "LOC", 0.75, "head")
            continue
        head = ctx.head_word(i, "org_heads")
        j = name_tail(ctx, i + 1, definite_head=head.startswith("ال"))
        if j > i + 2 and is_place_nisba(ctx, toks[j - 1].norm):
            named = (head, *(t.norm for t in toks[i + 1 : j - 1]))
            if ctx.gazetteer.lookup(named) is not None:
                j -= 1  # حزب الله اللبناني: a known name keeps its country adjective out
        if j > i + 1:
            yield Candidate(start, toks[j - 1].end, i, j, "ORG", 0.8, "head")


def headed_groups(ctx: RuleContext, found: list[Candidate]) -> Iterator[Candidate]:
    """A name after a generic group or outlet head is an organisation's, the head left out:
    `جماعة الحوثي`, `مليشيا الحوثي`, `صحيفة الحياة`."""
    by_start = {c.tok_start: c for c in found}
    toks = ctx.tokens
    for i in ctx.positions("generic_heads"):
        hit = ctx.lex_variant(i, "generic_heads")
        if hit is None or hit[1] != "ORG" or i + 1 >= len(toks):
            continue
        nxt = by_start.get(i + 1)
        own = by_start.get(i)  # the tagger took the head into the name: مليشيا الحوثي
        if own is not None and own.tok_end > i + 1:
            nxt = ctx.candidate(i + 1, own.tok_end, "ORG", own.score, "head")
        if nxt is not None:
            yield Candidate(
                nxt.start, nxt.end, nxt.tok_start, nxt.tok_end, "ORG", max(nxt.score, 0.8), "head"
            )


def name_tail(ctx: RuleContext, j: int, *, definite_head: bool) -> int:
    """End of the words that continue an official name from token j. After a construct head
    (`وزارة`): definite nouns and adjectives (`الخارجية الروسية`). After a definite head
    (`اللجنة`, `المحكمة`): nisba or official adjectives (`الوطنية`, `العليا`), then phrases with
    ل (`للانتخابات البلدية`, `لكرة القدم`)."""
    lex, toks = ctx.lexicons, ctx.tokens
    start, joined = j, False
    while j < len(toks) and j - start < MAX_NAME_TAIL and toks[j].norm.isalpha():
        word = toks[j].norm
        if word in lex.name_stops or word in lex.titles or word in lex.function_words:
            break
        definite = word.startswith("ال")
        adjective = is_nisba(word, lex.nisba_endings) or word in lex.official_adjectives
        if definite_head and j > start and word.startswith("ل") and not definite:
            joined = True  # للانتخابات, لكرة: a ل phrase, then its definite words
        elif not definite or (definite_head and not joined and not adjective):
            break
        j += 1
    return j


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
        if not place_name_word(ctx, toks[i + 1].norm, settlement=settlement):
            continue
        yield ctx.candidate(i + 1, i + 2, "LOC", 0.7, "title")
        nxt = toks[i + 2].norm if i + 2 < len(toks) else ""
        plural = head.endswith(("تي", "ات"))
        if plural and nxt.startswith("و") and place_name_word(ctx, nxt[1:], settlement=settlement):
            yield Candidate(toks[i + 2].start + 1, toks[i + 2].end, i + 2, i + 3, "LOC", 0.7, "title")


def place_name_word(ctx: RuleContext, word: str, *, settlement: bool) -> bool:
    """A word that can be a place's name after a generic head: one that looks like a name
    (`كفريا`, not `صغيرة`), or after a town or village head any definite word that is no
    adjective or function word (`بلدة الفوعة`)."""
    lex = ctx.lexicons
    if (
        word in lex.name_stops
        or word in lex.function_words
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
    if not word.startswith("ال") and word.endswith(("يه", "ي")) and not ctx.is_known(word):
        return False  # قاعدة جوية: an adjective, not a name
    return (settlement and word.startswith("ال")) or not ctx.namelike(word).startswith("O")


PERSON_LINKS = frozenset({"بن", "بنت", "ابن", "ال", "ابو", "ام", "عبد"})


def extend_persons(ctx: RuleContext, found: list[Candidate]) -> None:
    """Run a person's name on over genealogy links (`محمد بن عبدالعزيز الصفيان`, `آل سعود`,
    `عبد العزيز`) and from a lone given name to the family name after it (`سعد الخضر`)."""
    toks = ctx.tokens
    for cand in found:
        if cand.type != "PER":
            continue
        j = cand.tok_end
        while j + 1 < len(toks) and toks[j].norm in PERSON_LINKS and ctx.is_word(j + 1):
            j += 2
            if toks[j - 1].norm == "عبد" and ctx.is_word(j):  # عبد + a divine name is one name
                j += 1
        if j < len(toks) and is_family_name(ctx, toks[j].norm):
            j += 1
        elif j == cand.tok_start + 1 and j < len(toks) and ctx.is_word(j):
            given = certain_strip(toks[cand.tok_start].norm)[1] in ctx.lexicons.given_names
            j += continues_name(ctx, toks[j].norm, after_given_name=given)
        if j > cand.tok_end:
            cand.tok_end, cand.end = j, toks[j - 1].end


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


def is_place_nisba(ctx: RuleContext, word: str) -> bool:
    """`الروسي`, `السورية`, `اللبنانيين`: the adjective of a place the gazetteer knows."""
    stem = word[2:] if word.startswith("ال") else word
    for ending in ctx.lexicons.nisba_endings:
        if stem.endswith(ending):
            base = stem[: -len(ending)]
            for place in (base, base + "ا", base + "يا", "ال" + base, "ال" + stem, base + "ه"):
                hit = ctx.gazetteer.lookup((place,))
                if hit is not None and hit[1]:  # hard names only: soft ones include tiny towns (جوا)
                    return True
    return False


def glued(ctx: RuleContext) -> Iterator[Candidate]:
    """`روسياوالولاياتالمتحدة` → LOC `روسيا` + LOC `الولاياتالمتحدة`."""
    for i, tok in enumerate(ctx.tokens):
        if len(tok.norm) < MIN_GLUED_TOKEN or ctx.gazetteer.lookup((tok.norm,)) or tok.norm in ctx.known:
            continue
        parts = ctx.gazetteer.split_glued(tok.norm)
        for part in parts or ():
            start, end = raw_offset(tok, part.start), raw_offset(tok, part.end - 1) + 1
            yield Candidate(start, end, i, i + 1, part.type, 0.9, "glued")  # type: ignore[arg-type]


def titled_given_names(ctx: RuleContext) -> Iterator[Candidate]:
    """A title followed by a listed given name starts a person's name: `الرئيس باراك أوباما`.
    The name runs on over words the name-likeness model calls names."""
    lex, toks = ctx.lexicons, ctx.tokens
    for i in ctx.positions("titles"):
        if i + 1 >= len(toks) or toks[i + 1].norm not in lex.given_names:
            continue
        j = i + 2
        while j < len(toks) and j - i <= 4 and ctx.is_word(j):
            word = toks[j].norm
            if word.startswith("ال"):
                j += is_family_name(ctx, word)  # a definite family name ends the name
                break
            if word in lex.titles or word in lex.reporting_verbs or word in lex.function_words:
                break
            if not ctx.namelike(word).startswith(NAME_CLASSES):
                break
            j += 1
        yield ctx.candidate(i + 1, j, "PER", 0.85, "title")
