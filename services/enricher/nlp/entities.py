"""Entity stage: a sentence tagger (CRF, or camel-tools' BERT) plus rules, document consistency,
grouping, roles and gender.

Mentions are `[start, end)` offsets into the raw body, proclitics left out, no overlaps, outermost
span only. See `grouping` for ids and names and `roles` for what the quote stage reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from services.enricher.nlp import document, heads, persons, rules
from services.enricher.nlp.candidates import Candidate, resolve
from services.enricher.nlp.clitics import certain_strip
from services.enricher.nlp.crf import MODEL_DIR, MODEL_PATH, CrfTagger
from services.enricher.nlp.doc import ArticleDoc, EntityType, Mention, Token
from services.enricher.nlp.features import Featurizer
from services.enricher.nlp.gazetteer import load_gazetteer
from services.enricher.nlp.grouping import group
from services.enricher.nlp.lexicons import LEXICON_DIR, load_lexicons
from services.enricher.nlp.namelike import NameLikeness
from services.enricher.nlp.roles import RoleReader
from services.enricher.settings import NlpSettings

NAMELIKE_PATH = MODEL_DIR / "namelike.tsv.gz"
SCORED_TYPES = frozenset({"PER", "LOC", "ORG"})
RESTARTED = frozenset({"crf", "title"})
MAX_SPAN_TOKENS = 12
WEAK_TAIL = 0.6  # a span's last word tagged with less confidence than this is dropped (see not_name_end)
SURE_WORD = 0.9  # a word tagged this surely stays in a person span, whatever its name-likeness
PLACE_PREPOSITIONS = frozenset({"في", "وفي"})  # ANERcorp train: 632 places and 3 persons after them
KNOWN_WORD_WEIGHT = 1.2  # a word whose `s=`/`w=` feature pushes a B- label this hard is a known name word


class SentenceTagger(Protocol):
    """Labels one sentence's tokens with BIO tags over PER/LOC/ORG/MISC, with a probability each."""

    fingerprint: str

    def __call__(self, tokens: list[Token]) -> tuple[list[str], list[float]]: ...

    def known_words(self) -> frozenset[str]: ...


def files_digest(*paths: object) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(open(str(path), "rb").read())  # noqa: SIM115 - small files, read once at start-up
    return digest.hexdigest()[:12]


class CrfSentenceTagger:
    """The shipped python-crfsuite model over `features.Featurizer` features."""

    def __init__(self, namelike: NameLikeness, model: Path = MODEL_PATH) -> None:
        self.crf = CrfTagger(model)
        self.featurizer = Featurizer(load_gazetteer(), load_lexicons(), namelike, self.crf.attributes())
        self.fingerprint = "crf-" + files_digest(model, model.parent / NAMELIKE_PATH.name)

    def __call__(self, tokens: list[Token]) -> tuple[list[str], list[float]]:
        return self.crf.tag(self.featurizer.sentence([t.norm for t in tokens]))

    def known_words(self) -> frozenset[str]:
        return frozenset(
            attr[2:]
            for (attr, label), weight in self.crf.state_weights().items()
            if attr.startswith(("s=", "w=")) and label.startswith("B-") and weight >= KNOWN_WORD_WEIGHT
        )


class EntityRecognizer:
    """Find PER/ORG/LOC mentions and group them into entities (see the module docstring)."""

    def __init__(self, tagger: SentenceTagger, namelike: NameLikeness) -> None:
        self.tagger = tagger
        self.lexicons = load_lexicons()
        self.gazetteer = load_gazetteer()
        self.namelike = lru_cache(maxsize=100_000)(namelike)
        self.name_prob = lru_cache(maxsize=100_000)(namelike.name_prob)
        self.known = tagger.known_words()
        self.roles = RoleReader(self.lexicons)
        lexicon_files = sorted(LEXICON_DIR.iterdir())
        self.fingerprint = f"{tagger.fingerprint}+lex-{files_digest(*lexicon_files)}"

    def context(self, doc: ArticleDoc) -> rules.RuleContext:
        return rules.RuleContext(
            doc.text, doc.tokens, self.lexicons, self.gazetteer, self.known, self.namelike, self.name_prob
        )

    def tagged(self, ctx: rules.RuleContext, doc: ArticleDoc) -> Iterator[Candidate]:
        """Candidates from the sentence tagger, their edges repaired: titles trimmed off, a
        definite head before a person split off, weakly tagged last words dropped, and from person
        names the nationalities, organisations and clear non-names the tagger ran them into."""
        lex = self.lexicons
        for sent in doc.sentences:
            labels, probs = self.tagger(doc.tokens[sent.tok_start : sent.tok_end])
            if labels.count("O") == len(labels):
                continue
            spans = [(i + sent.tok_start, j + sent.tok_start, etype) for i, j, etype in bio_spans(labels)]
            spans, appositions = self.appositions(ctx, spans)
            for i, j, etype in joined_persons(spans):
                if etype == "PER" and self.title_complement(ctx, i):
                    i += 1  # `ولي العهد السعودي …`: a word of the title, not the name
                while i < j and ctx.is_title(i):
                    i += 1
                apposition = i in appositions  # the ORG label's weak scores say nothing of the name
                if etype == "PER" and i > sent.tok_start and doc.tokens[i - 1].text == rules.ALI:
                    i -= 1  # spelled with ي it is the name, not the preposition على
                elif etype == "PER" and i > sent.tok_start and doc.tokens[i - 1].norm in PLACE_PREPOSITIONS:
                    etype = "LOC"  # `وفي دافوس`: in news, what follows في is a place, not a person
                elif etype == "PER" and i > sent.tok_start and self.after_place_head(ctx, i):
                    etype = "LOC"  # `قرية أبو ديس`: a village's name, however much it looks like a person's
                if etype in ("LOC", "ORG"):  # a weakly tagged last word run into a place or body
                    while j - i > 1 and probs[j - 1 - sent.tok_start] < WEAK_TAIL:
                        if etype == "ORG" and self.coordinated_name_word(ctx, i, j - 1):
                            break
                        j -= 1
                if etype == "PER":  # `شابا يدعى كريم …`: the name starts after the naming word
                    i = max([i, *(k + 1 for k in range(i, j) if doc.tokens[k].norm in rules.NAMING_WORDS)])
                if etype == "PER" and not apposition:  # a verb, noun or nationality run into the name
                    while i < j and self.not_name_start(ctx, i, j, probs[i - sent.tok_start]):
                        i += 1
                    while i < j and self.not_name_end(ctx, j - 1, probs[j - 1 - sent.tok_start], first=i):
                        j -= 1
                if j - i == 1 and doc.tokens[i].norm in lex.function_words:
                    continue
                if j - i == 1 and etype == "PER" and self.weak_lone_name(ctx, i, probs[i - sent.tok_start]):
                    continue  # `الجيش سينتشر`: a lone word half-heartedly tagged is no one
                if j - i == 1 and etype != "PER" and self.bare_head(ctx, i):
                    continue  # `تنظيم حركة الشاحنات`: a head noun left alone names nothing
                if j - i > MAX_SPAN_TOKENS:
                    continue  # a run-on over a list or foreign text, no name
                for a, b in split_conjoined(ctx, i, j) if etype == "PER" else ((i, j),):
                    if a < b and ctx.is_word(a) and ctx.is_word(b - 1):
                        score = sum(probs[k - sent.tok_start] for k in range(a, b)) / (b - a)
                        cand = ctx.candidate(a, b, etype, score, "crf")  # type: ignore[arg-type]
                        if a > i:  # split off at و + name
                            cand.start = doc.tokens[a].start + 1
                        yield cand

    def appositions(
        self, ctx: rules.RuleContext, spans: list[tuple[int, int, EntityType]]
    ) -> tuple[list[tuple[int, int, EntityType]], set[int]]:
        """Organisation spans that are a head and a person in apposition become the person, who
        may go on in the next span (`للمنظمة تيدروس` + `أدهانوم غيبريسوس`); with the first
        tokens of those persons."""
        out, starts = [], set()
        for i, j, etype in spans:
            if etype == "ORG":
                k = i
                while k < j and ctx.is_title(k):
                    k += 1
                if self.head_before_person(ctx, k, j):
                    i, etype = k + 1, "PER"
                    starts.add(i)
                elif k > 0 and self.head_before_person(ctx, k - 1, j):  # للصندوق كريستالينا …
                    i, etype = k, "PER"
                    starts.add(i)
            out.append((i, j, etype))
        return out, starts

    @staticmethod
    def head_before_person(ctx: rules.RuleContext, i: int, j: int) -> bool:
        """An organisation span that is a definite head and a person in apposition: `رئيس البنك
        خالد المنصوري`, `المدير العام للمنظمة تيدروس …` (a definite noun cannot govern a name, so
        the name is not the body's). The person starts with a listed given name or a word the
        name-likeness model is sure of."""
        first = ctx.tokens[i + 1].norm if i + 1 < len(ctx.tokens) else ""
        return j - i > 1 and persons.definite_body(ctx, i) and persons.is_first_name(ctx, first)

    @staticmethod
    def not_name_start(ctx: rules.RuleContext, k: int, j: int, prob: float) -> bool:
        """Word k, first of a person span ending at j, is a word before the name: a place's nisba
        (`التونسي زين …`; alone it is no person either), a title's organisation (`لإيني`,
        `الأزهر` before a listed given name) or an unsure definite adjective there (`القدير`), or a
        clear non-name tagged without certainty (the name-likeness of `مشرف` says noun, a sure
        tagger knows better)."""
        stem = certain_strip(ctx.tokens[k].norm)[1]
        if stem in rules.NAME_PARTICLES and j - k > 1:
            return False  # a foreign name's particle, however unsure the tagger is of it
        if rules.is_place_nisba(ctx, stem) or (j - k > 1 and EntityRecognizer.employer(ctx, k)):
            return True
        if j - k > 1 and ctx.tokens[k + 1].norm in ctx.lexicons.given_names:
            hit = ctx.gazetteer.lookup((stem,))
            if hit is not None and hit[1]:
                return True  # a title's complement before the name: شيخ الأزهر أحمد …, ملك الأردن عبد الله
            if EntityRecognizer.unsure_adjective(ctx, k, prob):
                return True  # الفنان السوري القدير دريد …
        return prob < SURE_WORD and ctx.is_non_name(stem)

    @staticmethod
    def unsure_adjective(ctx: rules.RuleContext, k: int, prob: float) -> bool:
        """Word k, tagged without certainty, is definite after a definite word: an adjective of
        the title before the name (`الفنان السوري القدير`), not a group's name after its head
        (`جماعة الحوثي محمد …`)."""
        stem = certain_strip(ctx.tokens[k].norm)[1]
        if prob >= SURE_WORD or k == 0 or not stem.startswith("ال") or stem in ctx.lexicons.given_names:
            return False
        return certain_strip(ctx.tokens[k - 1].norm)[1].startswith("ال")

    @staticmethod
    def coordinated_name_word(ctx: rules.RuleContext, i: int, k: int) -> bool:
        """Word k, last of an organisation span that starts with a head noun at i, is و + a
        definite word: the name coordinates two nouns (`حزب العدالة والتنمية`)."""
        return ctx.tokens[k].norm.startswith("وال") and ctx.lex_variant(i, "org_heads") is not None

    @staticmethod
    def after_place_head(ctx: rules.RuleContext, k: int) -> bool:
        """Token k follows a generic place head (`قرية`, `بلدة`, `مدينة`)."""
        hit = ctx.lex_variant(k - 1, "generic_heads")
        return hit is not None and hit[1] == "LOC"

    @staticmethod
    def title_complement(ctx: rules.RuleContext, k: int) -> bool:
        """Word k is definite right after a construct title the tagger left out of the span, so
        it is the title's complement (`ولي العهد`, `وزير الخارجية`): a name cannot be governed."""
        if k == 0 or not ctx.tokens[k].norm.startswith("ال") or not ctx.is_title(k - 1):
            return False
        return not certain_strip(ctx.tokens[k - 1].norm)[1].startswith("ال")

    @staticmethod
    def employer(ctx: rules.RuleContext, k: int) -> bool:
        """Word k is `ل` + the organisation of a title just before it (an adjective between them
        allowed, not a nationality: `المدرب الأرجنتيني ليونيل …` is a name), not a name's first
        word: `الرئيس التنفيذي لإيني كلاوديو ديسكالزي`."""
        word, lex = ctx.tokens[k].norm, ctx.lexicons
        if not word.startswith("ل") or len(word) < 4 or word in lex.given_names or ctx.is_known(word):
            return False
        before = ctx.norms[max(0, k - 2) : k]
        return bool(before) and (
            before[-1] in lex.titles
            or (
                before[0] in lex.titles
                and before[-1].startswith("ال")
                and not rules.is_place_nisba(ctx, before[-1])
            )
        )

    @staticmethod
    def weak_lone_name(ctx: rules.RuleContext, k: int, prob: float) -> bool:
        """Word k, alone a person span, is tagged weakly and nothing vouches for it: no listed
        given name, no word the tagger knows as a name. (A real family name met alone is found
        again from its full mention by the document rules.)"""
        return prob < WEAK_TAIL and not ctx.is_known(certain_strip(ctx.tokens[k].norm)[1])

    @staticmethod
    def bare_head(ctx: rules.RuleContext, k: int) -> bool:
        """Word k is a head noun (`حركة`, `وزارة`) that no gazetteer name spells alone."""
        stem = certain_strip(ctx.tokens[k].norm)[1]
        heads = ctx.lex_variant(k, "generic_heads") or ctx.lex_variant(k, "org_heads")
        return heads is not None and ctx.gazetteer.lookup((stem,)) is None

    @staticmethod
    def not_name_end(ctx: rules.RuleContext, k: int, prob: float, first: int = 0) -> bool:
        """Word k, last of a person span starting at `first`, is weakly tagged (and does not look
        like a name), or a clear non-name tagged without certainty — unless it follows a listed
        given name in the span, which news rarely leaves alone (`سلمى فرحات`)."""
        word = ctx.tokens[k].norm
        if prob < WEAK_TAIL:
            return word in ctx.lexicons.function_words or ctx.namelike(word) != "PER3"
        if k > first and ctx.tokens[k - 1].norm in ctx.lexicons.given_names:
            return False
        return prob < SURE_WORD and ctx.is_non_name(word)

    def find(self, ctx: rules.RuleContext, doc: ArticleDoc) -> list[Candidate]:
        """Resolved, document-consistent candidates of the article."""
        cands = list(self.tagged(ctx, doc))
        for sent in doc.sentences:
            cands.extend(rules.gazetteer_names(ctx, sent.tok_start, sent.tok_end))
        cands.extend(rules.quoted(ctx))
        cands.extend(rules.glued(ctx))
        cands.extend(persons.titled_given_names(ctx))
        cands.extend(heads.headed_places(ctx))
        cands.extend(heads.ministries(ctx))
        cands.extend(heads.states(ctx))
        persons.extend_persons(ctx, cands)
        cands.extend(persons.listed_people(ctx))  # whole names already: nothing to extend
        cands = persons.nationals_over_places(ctx, cands)
        first_pass = resolve(cands)
        cands.extend(heads.official_heads(ctx, first_pass))
        cands.extend(heads.headed_groups(ctx, first_pass))
        cands.extend(heads.eponyms(ctx, first_pass))
        cands.extend(rules.abbreviations(ctx, first_pass))
        found = resolve(cands)
        titled = persons.titled_after_bodies(ctx, found)
        if titled:
            found = resolve(found + titled)
        return self.consistent(ctx, found)

    def tagger_stage(self, ctx: rules.RuleContext, doc: ArticleDoc) -> list[Candidate]:
        """The tagger's candidates, edges repaired and made consistent over the document: the
        recogniser without its lexicon and head rules, whose span conventions (the eval README's)
        differ from ANERcorp's. `train evaluate` scores ANERcorp with it."""
        return self.consistent(ctx, resolve(list(self.tagged(ctx, doc))))

    @staticmethod
    def consistent(ctx: rules.RuleContext, found: list[Candidate]) -> list[Candidate]:
        """Document consistency over resolved candidates: spans restarted with what the article
        knows, one type per name, names found again, adjacent persons joined."""
        persons.other_family_names(ctx, found, SURE_WORD)
        ctx.known = ctx.known | {
            w for c in found if c.score >= document.CONFIDENT for w in document.name_key(ctx, c)
        }
        for cand in found:
            if cand.source in RESTARTED:  # the article's own names now tell clitics from name letters
                cand.start = ctx.span_start(cand.tok_start)
        document.unify_types(ctx, found)
        found = document.join_adjacent_persons(ctx, resolve(found + document.propagate(ctx, found)))
        return [c for c in found if not rules.is_adjective_place(ctx, c)]

    def __call__(self, doc: ArticleDoc) -> ArticleDoc:
        ctx = self.context(doc)
        found = [c for c in self.find(ctx, doc) if c.type in SCORED_TYPES]
        doc.mentions = [
            Mention(c.start, c.end, doc.text[c.start : c.end], c.type, round(c.score, 3)) for c in found
        ]
        doc.entities = group(doc.mentions)
        token_of = {}
        for c in found:
            token_of[c.start] = c.tok_start
            token_of[c.end - 1] = c.tok_end - 1
        self.roles(ctx, doc.entities, token_of)  # roles read the tokens, not what `find` learned
        return doc


def split_conjoined(ctx: rules.RuleContext, i: int, j: int) -> list[tuple[int, int]]:
    """Split a person span at a word that is و + a name: `كيري ولافروف` → two persons; not
    after a lone given name, which the family name follows (`جون ويليامز`)."""
    parts, start = [], i
    for k in range(i + 1, j):
        norm = ctx.tokens[k].norm
        after_given_name = k - start == 1 and ctx.tokens[start].norm in ctx.lexicons.given_names
        if norm.startswith("و") and len(norm) > 3 and not after_given_name:
            rest = norm[1:]
            if ctx.is_known(rest) or ctx.is_name_like(rest):
                parts.append((start, k))
                start = k
    parts.append((start, j))
    return parts


def joined_persons(spans: Iterable[tuple[int, int, EntityType]]) -> Iterator[tuple[int, int, EntityType]]:
    """Adjacent person spans as one: a name goes on without a break (`أحمد علي` + `عبدالله صالح`);
    two people side by side are always separated by و or punctuation."""
    last: tuple[int, int, EntityType] | None = None
    for span in spans:
        if last is not None and last[2] == span[2] == "PER" and last[1] == span[0]:
            last = (last[0], span[1], "PER")
            continue
        if last is not None:
            yield last
        last = span
    if last is not None:
        yield last


def bio_spans(labels: list[str]) -> Iterator[tuple[int, int, EntityType]]:
    """Token spans `[i, j)` of a BIO sequence; an I- after another type starts a new span."""
    start, cur = 0, ""
    for i, label in enumerate([*labels, "O"]):
        if label == "O" and not cur:  # most tokens: nothing to close, nothing to open
            continue
        prefix, _, etype = label.partition("-")
        if cur and (prefix != "I" or etype != cur):
            yield start, i, cur  # type: ignore[misc]
            cur = ""
        if prefix in ("B", "I") and not cur:
            start, cur = i, etype


def build_recognizer(settings: NlpSettings) -> EntityRecognizer:
    """The entity stage for the configured backend; fails at start-up if its model is missing."""
    namelike = NameLikeness.load(NAMELIKE_PATH)
    if settings.ner_backend == "camel":
        from services.enricher.nlp.camel_backend import CamelSentenceTagger

        return EntityRecognizer(CamelSentenceTagger(settings.camel_ner_model), namelike)
    return EntityRecognizer(CrfSentenceTagger(namelike), namelike)
