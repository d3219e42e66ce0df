"""Who said it: the explicit subject of a reporting cue, an earlier source it refers back to,
or — for a subjectless verb — the most recent source whose gender agrees."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from itertools import chain
from typing import Literal

from services.enricher.nlp.cues import CueLexicon, conjoined, strip_proclitic
from services.enricher.nlp.doc import Gender, Speaker
from services.enricher.nlp.normalize import ends_in_ha, normalize_text, normalize_token
from services.enricher.nlp.quote_marks import MARKS
from services.enricher.nlp.quote_view import CLAUSE_PUNCT, DocView, MentionRef
from services.enricher.nlp.speaker_names import NameCompleter

MAX_DESCRIPTION_TOKENS = 7
MAX_AFFILIATION_WORDS = 3  # مصدر في الرئاسة اللبنانية: a body and its adjectives
PER_SEARCH_TOKENS = 30
TITLE_TOKENS = 6  # words after a name that can still be its title (الناطقة باسم الوزارة)
# Prepositions with a pronoun between a cue and its subject (فقال له النبي، قال فيه، صرح به).
ADDRESSEES = frozenset(
    {"له", "لها", "لهم", "لهما", "لي", "لنا", "لك", "لكم"}
    | {"فيه", "فيها", "به", "بها", "عنه", "عنها", "منه", "منها"}
)
FALLBACK_TOKENS = 80
# Coreference looks back this far (a long news article's length): bounded work on endless bodies.
COREF_TOKENS = 2000
COREF_SOURCES = 50
# A mention preceded by these is the source of a statement "issued by" it (بيان صادر عن …).
ISSUED = frozenset({"صادر", "الصادر", "صادره", "الصادره"})
FAKER_LOCALES = ("ar_AA", "ar_SA", "ar_PS", "ar_DZ", "ar_JO")
COPULAS = conjoined({"كان", "كانت", "كانوا"})
AUXILIARIES = COPULAS | conjoined({"قد"})  # وكان جيش X قد قال …

How = Literal["mention", "description", "coref", "pronoun", "fallback"]


@dataclass(slots=True)
class Resolution:
    """A resolved speaker and what is known of its agreement."""

    speaker: Speaker
    gender: Gender | None
    plural: bool
    how: How
    key: str
    terms: tuple[str, ...] = ()  # the words the source goes by: its name, titles, setting nouns
    at: int = -1  # token where the speaker's mention starts, when one was read
    known_words: frozenset[str] | None = None  # `words`, once computed

    @property
    def words(self) -> frozenset[str]:
        """`content_words` of the terms, computed when a description is first compared with the
        source: most sources never are."""
        if self.known_words is None:
            self.known_words = content_words(self.terms)
        return self.known_words

    def found_as(self, how: How) -> Resolution:
        """The same source, found another way (a pronoun, a description referring back)."""
        return Resolution(
            self.speaker, self.gender, self.plural, how, self.key, self.terms, known_words=self.known_words
        )


def content_words(norms: Iterable[str]) -> frozenset[str]:
    """Words for matching a description against earlier sources: no article, no و/ل/ب."""
    return frozenset(chain.from_iterable(map(_content_forms, norms)))


@lru_cache(maxsize=50_000)
def name_words(name: str) -> frozenset[str]:
    """`content_words` of a speaker's name (cached: each description is compared with the same names)."""
    return content_words(name.split())


@lru_cache(maxsize=50_000)
def _content_forms(w: str) -> tuple[str, ...]:
    """One word's matching forms (cached: the same few words recur in every description)."""
    if w.startswith("لل") and len(w) > 4:
        w = w[2:]
    elif w.startswith(("ال", "بال", "وال", "فال")):
        w = w[w.index("ال") + 2 :]
    # وزارة may be the word or و + زارة; keep both readings
    return (w, strip_proclitic(w)) if len(w) > 2 else ()


def given_names() -> tuple[frozenset[str], frozenset[str]]:
    """Female and male given names from Faker's Arabic locales, normalised; shared names dropped."""
    female: set[str] = set()
    male: set[str] = set()
    for locale in FAKER_LOCALES:
        try:
            provider = import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        female.update(normalize_token(n) for n in getattr(provider, "first_names_female", ()) if " " not in n)
        male.update(normalize_token(n) for n in getattr(provider, "first_names_male", ()) if " " not in n)
    return frozenset(female - male), frozenset(male - female)


class SpeakerResolver:
    """Resolve the speakers of one article's cues in text order, remembering the sources seen."""

    def __init__(self, view: DocView, lex: CueLexicon, female: frozenset[str], male: frozenset[str]) -> None:
        self.v = view
        self.lex = lex
        self.female = female
        self.male = male
        self.history: list[tuple[int, Resolution]] = []
        self.gender_seen: dict[str, Gender] = {}
        self.full_names: dict[str, str] = {}
        self.names = NameCompleter(view, lex)
        self.via_words = ADDRESSEES | lex.outlet_prepositions  # the words `skip_via` skips from

    # --- explicit subjects -------------------------------------------------------------

    def governed(self, ref: MentionRef, a: int = 0) -> bool:
        """The mention follows a preposition or outlet head (within tokens from `a`): not a subject."""
        v = self.v
        tok = v.tokens[ref.tok_start]
        glued = v.text[tok.start : ref.mention.start]
        if "ل" in glued or "ب" in glued or self.lex.is_outlet_preposition(v.norms[ref.tok_start]):
            return True  # بوزارة X، لوكالة X: a preposition's object, whom the words were told
        p = ref.tok_start - 1
        while p >= a and v.tokens[p].text in MARKS:
            p -= 1
        if p < a:
            return False
        word = v.norms[p]
        if word == "عن" and p > 0 and v.norms[p - 1] in ISSUED:
            return False
        return word in self.lex.non_subject_before or self.lex.is_outlet_preposition(word)

    def skip_via(self, k: int, b: int) -> int:
        """Index after an outlet phrase (لـ«عكاظ»، لوكالة «نوفوستي»), or k itself."""
        v = self.v
        word = v.norms[k]
        if word in ADDRESSEES:
            return k + 1
        if not self.lex.is_outlet_preposition(word):
            return k
        k += 1
        if k < b and k in v.pairs:
            return v.pairs[k] + 1
        if k < b and k in v.mention_at:
            return v.mention_at[k].tok_end
        return k + 1 if len(word) == 1 else k

    def explicit(self, a: int, b: int, gender: Gender | None, plural: bool) -> Resolution | None:
        """The subject written in tokens [a, b) right after a cue, if any."""
        v, lex = self.v, self.lex
        f = a
        while f < b:
            if v.tokens[f].text in CLAUSE_PUNCT:
                f += 1
            elif v.norms[f] in self.via_words:
                f = self.skip_via(f, b)
            else:
                break
        if f >= b or not v.is_word(f):
            return None
        if f + 2 < b and v.norms[f + 1] in ISSUED and v.norms[f + 2] == "عن":
            issuer = self.explicit(f + 3, b, None, plural)  # بيان صادر عن X: X speaks
            if issuer is not None:  # a later البيان refers back to it
                issuer.terms = (*issuer.terms, v.norms[f])
                issuer.known_words = None
            return issuer
        if f + 1 < b and v.norms[f] in lex.reports and lex.is_outlet_preposition(v.norms[f + 1]):
            outlet = next((v.mention_at[k] for k in range(f + 1, min(b, f + 4)) if k in v.mention_at), None)
            if outlet is not None:  # تقرير لوكالة «بلومبرغ»: the outlet's own words
                return self.from_mention(outlet, None, plural, "mention", a, b)
        head = v.norms[f]
        named = v.mention_at.get(f)
        if named is not None:  # a name first (علي is no preposition على here)
            return self.from_mention(named, gender, plural, "mention", a, b)
        if head in lex.subject_stoppers or head in lex.verb_prepositions or lex.is_complementizer(head):
            return None
        if head == "من":  # حذر من أن: the verb's preposition, not a subject
            return None
        norms, mention_at, settings, relatives = v.norms, v.mention_at, lex.setting_nouns, lex.relatives
        for k in range(f, min(b, f + PER_SEARCH_TOKENS)):
            if norms[k] in settings or norms[k] in relatives or v.tokens[k].text == ":":
                break
            ref = mention_at.get(k)
            if ref is None or ref.mention.type != "PER" or self.governed(ref, a):
                continue
            if plural or compatible(gender, self.entity_gender(ref)):  # أكدت … الملك فهد: not him
                return self.from_mention(ref, gender, plural, "mention", a, b)
        titled = lex.title_gender(v.norms[f]) is not None
        for k in range(f, min(b, f + 4)):  # a head and marks may come first: وكالة «X»، بيان صادر عن X
            ref = v.mention_at.get(k)
            if ref is not None and k > f and titled:
                break  # the title's complement (مدير المركز الإعلامي، مدرب برشلونة), not the speaker
            if ref is not None and not self.governed(ref, a):
                return self.from_mention(ref, gender, plural, "mention", a, b)
        return self.description(f, b, gender, plural)

    def affiliation_end(self, k: int, b: int, last: int) -> int:
        """Last token of a definite noun and its adjectives from token k (الرئاسة اللبنانية), else `last`."""
        v = self.v
        if (
            k >= b
            or not v.norms[k].startswith("ال")
            or not v.is_word(k)
            or v.norms[k] in self.lex.subject_stoppers
        ):
            return last
        end = k
        while (
            end + 1 < min(b, k + MAX_AFFILIATION_WORDS)
            and v.is_word(end + 1)
            and v.norms[end + 1].startswith("ال")
        ):
            end += 1
        return end

    def description(self, f: int, b: int, gender: Gender | None, plural: bool) -> Resolution | None:
        """An unnamed source (مصدر أمني، متحدثة باسم الجامعة), or an earlier one it refers to."""
        v, lex = self.v, self.lex
        last = f
        k = f
        seen_min = False
        # a source noun or title heads the description (مصدر مسؤول): later titles are adjectives
        generic = v.norms[f] in lex.source_nouns or lex.title_gender(v.norms[f]) is not None
        while k < b and k - f < MAX_DESCRIPTION_TOKENS:
            word = v.norms[k]
            if not v.is_word(k) or lex.is_complementizer(word) or lex.lookup(word):
                break
            if k > f and word == "في":  # مصدر رفيع في وزارة الخارجية: the source's affiliation
                ref = v.mention_at.get(k + 1)
                if ref is not None and ref.tok_end <= b:
                    last = ref.tok_end - 1
                elif generic:  # an unnamed body: مصدر في الرئاسة اللبنانية
                    last = self.affiliation_end(k + 1, b, last)
                break
            if k > f and (
                word in lex.verb_prepositions or word in lex.relatives or (word == "من" and seen_min)
            ):
                break
            if k > f and lex.is_outlet_preposition(word):
                break  # the addressee (لوكالة …)
            if k > f and word.startswith("ل") and self.told_outlet(k):
                break  # the addressee (مصادر غربية لرويترز)
            if (
                k > f
                and lex.title_gender(word) is not None
                and not generic
                and v.norms[k - 1].startswith("ال")
            ):
                break  # an apposition (المدير العام مدير …), unlike a genitive chain after a bare
                # noun (مكتب رئيس الوزراء) or a ل/ب-word (لجسر الملك فهد)
            seen_min = seen_min or word == "من"
            if k > f and word in lex.subject_stoppers and word != "عبر":
                break
            ref = v.mention_at.get(k)
            if ref is not None:
                last = min(ref.tok_end, b) - 1
                k = ref.tok_end
                continue
            if k > f and lex.is_verb_object(word) and not word.startswith("بال"):
                break  # the verb's object (وطالب بعض المواطنين باتخاذ …), not a modifier (بالمقاومة)
            last = k
            k += 1
        norms = v.norms[f : last + 1]
        first = norms[0]
        if gender is None:
            gender = lex.title_gender(first)
        demonstrative = first in lex.demonstratives
        refers_back = first.startswith(("ال", "لل")) or demonstrative or lex.title_gender(first) is not None
        if refers_back and len(norms) <= 4:
            head = content_words(norms[1:2] if demonstrative else norms[:1])
            found = self.corefer(head, f, gender, lex.title_gender(first) is not None)
            if found is None and lex.title_gender(first) is not None:
                found = self.titled_person(content_words(norms), f, gender)
            if found is not None:
                return found
        name = v.text[v.tokens[f].start : v.tokens[last].end]
        plural = plural or first in lex.plural_heads
        return Resolution(Speaker(name=name), gender, plural, "description", " ".join(norms), tuple(norms), f)

    def told_outlet(self, k: int) -> bool:
        """Token k is ل glued to an organisation's name: whom the words were told (لرويترز)."""
        ref = self.v.mention_at.get(k)
        return ref is not None and ref.mention.type == "ORG" and ref.mention.start > self.v.tokens[k].start

    def corefer(
        self, words: frozenset[str], tok: int, gender: Gender | None, person: bool
    ) -> Resolution | None:
        """An earlier source whose name or title shares the description's head word.

        `person`: the head is a title (مدير، رئيس), so it refers to a person, not an organisation.
        """
        if not words:
            return None
        recent = self.history[-COREF_SOURCES:]
        for _, cand in reversed(recent):  # a named source whose name holds the head (الجامعة)
            if cand.speaker.entity_id is not None and words & name_words(cand.speaker.name):
                return cand.found_as("coref")
        for ref in self.v.refs_before(tok, COREF_TOKENS):  # an organisation named so (نادي X)
            if ref.mention.type == "PER" or person:
                continue
            around = content_words(self.v.norms[max(0, ref.tok_start - 1) : ref.tok_end])
            if words & around:
                return self.from_mention(ref, gender, False, "coref", ref.tok_start, ref.tok_end)
        for _, cand in reversed(recent):  # a source with that title or description
            # the verb agrees with the head noun (وأضاف البيان), so gender binds only for persons
            if words & cand.words and (not person or compatible(gender, cand.gender)):
                return cand.found_as("coref")
        return None

    def titled_person(self, words: frozenset[str], tok: int, gender: Gender | None) -> Resolution | None:
        """The nearest earlier person, speaker or not, whose roles hold every word of a titled
        description: `الوزير السعودي` after `وزير الخارجية السعودي الأمير فيصل بن فرحان`."""
        for ref in self.v.refs_before(tok, COREF_TOKENS):
            ent = ref.entity
            if ref.mention.type != "PER" or ent is None or not ent.roles:
                continue
            if words <= content_words(" ".join(map(normalize_text, ent.roles)).split()) and compatible(
                gender, self.entity_gender(ref)
            ):
                return self.from_mention(ref, gender, False, "coref", ref.tok_start, ref.tok_end)
        return None

    def from_mention(
        self, ref: MentionRef, gender: Gender | None, plural: bool, how: How, a: int, b: int
    ) -> Resolution:
        ent = ref.entity
        key = ent.entity_id if ent is not None else ref.mention.text
        name = ent.name if ent is not None and ent.name else ref.mention.text
        if ref.mention.type == "PER":
            name = self.names.without_title(name)
        name = self.full_names.get(key, name)
        longer = self.names.extend(ref, b)
        if longer is not None and len(longer.split()) > len(name.split()):
            name = self.full_names[key] = longer
        speaker = Speaker(name=name, entity_id=ent.entity_id if ent else None, type=ref.mention.type)
        if gender is not None and not plural:
            self.gender_seen.setdefault(key, gender)
        known = self.entity_gender(ref)
        # normalize_text is cached per role; a word that normalises to nothing has no matching form
        roles = " ".join(map(normalize_text, ent.roles)).split() if ent and ent.roles else []
        terms = (*self.v.norms[a : ref.tok_end], *self.title_after(ref, b), *roles, *name.split())
        gender = known if known is not None else gender
        return Resolution(speaker, gender, plural, how, key, terms, ref.tok_start)

    def title_after(self, ref: MentionRef, b: int) -> list[str]:
        """Normalised words after a name up to the clause break: its title or role."""
        v, stoppers, settings = self.v, self.lex.subject_stoppers, self.lex.setting_nouns
        norms = v.norms
        end, stop = ref.tok_end, min(b, ref.tok_end + TITLE_TOKENS)
        while end < stop and v.is_word(end) and norms[end] not in stoppers and norms[end] not in settings:
            end += 1
        return norms[ref.tok_end : end]

    # --- agreement ---------------------------------------------------------------------

    def entity_gender(self, ref: MentionRef) -> Gender | None:
        """Gender of a mention's entity: the entity stage's hint, else evidence in the text."""
        ent = ref.entity
        if ent is not None and ent.gender is not None:
            return ent.gender
        key = ent.entity_id if ent is not None else ref.mention.text
        if key in self.gender_seen:
            return self.gender_seen[key]
        mentions = ent.mentions if ent is not None else [ref.mention]
        v = self.v
        for m in mentions:
            other = v.mention_at.get(bisect.bisect_right(v.starts, m.start) - 1)
            if other is None:
                continue
            for k in (other.tok_start - 1, other.tok_start - 2, other.tok_end):
                if 0 <= k < v.n:
                    g = self.lex.title_gender(v.norms[k])
                    if g is not None and not (g == "f" and ends_in_ha(v.tokens[k].text)):  # رئيسه
                        return g
        first = ref.mention.text.split()[0] if ref.mention.text.split() else ""
        norm_first = v.norms[ref.tok_start] if ref.tok_start < v.n else ""
        if ref.mention.type == "PER":
            if norm_first in self.female or first in self.female:
                return "f"
            if norm_first in self.male or first in self.male:
                return "m"
            return None
        if ref.mention.type == "LOC":
            return "f"  # country and city names take feminine agreement
        return "f" if norm_first.endswith("ه") else "m"

    # --- subjectless cues --------------------------------------------------------------

    def pronoun(self, tok: int, gender: Gender | None, plural: bool) -> Resolution | None:
        """The most recent source the verb's gender and number agree with."""
        # Exact agreement first, so a source of unknown gender does not take a feminine verb
        # that an earlier named woman explains.
        for exact in (True, False):
            for _, cand in reversed(self.history):
                if cand.plural != plural and (exact or cand.plural):
                    continue
                if cand.gender == gender if exact else compatible(gender, cand.gender):
                    return cand.found_as("pronoun")
        for ref in self.v.refs_before(tok, FALLBACK_TOKENS):
            if ref.mention.type in ("PER", "ORG") and compatible(gender, self.entity_gender(ref)):
                return self.from_mention(ref, None, plural, "fallback", ref.tok_start, ref.tok_end)
        return None

    def before(self, tok: int, gender: Gender | None, plural: bool) -> Resolution | None:
        """Subject-verb order: a name right before the cue (سكان سوسيا يقولون), or an unnamed
        subject between كان and قد (وكانت وزيرة الخارجية الألمانية قد صرحت …)."""
        v = self.v
        p = tok - 1
        if p >= 0 and (v.norms[p] in AUXILIARIES or v.norms[p] in self.lex.relatives):
            p -= 1  # وكان X قد قال، X التي قالت
        if p >= 0 and p not in v.mention_of_tok and v.norms[p + 1] in AUXILIARIES:
            return self.copula_subject(p, gender, plural)
        if p >= 0 and v.tokens[p].text == ")":  # X (40 عاما) التي قالت
            opening = next((k for k in range(p - 1, max(-1, p - 8), -1) if v.tokens[k].text == "("), None)
            p = opening - 1 if opening is not None else p
        ref = v.mention_of_tok.get(p) if p >= 0 else None
        if ref is None or ref.tok_end != p + 1 or self.governed(ref, max(0, ref.tok_start - 2)):
            return None
        title = ref.tok_start - 1
        if title >= 0 and self.lex.title_gender(v.norms[title]) is not None:
            return self.description(title, ref.tok_end, gender, plural)  # وكان مدرب برشلونة قد أعلن
        return self.from_mention(ref, gender, plural, "mention", ref.tok_start, ref.tok_end)

    def copula_subject(self, last: int, gender: Gender | None, plural: bool) -> Resolution | None:
        """The description ending at token `last` that كان opens, headed by a title or a source
        noun: `وكان الوزير قد قال`."""
        v, lex = self.v, self.lex
        for k in range(last - 1, max(-1, last - MAX_DESCRIPTION_TOKENS), -1):
            if v.norms[k] in COPULAS:
                head = v.norms[k + 1]
                if lex.title_gender(head) is None and head not in lex.source_nouns:
                    return None
                return self.description(k + 1, last + 1, gender, plural)
            if not v.is_word(k):
                return None
        return None

    def copula_sentence_subject(self, tok: int, gender: Gender | None, plural: bool) -> Resolution | None:
        """The named subject of a sentence that كان opens, for a later verb of that sentence with no
        subject of its own: `وكانت وزارة الخارجية قد أصدرت بيانا، أمس، أكدت فيه أن …` → the
        ministry, not the last woman quoted."""
        v = self.v
        start = tok
        while start > 0 and tok - start < FALLBACK_TOKENS and not v.ends_sentence(start - 1):
            if v.breaks_before(start):
                break
            start -= 1
        ref = v.mention_at.get(start + 1)
        if v.norms[start] not in COPULAS or ref is None or ref.tok_end >= tok:
            return None
        if ref.mention.type not in ("PER", "ORG") or not compatible(gender, self.entity_gender(ref)):
            return None
        return self.from_mention(ref, gender, plural, "mention", ref.tok_start, ref.tok_end)

    def recent(self, since: int) -> Resolution | None:
        """The last source named at or after token `since` (the subject a relay verb follows)."""
        if self.history and self.history[-1][0] >= since:
            return self.history[-1][1]
        return None

    def remember(self, tok: int, res: Resolution, a: int = 0, b: int = 0) -> None:
        """Add a source to the history; the setting nouns of its cue (في بيان) let a later
        البيان refer back to it."""
        settings = self.lex.setting_nouns.intersection(self.v.norms[a:b])
        if settings:
            res = Resolution(res.speaker, res.gender, res.plural, res.how, res.key, (*res.terms, *settings))
        self.history.append((tok, res))


def compatible(want: Gender | None, have: Gender | None) -> bool:
    return want is None or have is None or want == have
