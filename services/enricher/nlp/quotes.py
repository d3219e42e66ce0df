"""Quote stage: attributed statements — direct «…», indirect (قال … إن), mixed — and their speakers.

Rules over tokens and their normalised forms: a cue from the lexicon (cues.py), the opening of
its content within a bounded window (a complementizer, a quotation mark, a colon), the content
to the closing mark or the end of the reported clause, and the speaker (speakers.py). Every
scan is a bounded walk over tokens; no regex runs over article text here.
"""

from __future__ import annotations

from functools import lru_cache

from services.enricher.nlp.cue_hits import (
    MAX_CUE_WINDOW,
    RELAYED_FROM,
    CueHit,
    CueMatcher,
    Fronted,
    starts_clause,
)
from services.enricher.nlp.cues import CueLexicon
from services.enricher.nlp.doc import ArticleDoc, Quote, QuoteKind
from services.enricher.nlp.normalize import normalize_token
from services.enricher.nlp.quote_spans import MAX_CONTENT_TOKENS, Content, TakenRanges, clause_end, span
from services.enricher.nlp.quote_view import CLAUSE_PUNCT, SENTENCE_END, DocView
from services.enricher.nlp.speakers import Resolution, SpeakerResolver, given_names

RULES_VERSION = "1"
BACKWARD_MIN_WORDS = 4
SUBJECT_SLACK = 3  # tokens between a contentless cue and its named subject (title, marks)
RELAY_LOOKBACK = 15
FRONTED_SETTING = 6  # tokens of a setting phrase before the verb: وفي تصريح لـ«الجزيرة نت»، قال …
MAX_SOURCE_WORDS = 4  # an unnamed source's words before whom it told: مصادر دبلوماسية غربية لرويترز
CLAUSE_ENDS = SENTENCE_END | CLAUSE_PUNCT
HOW_SCORES = {"mention": 0.9, "description": 0.8, "coref": 0.7, "pronoun": 0.7, "fallback": 0.5}


@lru_cache(maxsize=50_000)
def strip_raw_proclitic(text: str, letters: int) -> int:
    """Characters taken by the first `letters` letters of a raw token and their diacritics
    (cached: the same few cue words recur in every article)."""
    i = 0
    seen = 0
    while i < len(text) and (seen < letters or normalize_token(text[i]) == ""):
        if normalize_token(text[i]) != "":
            seen += 1
        i += 1
    return i


class QuoteAttributor:
    """Find attributed statements and resolve their speakers."""

    def __init__(self, lexicon: CueLexicon | None = None) -> None:
        self.lex = lexicon or CueLexicon()
        self.cues = CueMatcher(self.lex)
        self.female, self.male = given_names()
        # words after which a cue's subject region names an outlet (لوكالة، لـ، بحسب)
        self.via_openers = self.lex.outlet_prepositions | self.lex.according_conjoined
        # words that relay another source's words (نقل/نقلت/ونقلا)
        self.relay_words = RELAYED_FROM | {
            w for w, (form, _) in self.lex.spelled.items() if form.family == "relay"
        }
        self.fingerprint = f"rules{RULES_VERSION}-{self.lex.fingerprint}"

    def __call__(self, doc: ArticleDoc) -> ArticleDoc:
        return self.set_annotations(doc, self.match(doc))

    def set_annotations(self, doc: ArticleDoc, quotes: list[Quote]) -> ArticleDoc:
        doc.quotes = quotes
        return doc

    # --- matching ----------------------------------------------------------------------

    def match(self, doc: ArticleDoc) -> list[Quote]:
        """Every attributed quote of the article, in text order."""
        v = DocView(doc, self.cues.spot)
        hits = self.cues.find_cues(v)
        stops = {h.stop for h in hits if starts_clause(h)}
        resolver = SpeakerResolver(v, self.lex, self.female, self.male)
        quotes: list[Quote] = []
        taken = TakenRanges()
        for hit in hits:
            if taken.covering(hit.tok, hit.tok):
                continue  # a cue inside quoted words belongs to the quoted speaker
            content = self.content(v, hit, stops)
            a, b = self.cues.subject_region(v, hit)
            res, via = self.resolve(v, resolver, hit, a, b)
            if hit.form.family == "masdar_subject" and res is None:
                continue  # a bare verbal noun reports only with its subject (إعلان الوزارة أن)
            if content is None or taken.covering(content.first, content.last):
                if res is not None and self.named_subject(v, hit, res, a):
                    resolver.remember(hit.tok, res, a, b)  # a named subject a later pronoun may refer to
                continue
            if res is not None and hit.form.family != "according":
                resolver.remember(hit.tok, res, a, b)
            taken.add(content.first, content.last)
            tok = v.tokens[hit.tok]
            skip = strip_raw_proclitic(tok.text, hit.proclitic)
            quotes.append(
                Quote(
                    start=content.start,
                    end=content.end,
                    text=v.text[content.start : content.end],
                    kind=content.kind,
                    cue=tok.text[skip:],
                    cue_start=tok.start + skip,
                    speaker=res.speaker if res is not None else None,
                    via=via,
                    confidence=confidence(hit, content, res),
                )
            )
        return quotes

    def named_subject(self, v: DocView, hit: CueHit, res: Resolution, a: int) -> bool:
        """A cue without content (ورفضت أنقرة …) still names its subject: a name right after
        it, a person after a title (وصف رئيس الجالية … الشيخ X), or a source description
        (وطالب بعض المواطنين …); a deeper name may be an object (وأضاف ستكون … بقايا X)."""
        if (hit.form.strict and not hit.proclitic) or hit.form.family == "masdar_subject":
            return False
        if res.how == "description":
            head = v.norms[res.at]
            return res.at == a and (head in self.lex.source_nouns or head in self.lex.plural_heads)
        if res.how != "mention":
            return False
        titled = a < v.n and self.lex.title_gender(v.norms[a]) is not None
        return a <= res.at <= a + SUBJECT_SLACK or (res.speaker.type == "PER" and titled)

    def content(self, v: DocView, hit: CueHit, stops: set[int]) -> Content | None:
        """The words a cue attributes: in marks, after its opening, or in the clause before it."""
        op = hit.opening
        if hit.direction == "after":
            p = hit.tok - 1
            while v.tokens[p].text in CLAUSE_PUNCT:
                p -= 1
            return span(v, v.closes[p] + 1, p - 1, "direct", True)
        if hit.direction == "backward":
            last = hit.stop - 2  # the word before the comma that precedes the cue phrase
            if last < 0:
                return None
            first = last
            while first > 0 and last - first < MAX_CONTENT_TOKENS:
                if v.ends_sentence(first - 1) or v.breaks_before(first) or (first - 1) in stops:
                    break
                first -= 1
            while last > first and v.tokens[last].text in CLAUSE_PUNCT:
                last -= 1
            if v.pairs.get(first) == last:  # «…»، بحسب X: the marked words are the content
                return span(v, first + 1, last - 1, "direct", True)
            if sum(map(v.is_word, range(first, last + 1))) < BACKWARD_MIN_WORDS:
                return None
            return span(v, first, last, "indirect", True)
        if op is None:
            return None
        if op.kind == "mark":
            close = v.pairs.get(op.tok)
            if close is not None:
                return span(v, op.tok + 1, close - 1, "direct", True)
            last, _ = clause_end(v, op.tok + 1, stops, self.lex)
            return span(v, op.tok + 1, last, "direct", False)
        first = op.tok + 1
        if op.kind == "comma" and first < v.n and self.lex.is_complementizer(v.norms[first]):
            first += 1  # بحسب X، فإن …
        if first >= v.n:
            return None
        close = v.pairs.get(first)
        if op.kind == "comp" and close is not None:
            after = close + 1
            if (
                after >= v.n
                or v.tokens[after].text in CLAUSE_ENDS
                or after in stops
                or v.breaks_before(after)
            ):
                return span(v, first + 1, close - 1, "direct", True)
        if hit.tok > 0 and v.norms[hit.tok - 1] in self.lex.clause_breaks:
            # `وبينما أكد X أن …، نفت Y ذلك`: a subordinate clause's words end at its comma
            end = min(v.n, first + MAX_CONTENT_TOKENS)
            comma = next((k for k in range(first, end) if v.tokens[k].text in ("،", ",")), None)
            if comma is not None:
                stops = stops | {comma}
        last, marked = clause_end(v, first, stops, self.lex)
        kind: QuoteKind = "mixed" if marked else ("direct" if op.kind == "colon" else "indirect")
        return span(v, first, last, kind, True)

    # --- speaker -----------------------------------------------------------------------

    def resolve(
        self, v: DocView, r: SpeakerResolver, hit: CueHit, a: int, b: int
    ) -> tuple[Resolution | None, str | None]:
        """The speaker of a cue and the outlet that relayed the words."""
        form = hit.form
        gender, plural = form.gender, form.plural
        if form.family == "participle":
            return r.pronoun(hit.tok, gender, plural), None
        if form.family == "masdar":
            return self.relayed_masdar(v, r, hit)
        if form.family == "masdar_subject":
            return r.explicit(a, b, None, False), self.find_via(v, a, b)
        if form.family == "according":  # a source, not a subject: kept out of the history
            if hit.pronominal:
                return r.pronoun(hit.tok, gender, plural), None
            res = r.explicit(a, b, None, False)
            if res is not None and res.how == "description":
                res.speaker.name = without_preposition(res.speaker.name)
            return res, None
        if hit.fronted is not None:
            return self.fronted(v, r, hit, hit.fronted, a, b)
        via = self.find_via(v, a, b) or self.fronted_setting_via(v, hit.tok)
        source = v.norms.index("عن", a, b) if "عن" in v.norms[a:b] else None
        if source is not None and (form.family == "relay" or v.norms[source - 1] in RELAYED_FROM):
            res = r.explicit(source + 1, b, None, False)
            if res is not None:
                if source > a:
                    return res, self.outlet(v, r, a, source) or via
                earlier = r.recent(hit.tok - RELAY_LOOKBACK)  # قالت صحيفة X نقلا عن Y: X relays
                return res, earlier.speaker.name if earlier is not None else via
        res = r.explicit(a, b, gender, plural)
        if res is None and hit.proclitic == 0:
            res = r.before(hit.tok, gender, plural)
        if res is not None:
            return res, via
        if form.family == "subject" or (hit.opening is None and hit.direction == "forward"):
            return None, via
        return r.copula_sentence_subject(hit.tok, gender, plural) or r.pronoun(hit.tok, gender, plural), via

    def fronted(
        self, v: DocView, r: SpeakerResolver, hit: CueHit, src: Fronted, a: int, b: int
    ) -> tuple[Resolution | None, str | None]:
        """`نقلا عن X، ذكرت Y أن …`: X speaks, Y relays. `بحسب X، قال Y إن …`: Y speaks, X relays."""
        if src.relayed:
            return r.explicit(src.first, src.end, None, False), self.outlet(v, r, a, b)
        res = r.explicit(a, b, hit.form.gender, hit.form.plural)
        return res, self.outlet(v, r, src.first, src.end)

    def relayed_masdar(
        self, v: DocView, r: SpeakerResolver, hit: CueHit
    ) -> tuple[Resolution | None, str | None]:
        """`نقلت وكالة X عن Y قولها إن …`: Y speaks, X relays; else the possessive's referent."""
        lo = max(0, hit.tok - MAX_CUE_WINDOW) - 1  # exclusive bound of the backward scans
        norms = v.norms
        source = next((k for k in range(hit.tok - 1, lo, -1) if norms[k] == "عن"), None)
        relay = None
        if source is not None:  # only a relay verb makes عن name a source (not عن طريق …)
            relay = next((k for k in range(source - 1, lo, -1) if norms[k] in self.relay_words), None)
        if source is None or relay is None:
            return r.pronoun(hit.tok, hit.form.gender, hit.form.plural), None
        res = r.explicit(source + 1, hit.tok, hit.form.gender, hit.form.plural)
        return res, self.outlet(v, r, relay + 1, source)

    def outlet(self, v: DocView, r: SpeakerResolver, a: int, b: int) -> str | None:
        """The relaying outlet written in [a, b): its name in marks after a head (وكالة «X»), or
        the subject there."""
        if a < b and v.norms[a] in self.lex.outlet_heads_conjoined:
            marked = name_at(v, a + 1, b)
            if marked is not None and a + 1 in v.pairs:
                return marked
        found = r.explicit(a, b, None, False)
        return found.speaker.name if found is not None else None

    def find_via(self, v: DocView, a: int, b: int) -> str | None:
        """The outlet named in a cue's subject region (لوكالة «نوفوستي»، لـ«عكاظ»، بحسب موقع X)."""
        norms, mention_at, openers = v.norms, v.mention_at, self.via_openers
        for k in range(a, b):
            word = norms[k]
            if word in openers:
                named = mention_at.get(k)  # the head is in the outlet's name: لوكالة الأنباء السعودية
                if named is not None and named.mention.start > v.tokens[k].start:
                    return named.mention.text
                return self.outlet_name(v, k + 1, b)
            ref = mention_at.get(k) if word.startswith("ل") else None  # a glued ل: لرويترز
            if ref is not None and ref.mention.start > v.tokens[k].start and self.addressed(v, a, k):
                return ref.mention.text
            if word == "مع" and k > a and norms[k - 1] in self.lex.setting_nouns:
                return self.outlet_name(v, k + 1, b)  # في مقابلة مع صحيفة «لوموند»
        return None

    def fronted_setting_via(self, v: DocView, tok: int) -> str | None:
        """The outlet of a setting phrase fronted before the verb at `tok` and closed by a comma:
        `وفي تصريح لـ«الجزيرة نت»، قال X إن …` → الجزيرة نت."""
        if tok < 3 or v.tokens[tok - 1].text not in (",", "،"):
            return None
        for k in range(tok - 3, max(-1, tok - 3 - FRONTED_SETTING), -1):
            if v.norms[k] in ("في", "وفي") and v.norms[k + 1] in self.lex.setting_nouns:
                return self.find_via(v, k + 2, tok - 1)
        return None

    def outlet_name(self, v: DocView, k: int, b: int) -> str | None:
        """The outlet's name at token k, after its head noun if it has one (صحيفة «لوموند»)."""
        if k < b and v.norms[k] in self.lex.outlet_heads_conjoined:
            k += 1
        return name_at(v, k, b)

    def addressed(self, v: DocView, a: int, k: int) -> bool:
        """لX at k names whom the words were told (قال لرويترز، في تصريح لعكاظ، قالت مصادر غربية
        لرويترز), not a title's complement (الناطق باسم …، الناطق الرسمي للمقاومة)."""
        if k == a or (k - 1) in v.mention_of_tok:
            return True
        if v.norms[a] in self.lex.source_nouns and k - a <= MAX_SOURCE_WORDS:
            return True  # an unnamed source and its adjectives, then whom it told
        return any(v.norms[p] in self.lex.setting_nouns for p in range(max(a, k - 3), k))


def without_preposition(name: str) -> str:
    """The source of وفقا لمصادر / وفقا للبيان without its glued ل (مصادر، البيان)."""
    if name.startswith("لل"):
        return "ال" + name[2:]
    return name[1:] if name.startswith("ل") else name


def name_at(v: DocView, k: int, b: int) -> str | None:
    """The name written at token k: inside marks, a mention, or the word itself."""
    if k >= b:
        return None
    if k in v.pairs and v.pairs[k] > k + 1:
        close = v.pairs[k]
        return v.text[v.tokens[k + 1].start : v.tokens[close - 1].end]
    ref = v.mention_at.get(k)
    if ref is not None:
        return ref.mention.text
    return v.tokens[k].text if v.is_word(k) else None


def confidence(hit: CueHit, content: Content, res: Resolution | None) -> float:
    """Rule-based score: how the speaker was found, how the content was delimited."""
    if res is None:
        score = 0.3
    else:
        score = HOW_SCORES[res.how]
        if res.how == "pronoun" and hit.form.gender is not None and res.gender == hit.form.gender:
            score += 0.05
    if content.kind == "direct" and content.balanced:
        score += 0.05
    if not content.balanced:
        score -= 0.15
    if hit.direction != "forward" or hit.form.strict or hit.form.family == "according":
        score -= 0.1
    return bounded(score)


@lru_cache(maxsize=256)
def bounded(score: float) -> float:
    """The score within [0, 1], to three decimals (cached: the rules give a handful of scores,
    and rounding a float is slow)."""
    return round(min(1.0, max(0.0, score)), 3)
