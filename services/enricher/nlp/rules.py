"""The context the rules read (`RuleContext`: tokens, lexicons, gazetteer, name-likeness) and the
rules on names themselves: quoted names after a head noun, gazetteer names, glued words. Head-noun
rules live in `heads`, person-name rules in `persons`; each rule family yields `Candidate`s."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress

from services.enricher.nlp.candidates import Candidate
from services.enricher.nlp.clitics import certain_strip, clitic_variants
from services.enricher.nlp.doc import EntityType, Token
from services.enricher.nlp.gazetteer import Gazetteer, load_gazetteer, stems
from services.enricher.nlp.lexicons import Lexicons, load_lexicons
from services.enricher.nlp.normalize import normalize_token, raw_index_map

QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"', "‹": "›"}
MAX_QUOTED_WORDS = 6
MAX_ABBREVIATION = 3  # words of an abbreviation in brackets (ناتو, بي بي سي)
MIN_GLUED_TOKEN = 7
MAX_GLUED_TOKEN = 60  # a few names glued together; longer runs are junk, not worth splitting
NAME_CLASSES = ("PER", "LOC", "ORG")
ALI = "علي"  # the given name, as written; the preposition على is written with ى (both normalise to علي)
# listed given names that a function word normalises into (على → علي, بأن → بان): names only as spelled
SPELLED_NAMES = frozenset({ALI, "بان"})
NAME_LINKS = frozenset({"بن", "بنت", "ابن", "ال", "ابو", "ام", "عبد"})  # ال is آل normalised
# words that introduce a name: `شابا يدعى كريم …`, `المدعو أحمد …` (the name starts after them)
NAMING_WORDS = frozenset(
    map(normalize_token, ("يدعى", "تدعى", "يسمى", "تسمى", "المدعو", "المدعوة", "الملقب"))
)
NAME_PARTICLES = frozenset({"دي", "دو", "دا", "ديل", "فان", "فون"})  # دي ميستورا, فان دايك, فون دير لاين
STRIP_MARGIN = 0.1
STRIP_PROB = 0.5


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
    norms: list[str] = field(init=False)  # the tokens' normalised forms, walked by several rules

    def __post_init__(self) -> None:
        self.norms = [t.norm for t in self.tokens]

    def is_title(self, i: int) -> bool:
        """Token i, its sure proclitics left out, is a title (`الرئيس`, `والوزير`)."""
        return certain_strip(self.tokens[i].norm)[1] in self.lexicons.titles

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
        whole_name = self.is_known(norm) or self.gazetteer.lookup((norm,)) is not None  # بالتيمور
        if whole_name or norm in lex.org_heads or norm in lex.generic_heads:
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
            tables = list(map(lexicon_tables, self.norms))
            for i in compress(range(len(tables)), tables):  # the few words in some table
                for name in tables[i]:
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


LEXICON_TABLES = ("org_heads", "generic_heads", "titles", "portfolios", "state_heads")
# glued: words that split into gazetteer names; people: words that start a listed person's name
POSITION_TABLES = (*LEXICON_TABLES, "glued", "people")


@lru_cache(maxsize=200_000)
def lexicon_tables(norm: str) -> tuple[str, ...]:
    """The position tables the word belongs to: lexicons with some clitic reading of it, `glued`
    for a long word that is no name itself but splits into names, and `people` for a word with a
    reading that is the first word of a listed person's name (`people.txt`)."""
    found = tuple(name for name in LEXICON_TABLES if lexicon_reading(norm, name) is not None)
    if not load_lexicons().people.keys().isdisjoint(stems(norm)):
        found += ("people",)
    if MIN_GLUED_TOKEN <= len(norm) <= MAX_GLUED_TOKEN:
        gazetteer = load_gazetteer()
        if gazetteer.lookup((norm,)) is None and gazetteer.split_glued(norm):
            found += ("glued",)
    return found


def quoted(ctx: RuleContext) -> Iterator[Candidate]:
    """`وكالة «إنترفاكس»`, `تنظيم "جبهة النصرة"`: the name inside the marks after a head noun;
    `لـ«الشرق الأوسط»`: an outlet the words were told to."""
    toks = ctx.tokens
    addressed = [k for k, norm in enumerate(ctx.norms) if norm == "ل"]  # لـ before a mark
    for head in sorted({*ctx.positions("generic_heads"), *ctx.positions("org_heads"), *addressed}):
        i = head + 1
        close = QUOTE_PAIRS.get(toks[i].text) if i < len(toks) else None
        hit = ctx.lex_variant(head, "generic_heads") or ctx.lex_variant(head, "org_heads")
        if close is None or (hit is None and toks[head].norm != "ل"):
            continue
        etype = hit[1] if hit is not None else "ORG"
        if not ctx.is_word(i + 1):
            continue  # `القرية". وأضاف أن "…`: a closing mark, then the next quote's opening one
        for j in range(i + 1, min(i + 2 + MAX_QUOTED_WORDS, len(toks))):
            if toks[j].text == close:
                if j > i + 1:
                    yield Candidate(toks[i + 1].start, toks[j - 1].end, i + 1, j, etype, 0.95, "quoted")  # type: ignore[arg-type]
                break


def abbreviations(ctx: RuleContext, found: list[Candidate]) -> Iterator[Candidate]:
    """A short name in brackets right after an organisation is its abbreviation, of its type:
    `حلف شمال الأطلسي (ناتو)`, `وكالة الأنباء السعودية (واس)`."""
    toks = ctx.tokens
    for cand in found:
        i = cand.tok_end
        if cand.type != "ORG" or i + 2 >= len(toks) or toks[i].text != "(":
            continue
        for close in range(i + 2, min(len(toks), i + 2 + MAX_ABBREVIATION)):
            if toks[close].text == ")":
                words = ctx.norms[i + 1 : close]
                # one word, or spelled-out letters (بي بي سي); not a phrase such as (شرق لبنان)
                if all(map(str.isalnum, words)) and (len(words) == 1 or max(map(len, words)) <= 3):
                    yield Candidate(
                        toks[i + 1].start, toks[close - 1].end, i + 1, close, "ORG", cand.score, "quoted"
                    )
                break


def gazetteer_names(ctx: RuleContext, first: int, last: int) -> Iterator[Candidate]:
    """Hard gazetteer names in tokens [first, last)."""
    toks = ctx.tokens
    for m in ctx.gazetteer.match_sentence(tuple(ctx.norms[first:last])):
        if m.hard:
            i, j = first + m.start, first + m.end
            start = raw_offset(toks[i], clitic_variants(toks[i].norm)[m.reading][0])
            yield Candidate(start, toks[j - 1].end, i, j, m.type, 0.9, "gazetteer")  # type: ignore[arg-type]


def is_place_nisba(ctx: RuleContext, word: str) -> bool:
    """`الروسي`, `السورية`, `اللبنانيين`: the adjective of a place the gazetteer knows."""
    return place_nisba(ctx.gazetteer, ctx.lexicons.nisba_endings, word)


@lru_cache(maxsize=100_000)  # asked of the same words by several rules, article after article
def place_nisba(gazetteer: Gazetteer, endings: tuple[str, ...], word: str, *, soft: bool = False) -> bool:
    """Hard names only unless `soft`: soft ones include tiny towns (جوا) and words (مالي → المالي)."""
    stem = word[2:] if word.startswith("ال") else word
    for ending in endings:
        if stem.endswith(ending):
            base = stem[: -len(ending)]
            definite = "ال" + base
            for place in (base, base + "ا", base + "يا", definite, "ال" + stem, base + "ه", definite + "يه"):
                hit = gazetteer.lookup((place,))
                if hit is not None and (hit[1] or soft):
                    return True
    return False


def glued(ctx: RuleContext) -> Iterator[Candidate]:
    """`روسياوالولاياتالمتحدة` → LOC `روسيا` + LOC `الولاياتالمتحدة`."""
    for i in ctx.positions("glued"):
        tok = ctx.tokens[i]
        if tok.norm in ctx.known:
            continue
        for part in ctx.gazetteer.split_glued(tok.norm) or ():
            start, end = raw_offset(tok, part.start), raw_offset(tok, part.end - 1) + 1
            yield Candidate(start, end, i, i + 1, part.type, 0.9, "glued")  # type: ignore[arg-type]


def spelled_as_name(tok: Token) -> bool:
    """The token is a listed given name as written, not a function word that normalises into one."""
    return tok.norm not in SPELLED_NAMES or tok.text == tok.norm


def is_adjective_place(ctx: RuleContext, cand: Candidate) -> bool:
    """A one-word place spelled like a feminine nisba right after a definite feminine noun that it
    agrees with is the noun's adjective, and nisba adjectives alone name nothing: `الناشطة
    السعودية`, `العاصمة السعودية الرياض`, `السلطات السعودية` (but `زار الرئيس السعودية`)."""
    if cand.type != "LOC" or cand.tok_end - cand.tok_start != 1 or cand.tok_start == 0:
        return False
    word = ctx.tokens[cand.tok_start].norm
    noun = certain_strip(ctx.tokens[cand.tok_start - 1].norm)[1]
    return (
        word.startswith("ال")
        and word.endswith("يه")
        and noun.startswith("ال")
        and noun.endswith(("ه", "ات"))
        and ctx.gazetteer.lookup((noun,)) is None
    )
