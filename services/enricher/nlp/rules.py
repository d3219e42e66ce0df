"""Rules that beat the tagger: quoted names after a head noun, gazetteer names, official-name head
nouns, glued words and title + given name. Each rule family returns `Candidate`s."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from services.enricher.nlp.candidates import Candidate
from services.enricher.nlp.clitics import certain_strip, clitic_variants
from services.enricher.nlp.doc import EntityType, Token
from services.enricher.nlp.features import is_nisba
from services.enricher.nlp.gazetteer import Gazetteer
from services.enricher.nlp.lexicons import Lexicons
from services.enricher.nlp.normalize import raw_index_map

QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"', "‹": "›"}
MAX_QUOTED_WORDS = 6
MAX_HEAD_FOLLOWERS = 3
MIN_GLUED_TOKEN = 7
NAME_CLASSES = ("PER", "LOC", "ORG")


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
    namelike: Callable[[str], str]

    def stem(self, i: int) -> str:
        return certain_strip(self.tokens[i].norm)[1]

    def is_word(self, i: int) -> bool:
        return 0 <= i < len(self.tokens) and self.tokens[i].norm.isalnum()

    def span_start(self, i: int) -> int:
        """Where a name starting at token i begins once its proclitics are left out.

        Clitics before ال/لل are certain; a bare و/ف/ب/ك/ل is stripped when the rest is a known
        name and the whole word is not (وليد stays, بسورية loses ب). Otherwise a leading و/ف is
        taken for the conjunction, which is far more frequent than a name beginning with it.
        """
        norm = self.tokens[i].norm
        offset = certain_strip(norm)[0]
        if (
            offset
            or norm in self.known
            or self.gazetteer.lookup((norm,))
            or norm in self.lexicons.given_names
        ):
            return raw_offset(self.tokens[i], offset)
        for off, rest in clitic_variants(norm)[1:]:
            if rest in self.known or self.gazetteer.lookup((rest,)) or rest in self.lexicons.given_names:
                return raw_offset(self.tokens[i], off)
        if norm[0] in "وف" and len(norm) > 4 and not norm.startswith(("وا", "وي", "فا", "في")):
            return raw_offset(self.tokens[i], 1)
        return self.tokens[i].start

    def candidate(self, i: int, j: int, etype: EntityType, score: float, source: str) -> Candidate:
        """A candidate over tokens [i, j), proclitics of token i left out."""
        return Candidate(self.span_start(i), self.tokens[j - 1].end, i, j, etype, score, source)


def quoted(ctx: RuleContext) -> Iterator[Candidate]:
    """`وكالة «إنترفاكس»`, `تنظيم "جبهة النصرة"`: the name inside the marks after a head noun."""
    toks = ctx.tokens
    for i, tok in enumerate(toks[:-2]):
        close = QUOTE_PAIRS.get(tok.text)
        if close is None or i == 0:
            continue
        head = ctx.stem(i - 1)
        etype = ctx.lexicons.generic_heads.get(head) or ctx.lexicons.org_heads.get(head)
        if etype is None:
            continue
        for j in range(i + 1, min(i + 2 + MAX_QUOTED_WORDS, len(toks))):
            if toks[j].text == close:
                if j > i + 1:
                    yield Candidate(toks[i + 1].start, toks[j - 1].end, i + 1, j, etype, 0.95, "quoted")  # type: ignore[arg-type]
                break


def gazetteer_names(ctx: RuleContext, first: int, last: int) -> Iterator[Candidate]:
    """Hard gazetteer names in tokens [first, last)."""
    forms = [tuple(stem for _, stem in clitic_variants(t.norm)) for t in ctx.tokens[first:last]]
    for m in ctx.gazetteer.match(forms):
        if m.hard:
            yield ctx.candidate(first + m.start, first + m.end, m.type, 0.9, "gazetteer")  # type: ignore[arg-type]


def official_heads(ctx: RuleContext, found: list[Candidate]) -> Iterator[Candidate]:
    """Head nouns that belong to the name: `وزارة الخارجية الروسية`, `الجيش اللبناني`,
    `محافظة إدلب` (head + a found name), `منتخب إسبانيا`."""
    lex, toks = ctx.lexicons, ctx.tokens
    by_start = {c.tok_start: c for c in found}
    for i in range(len(toks) - 1):
        head = ctx.stem(i)
        etype = lex.org_heads.get(head)
        if etype is None:
            continue
        nxt = by_start.get(i + 1)
        if nxt is not None and nxt.start == toks[i + 1].start:
            yield ctx.candidate(i, nxt.tok_end, etype, max(nxt.score, 0.8), "head")  # type: ignore[arg-type]
            continue
        if etype != "ORG":
            continue
        j = i + 1
        definite_head = head.startswith("ال")
        while j < len(toks) and j - i <= MAX_HEAD_FOLLOWERS and toks[j].norm.startswith("ال"):
            word = toks[j].norm
            if (
                word in lex.titles
                or word in lex.org_heads
                or (definite_head and not is_nisba(word, lex.nisba_endings))
            ):
                break
            j += 1
        if j > i + 1:
            yield ctx.candidate(i, j, "ORG", 0.8, "head")


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
    for i in range(len(toks) - 1):
        if ctx.stem(i) not in lex.titles or toks[i + 1].norm not in lex.given_names:
            continue
        j = i + 2
        while j < len(toks) and j - i <= 4 and ctx.is_word(j):
            word = toks[j].norm
            if word in lex.titles or word in lex.reporting_verbs or is_nisba(word, lex.nisba_endings):
                break
            if not ctx.namelike(word).startswith(NAME_CLASSES):
                break
            j += 1
        yield ctx.candidate(i + 1, j, "PER", 0.85, "title")
