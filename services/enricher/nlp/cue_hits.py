"""Cue tokens matched in an article: which reporting words open content, and where.

A cue opens its content forward (a complementizer, a quotation mark or a colon within a
bounded window), attributes the clause before it (…، وفق ما قالت X؛ …، بحسب X) or the marks
before it («…»، قال X). Every scan is a bounded walk over tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from services.enricher.nlp.cues import POSSESSIVES, VERBAL_NOUNS, CueForm, CueLexicon, agreement, conjoined
from services.enricher.nlp.normalize import normalize_token
from services.enricher.nlp.quote_marks import MARKS, OPENERS
from services.enricher.nlp.quote_view import CLAUSE_PUNCT, SENTENCE_END, DocView

MAX_CUE_WINDOW = 28  # tokens from a cue to its complementizer: subject, titles, setting
STRICT_WINDOW = 3
MIN_QUOTE_WORDS = 3  # fewer words in marks after a noun: a name or a scare-quoted term
SUBJECT_WINDOW = 20
COLON_WINDOW = 4  # a colon this close to the cue opens unmarked direct speech (وأضاف: …)
BACKWARD_SUBJECT_WORDS = 8  # …، كما قال X أمس الجمعة.: a subject and a date at most
ACCORDING_WINDOW = 12  # tokens of the source after بحسب/وفقا لـ
BRACKET_WORDS = 5  # an abbreviation in brackets after a source's name
POSSESSIVE_AGREEMENT = (*POSSESSIVES, ("", "-"))
ALA = normalize_token("على")
RELAYED_FROM = conjoined({"نقلا"})  # (و)نقلا عن X: X spoke, whoever says it relays

OpeningKind = Literal["comp", "mark", "colon", "comma"]
Direction = Literal["forward", "backward", "after", "narrator"]


class Opening(NamedTuple):  # a tuple: built for most cues, cheaper than a frozen dataclass
    """Where a cue's content opens: a complementizer, a quotation mark, or a colon."""

    kind: OpeningKind
    tok: int


@dataclass(slots=True)
class CueHit:
    """A cue token and, once matched, where its content lies relative to it."""

    tok: int
    form: CueForm
    proclitic: int
    opening: Opening | None = None
    direction: Direction = "forward"
    stop: int = 0  # token where content before this cue must end
    embedded: bool = False  # inside running text (اجتماع يتوقع أن …), not a new clause
    subject_from: int | None = None  # where the source is written, when not right after the cue
    pronominal: bool = False  # the source is a possessive pronoun (على حد تعبيره)
    fronted: Fronted | None = None  # نقلا عن X، ذكرت Y أن …: a source phrase before the verb


class Fronted(NamedTuple):
    """A `بحسب X،` / `نقلا عن X،` phrase that opens the sentence of a verb cue: tokens [first,
    end) name X; `relayed` (نقلا عن) makes X the speaker and the verb's subject the outlet."""

    first: int
    end: int
    relayed: bool


def starts_clause(hit: CueHit) -> bool:
    """The cue begins a statement of its own (or the narrator's وأشار إلى …), ending earlier content."""
    if hit.embedded:
        return False
    return (
        hit.opening is not None
        or hit.direction != "forward"
        or (hit.proclitic > 0 and hit.form.family == "verb")
    )


class CueMatcher:
    """Find the cues of an article and attach each to its content."""

    def __init__(self, lex: CueLexicon) -> None:
        self.lex = lex
        self.triggers = lex.triggers | {ALA}  # على starts على حد تعبيره
        self.spot = self.triggers | MARKS  # the words a DocView locates for `find_cues`
        # Every word a window scan (find_opening, subject_region) may stop or act on; one set
        # test skips the plain words in between. Punctuation tokens are one character, so their
        # normalised form is the text the scans test.
        self.scan_stops = (
            SENTENCE_END
            | CLAUSE_PUNCT
            | MARKS
            | {":"}
            | lex.complementizers
            | lex.relatives
            | frozenset(lex.spelled)
        )

    def find_cues(self, v: DocView) -> list[CueHit]:
        """Cue tokens with the opening of their content, or their backward/after attachment."""
        hits: list[CueHit] = []
        triggers, cues, according_words = self.triggers, self.lex.spelled, self.lex.according_conjoined
        norms = v.norms
        fronted: dict[int, Fronted] = {}  # verb cue token → the source phrase before it
        for i in [k for k in v.spotted if norms[k] in triggers]:
            norm = norms[i]
            if norm in according_words:
                according = self.according_hit(v, i)
            else:
                according = self.as_put_hit(v, i) if norm == ALA else None
            if according is not None:
                before_verb = self.before_verb(v, according)
                if before_verb is None:
                    hits.append(according)
                else:  # the source belongs to the verb's quote, not to one of its own
                    fronted[before_verb[0]] = before_verb[1]
                continue
            found = cues.get(norm)
            if found is None or (
                found[0].family == "participle" and i > 0 and v.norms[i - 1] in self.lex.copulas
            ):
                continue  # كان لافتا أن …: an adjective, not a cue
            hit = CueHit(i, found[0], found[1], stop=i, embedded=self.is_embedded(v, i, found[1]))
            hit.fronted = fronted.get(i)
            if norm[found[1] :] in self.lex.impersonal and i + 1 < v.n and self.is_complementizer(v, i + 1):
                hit.direction = "narrator"  # يذكر أن …: the writer's aside, no source
            elif hit.form.family != "subject":
                hit.opening = self.find_opening(v, hit)
                if hit.form.strict and not self.strict_ok(v, hit):
                    hit.opening = None
                if (
                    hit.form.no_bare_marks
                    and hit.opening is not None
                    and not self.speech_opening(v, hit.opening)
                ):
                    hit.opening = None
                if hit.opening is None and hit.form.family == "verb":
                    self.attach_backward(v, hit)
            hits.append(hit)
        return hits

    def according_hit(self, v: DocView, i: int) -> CueHit | None:
        """`بحسب X، …` opens the rest of the sentence; `…، بحسب X.` attributes the clause before."""
        norm = v.norms[i]
        proclitic = 0 if norm in self.lex.according else 1
        f = i + 1
        if f < v.n and v.norms[f] in ("ل", "عن"):  # وفقا لـ X، نقلا عن X
            f += 1
        if f >= v.n or v.norms[f] in ("ما", "لما") or not v.is_word(f) or self.lex.lookup(v.norms[f]):
            return None  # بحسب ما قال X، حسبما قالت X: the verb is the cue
        j = f
        while j < min(v.n, f + ACCORDING_WINDOW) and v.tokens[j].text not in SENTENCE_END | {"،", ","}:
            if j > f and v.breaks_before(j):
                break
            j += 1
        form = CueForm(norm[proclitic:], "according", None, False)
        hit = CueHit(i, form, proclitic, stop=i, subject_from=f)
        starts_sentence = (
            i == 0 or v.ends_sentence(i - 1) or v.breaks_before(i) or v.tokens[i - 1].text == ":"
        )
        if starts_sentence and j < v.n and v.tokens[j].text in ("،", ","):
            hit.opening = Opening("comma", j)
            return hit
        ends_sentence = j >= v.n or v.ends_sentence(j) or v.breaks_before(j)
        if i > 0 and v.tokens[i - 1].text in ("،", ",") and ends_sentence:
            hit.direction = "backward"
            return hit
        return None

    def before_verb(self, v: DocView, hit: CueHit) -> tuple[int, Fronted] | None:
        """A sentence-opening source phrase whose comma a reporting verb follows (نقلا عن مصادر،
        ذكرت قناة X أن …): the verb's token and the phrase; else None."""
        if hit.opening is None or hit.opening.kind != "comma" or hit.subject_from is None:
            return None
        k = hit.opening.tok + 1
        found = self.lex.spelled.get(v.norms[k]) if k < v.n else None
        if found is None or found[0].family not in ("verb", "relay"):
            return None
        relayed = v.norms[hit.tok] in RELAYED_FROM
        return k, Fronted(hit.subject_from, hit.opening.tok, relayed)

    def as_put_hit(self, v: DocView, i: int) -> CueHit | None:
        """`…، على حد تعبيره` / `على حد قول X`: the clause before, in its source's words."""
        if not (v.norms[i] == ALA and i + 2 < v.n and v.norms[i + 1] == "حد"):
            return None
        if i == 0 or v.tokens[i - 1].text not in ("،", ","):
            return None
        word = v.norms[i + 2]
        for suffix, code in POSSESSIVE_AGREEMENT:
            if word.endswith(suffix) and word[: len(word) - len(suffix)] in self.lex.as_put_by:
                gender, plural = agreement(code)
                form = CueForm(word[: len(word) - len(suffix)], "according", gender, plural)
                hit = CueHit(i + 2, form, 0, stop=i, subject_from=i + 3, pronominal=bool(suffix))
                hit.direction = "backward"
                return hit
        return None

    @staticmethod
    def speech_opening(v: DocView, op: Opening) -> bool:
        """A complementizer, or marks after a colon (كتب على «فيسبوك»: «…»), not marks alone."""
        return op.kind == "comp" or v.tokens[op.tok - 1].text == ":"

    def strict_ok(self, v: DocView, hit: CueHit) -> bool:
        """A homograph cue (بين "between") counts only at a clause start (وبين أن، وتابع: «…»)."""
        op, i = hit.opening, hit.tok
        if op is None:
            return False
        if op.kind == "mark" and self.speech_opening(v, op):
            return True  # وتابعت الوزيرة: «…»: a colon and marks make it speech
        if op.kind != "comp" and op.tok > i + 2:
            return False
        return bool(hit.proclitic) or hit.form.family == "participle" or i == 0 or v.ends_sentence(i - 1)

    def is_embedded(self, v: DocView, i: int, proclitic: int) -> bool:
        """A cue right after a plain word of running text (اجتماع يتوقع أن) starts no clause."""
        if proclitic or i == 0 or not v.is_word(i - 1) or v.breaks_before(i):
            return False
        return v.norms[i - 1] not in self.lex.clause_openers and (i - 1) not in v.mention_of_tok

    def find_opening(self, v: DocView, hit: CueHit) -> Opening | None:
        """The complementizer, mark or colon that opens the cue's content, within a bounded window."""
        i = hit.tok
        window = STRICT_WINDOW if hit.form.strict else MAX_CUE_WINDOW
        tokens, norms, pairs, breaks = v.tokens, v.norms, v.pairs, v.breaks
        cues, relatives, comps = self.lex.spelled, self.lex.relatives, self.lex.complementizers
        stops = self.scan_stops
        j = i + 1
        end = min(v.n, i + 1 + window)
        while j < end:
            if j in breaks and j > i + 1:
                return None
            if norms[j] not in stops:
                j += 1
                continue
            t = tokens[j].text
            if t in SENTENCE_END:
                return None
            if t == ":":
                return self.after_colon(v, j, j - i <= COLON_WINDOW)
            if j in pairs:
                close = pairs[j]
                named = v.mention_at.get(j + 1)
                if named is not None and named.tok_end == close:
                    j = close + 1  # a name in marks (صحيفة «وول ستريت جورنال»), not words said
                    continue
                words = sum(map(v.is_word, range(j + 1, close)))
                alone = close + 1 >= v.n or v.tokens[close + 1].text in SENTENCE_END
                if words >= MIN_QUOTE_WORDS or (j == i + 1 and (words > 1 or alone)):
                    return Opening("mark", j)
                j = close + 1
                continue
            if t in OPENERS and j == i + 1:
                return Opening("mark", j)  # unbalanced: the content runs to the clause end
            if norms[j] in comps and self.is_complementizer(v, j):
                return Opening("comp", j)
            if norms[j] in relatives:
                return None
            other = cues.get(norms[j])
            if other is not None and (other[0].family not in VERBAL_NOUNS or hit.form.family == "relay"):
                return None  # the next cue governs what follows (a verbal noun: في تصريح، قولها)
            j += 1
        return None

    def after_colon(self, v: DocView, j: int, near: bool) -> Opening | None:
        """What a colon after a cue opens; bare words only when the colon is near the cue."""
        nxt = j + 1
        if nxt >= v.n:
            return None
        if nxt in v.pairs or v.tokens[nxt].text in OPENERS:
            return Opening("mark", nxt)
        if self.is_complementizer(v, nxt):
            return Opening("comp", nxt)
        return Opening("colon", j) if near and v.is_word(nxt) else None

    def is_complementizer(self, v: DocView, j: int) -> bool:
        """إن/أن opening reported content; وأن "and that" continues an earlier clause instead, and
        an إن inside a name (شبكة سي إن إن) is a word of the name."""
        norms = v.norms
        return (
            norms[j] in self.lex.complementizers
            and not (j > 0 and norms[j - 1] in self.lex.not_complementizer_before)
            and j not in v.mention_of_tok
        )

    def attach_backward(self, v: DocView, hit: CueHit) -> None:
        """`…، وفق ما قالت X` attributes the clause before; `«…»، قال X` the marks before."""
        p = hit.tok - 1
        if p >= 1 and v.norms[p] in self.lex.backward_markers:
            m = p
            if v.norms[p] in ("ما", "لما"):
                m = p - 1
                if m < 0 or v.norms[m] not in self.lex.backward_prefaces:
                    return
            if m >= 1 and v.tokens[m - 1].text in CLAUSE_PUNCT and self.ends_with_subject(v, hit):
                hit.direction, hit.stop = "backward", m
            elif m == 0 or v.ends_sentence(m - 1) or v.breaks_before(m):
                hit.opening = self.fronted_opening(v, hit)  # وحسب ما أفادت به X، فإن …
            return
        while p >= 0 and v.tokens[p].text in CLAUSE_PUNCT:
            p -= 1
        if p >= 0 and p in v.closes:
            hit.direction = "after"

    def fronted_opening(self, v: DocView, hit: CueHit) -> Opening | None:
        """The comma that ends a fronted `حسب ما قال X` phrase: the rest of the sentence is X's."""
        a, b = self.subject_region(v, hit)
        if b < v.n and v.tokens[b].text == "(":  # an abbreviation in brackets: (واس)،
            b = next((k + 1 for k in range(b + 1, min(v.n, b + BRACKET_WORDS)) if v.tokens[k].text == ")"), b)
        if b < v.n and b > a and v.tokens[b].text in ("،", ",") and b - a <= ACCORDING_WINDOW:
            return Opening("comma", b)
        return None

    def ends_with_subject(self, v: DocView, hit: CueHit) -> bool:
        """Only a subject and adjuncts follow the cue to the end of the sentence (…، كما قال X.;
        …، بحسب ما قالته X في منتدى دافوس.), not an object (كما طالبت X بتقديم …)."""
        a, b = self.subject_region(v, hit)
        if not (b >= v.n or v.ends_sentence(b) or v.breaks_before(b)):
            return False
        # the subject ends at the first setting or time word (في, خلال, أمس); the rest is an adjunct
        stop = next((k for k in range(a + 1, b) if v.norms[k] in self.lex.subject_stoppers), b)
        if stop - a > BACKWARD_SUBJECT_WORDS or b - stop > BACKWARD_SUBJECT_WORDS:
            return False
        return not any(self.object_like(v.norms[k]) for k in range(a + 1, stop))

    def object_like(self, norm: str) -> bool:
        """A preposition or a ب-word that introduces a verb's object (بتقديم، إلى الحوار)."""
        return norm in self.lex.verb_prepositions or self.lex.is_verb_object(norm)

    # --- subjects ----------------------------------------------------------------------

    def subject_region(self, v: DocView, hit: CueHit) -> tuple[int, int]:
        """Tokens after the cue where its subject is written."""
        a = hit.tok + 1 if hit.subject_from is None else hit.subject_from
        if hit.opening is not None and hit.direction == "forward":
            return a, hit.opening.tok
        b = a
        end = min(v.n, a + SUBJECT_WINDOW)
        tokens, norms, breaks, cues = v.tokens, v.norms, v.breaks, self.lex.spelled
        comps, stops = self.lex.complementizers, self.scan_stops
        while b < end:
            if b in breaks and b > a:
                break
            if norms[b] in stops:
                t = tokens[b].text
                if t in SENTENCE_END or t in CLAUSE_PUNCT or t == ":":
                    break
                if norms[b] in cues or (norms[b] in comps and self.is_complementizer(v, b)):
                    break
            b += 1
        return a, b
