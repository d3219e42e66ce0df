"""The reporting-cue lexicon: data from `lexicons/quote_cues.yaml` expanded into every inflection."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml

from services.enricher.nlp.doc import Gender
from services.enricher.nlp.normalize import normalize_token

CUES_PATH = Path(__file__).parent / "lexicons" / "quote_cues.yaml"

CueFamily = Literal["verb", "participle", "masdar", "masdar_subject", "relay", "subject", "according"]
VERBAL_NOUNS = frozenset({"masdar", "masdar_subject"})
PROCLITICS = ("و", "ف")
MASDAR_PROCLITICS = ("ب", "ل")

# Perfect suffixes: 3rd person (and the 1st/2nd person forms that share their spelling).
PAST_SUFFIXES: tuple[tuple[str, str], ...] = (("", "m"), ("ت", "f"), ("وا", "p"), ("ا", "m"), ("تا", "f"))
SHORT_SUFFIXES: tuple[tuple[str, str], ...] = (("ت", "-"), ("نا", "-"), ("ن", "f"))
# The perfect with an object pronoun, as after ما (…، بحسب ما قالته الوزيرة).
OBJECT_SUFFIXES: tuple[tuple[str, str], ...] = (("ه", "m"), ("ته", "f"), ("وه", "p"))
# Imperfect: (prefix, suffix, gender).
PRESENT_AFFIXES: tuple[tuple[str, str, str], ...] = (
    ("ي", "", "m"),
    ("ت", "", "f"),
    ("ي", "ون", "p"),
    ("ت", "ون", "p"),
    ("ي", "ان", "m"),
    ("ت", "ان", "f"),
)  # no first person: نصر، نصف، نجيب are nouns and names far more often than "we insist/describe/answer"
# Participles only in the accusative of circumstance (مؤكداً، مؤكدةً، مؤكدين، مؤكدات).
PARTICIPLE_SUFFIXES: tuple[tuple[str, str], ...] = (("ا", "m"), ("ة", "f"), ("ين", "p"), ("ات", "p"))
POSSESSIVES: tuple[tuple[str, str], ...] = (("ه", "m"), ("ها", "f"), ("هم", "p"), ("هما", "p"), ("هن", "p"))


@dataclass(frozen=True, slots=True)
class CueForm:
    """One written form of a cue: what kind of word it is and the agreement it shows."""

    lemma: str
    family: CueFamily
    gender: Gender | None
    plural: bool
    strict: bool = False
    no_bare_marks: bool = False  # marks right after it are no speech: كتب «…» is a book's title


def agreement(code: str) -> tuple[Gender | None, bool]:
    if code == "m":
        return "m", False
    if code == "f":
        return "f", False
    return None, code == "p"


def _spellings(form: str) -> set[str]:
    """The normalised form, plus the spelling without hamza seats (يوكد، قايلا)."""
    norm = normalize_token(form)
    return {norm, norm.replace("ؤ", "و").replace("ئ", "ي")}


def _with_possessive(stem: str, suffix: str) -> str:
    return (stem[:-1] + "ت" if stem.endswith("ة") else stem) + suffix


def expand_entry(entry: Mapping[str, Any], family: CueFamily) -> Iterator[tuple[str, CueForm]]:
    """Every (written form, cue form) of one lexicon entry."""
    lemma = str(entry["past"])
    strict = bool(entry.get("strict", False))
    no_bare_marks = bool(entry.get("no_bare_marks", False))
    finite: list[tuple[str, str]] = [(f, str(g)) for f, g in (entry.get("forms") or {}).items()]
    if "forms" not in entry:
        finite += [(lemma + s, g) for s, g in (*PAST_SUFFIXES, *OBJECT_SUFFIXES)]
        if "short" in entry:
            finite += [(str(entry["short"]) + s, g) for s, g in SHORT_SUFFIXES]
        if "present" in entry:
            finite += [(p + str(entry["present"]) + s, g) for p, s, g in PRESENT_AFFIXES]
    participles: list[tuple[str, str]] = [(f, str(g)) for f, g in (entry.get("participles") or {}).items()]
    if "participle" in entry:
        participles += [(str(entry["participle"]) + s, g) for s, g in PARTICIPLE_SUFFIXES]
    masdars = (
        [(_with_possessive(str(entry["masdar"]), s), g) for s, g in POSSESSIVES] if "masdar" in entry else []
    )
    # the bare verbal noun takes its subject as a genitive (إعلان الوزارة أن …)
    bare = [(str(entry["masdar"]), "-")] if "masdar" in entry and family == "verb" else []
    groups: tuple[tuple[CueFamily, list[tuple[str, str]]], ...] = (
        (family, finite),
        ("participle" if family == "verb" else family, participles),
        ("masdar", masdars),
        ("masdar_subject", bare),
    )
    for fam, forms in groups:
        for written, code in forms:
            gender, plural = agreement(code)
            for spelling in _spellings(written):
                yield spelling, CueForm(lemma, fam, gender, plural, strict, no_bare_marks)


def _normalised(words: Iterable[Any]) -> frozenset[str]:
    return frozenset(normalize_token(str(w)) for w in words)


def conjoined(words: Iterable[str]) -> frozenset[str]:
    """The words as written and after a و/ف conjunction (a one-letter word takes none):
    membership is then one set test on the token as written."""
    listed = frozenset(words)
    return listed | {p + w for p in PROCLITICS for w in listed if len(w) > 1}


def _conjoined(words: Iterable[Any]) -> frozenset[str]:
    return conjoined(_normalised(words))


def _phrases(phrases: Iterable[Any]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Normalised multi-word phrases indexed by their first word."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(normalize_token(w) for w in str(phrase).split())
        out.setdefault(words[0], []).append(words[1:])
    return {first: tuple(rests) for first, rests in out.items()}


class CueLexicon:
    """Normalised cue forms and the closed word classes the quote rules use.

    A word class that the rules test on tokens holds its words also after a و/ف conjunction
    (`conjoined`); `according`, `outlet_heads` and `complementizers` keep the words as listed
    beside such a twin.
    """

    def __init__(self, path: Path = CUES_PATH) -> None:
        raw = path.read_bytes()
        self.fingerprint = hashlib.sha256(raw).hexdigest()[:12]
        data: dict[str, Any] = yaml.safe_load(raw)
        self.forms: dict[str, CueForm] = {}
        sections: tuple[tuple[str, CueFamily], ...] = (
            ("subject_verbs", "subject"),
            ("relay_verbs", "relay"),
            ("verbs", "verb"),
        )
        for section, family in sections:  # later sections win on shared spellings
            for entry in data[section]:
                self.forms.update(expand_entry(entry, family))
        self.according = _normalised(data["according"])
        self.according_conjoined = conjoined(self.according)
        self.complementizers = frozenset(
            normalize_token(str(c) + str(s))
            for c in data["complementizers"]
            for s in data["complementizer_suffixes"]
        )
        self.complementizers_conjoined = conjoined(self.complementizers)
        self.not_complementizer_before = _conjoined(data["not_complementizer_before"])
        self.verb_prepositions = _conjoined(data["verb_prepositions"])
        self.non_subject_before = _conjoined(data["non_subject_before"])
        self.subject_stoppers = _conjoined(data["subject_stoppers"])
        self.setting_nouns = _conjoined(data["setting_nouns"])
        self.reports = _conjoined(data["reports"])
        self.outlet_heads = _normalised(data["outlet_heads"])
        self.outlet_heads_conjoined = conjoined(self.outlet_heads)
        # لـ and ل glued to an outlet head, each also after و (ولوكالة)
        self.outlet_prepositions = frozenset(c + h for c in ("ل", "ول") for h in ("", *self.outlet_heads))
        self.backward_markers = _conjoined(data["backward_markers"])
        self.backward_prefaces = _conjoined(data["backward_prefaces"])
        self.demonstratives = _conjoined(data["demonstratives"])
        self.impersonal = _normalised(data["impersonal"])
        self.as_put_by = _normalised(data["as_put_by"])
        self.source_nouns = _conjoined(data["source_nouns"])
        self.plural_heads = _conjoined(data["plural_heads"])
        self.clause_breaks = _conjoined(data["clause_breaks"])
        self.clause_breaks_after_comma = _phrases(data["clause_breaks_after_comma"])
        self.clause_openers = _conjoined(data["clause_openers"])
        self.copulas = _conjoined(data["copulas"])
        self.contrast_pronouns = _conjoined(data["contrast_pronouns"])
        # words that may start a narrator's clause (quote_spans.returns_to_narrator): one set test
        # rules out the rest
        self.narrator_openers = (
            self.clause_breaks
            | self.contrast_pronouns
            | set(self.clause_breaks_after_comma)
            | {p + w for p in PROCLITICS for w in self.clause_breaks_after_comma if len(w) > 2}
        )
        self.relatives = _normalised(data["relatives"])
        self.titles_f = _conjoined(data["titles_f"])
        self.titles_m = _conjoined(data["titles_m"])

    @cached_property
    def spelled(self) -> dict[str, tuple[CueForm, int]]:
        """Every token spelling of a cue (a form with the proclitics it may take) → the cue and
        the proclitic's length: `lookup` is then one dict probe."""
        forms = set(self.forms)
        candidates = forms | {p + f for p in PROCLITICS + MASDAR_PROCLITICS for f in forms}
        candidates |= {p + q + f for p in PROCLITICS for q in MASDAR_PROCLITICS for f in forms}
        return {c: found for c in candidates if (found := self._parse(c)) is not None}

    @cached_property
    def triggers(self) -> frozenset[str]:
        """Every token spelling that can start a cue (cue spellings, `according` words): one set
        test lets the matcher skip the ordinary words that make up most of an article."""
        return frozenset(self.spelled) | self.according | {p + a for p in PROCLITICS for a in self.according}

    @cached_property
    def closed_class(self) -> frozenset[str]:
        """Function words, titles and cue spellings: words never part of a person's name."""
        return (
            self.titles_f
            | self.titles_m
            | self.subject_stoppers
            | self.verb_prepositions
            | self.setting_nouns
            | self.relatives
            | self.demonstratives
            | self.complementizers_conjoined
            | frozenset(self.spelled)
        )

    def lookup(self, norm: str) -> tuple[CueForm, int] | None:
        """The cue a normalised token spells, with the length of the proclitic before it."""
        return self.spelled.get(norm)

    def _parse(self, norm: str) -> tuple[CueForm, int] | None:
        """`lookup` by rule: the form as written, after و/ف, after و/ف + ب/ل or after ب/ل (verbal nouns)."""
        form = self.forms.get(norm)
        if form is not None:
            return form, 0
        if len(norm) > 3 and norm[0] in PROCLITICS:
            form = self.forms.get(norm[1:])
            if form is not None:
                return form, 1
            if norm[1] in MASDAR_PROCLITICS:
                form = self.forms.get(norm[2:])
                if form is not None and form.family in VERBAL_NOUNS:
                    return form, 2
        if len(norm) > 3 and norm[0] in MASDAR_PROCLITICS:
            form = self.forms.get(norm[1:])
            if form is not None and form.family in VERBAL_NOUNS:
                return form, 1
        return None

    def is_complementizer(self, norm: str) -> bool:
        return norm in self.complementizers_conjoined

    def is_outlet_preposition(self, norm: str) -> bool:
        """لـ, or ل glued to an outlet head (لوكالة، لصحيفة): whom the words were told."""
        return norm in self.outlet_prepositions

    def is_verb_object(self, norm: str) -> bool:
        """A ب-word that introduces a verb's object (بتقديم، بالمضي), not باسم nor a setting (ببيان)."""
        if not norm.startswith("ب") or len(norm) <= 3 or norm == "باسم":
            return False
        return norm[1:] not in self.setting_nouns

    def title_gender(self, norm: str) -> Gender | None:
        """The gender a title or role noun shows (الناطقة → f), if it is one."""
        if norm in self.titles_f:
            return "f"
        if norm in self.titles_m:
            return "m"
        return None


def strip_proclitic(norm: str) -> str:
    """Drop one و/ف conjunction from a normalised word."""
    return norm[1:] if len(norm) > 3 and norm[0] in PROCLITICS else norm
