"""Document-level consistency: a name found confidently once is found at its other mentions too,
and one string gets one type in an article unless a rule says otherwise."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping
from itertools import compress, filterfalse

from services.enricher.nlp.candidates import Candidate
from services.enricher.nlp.clitics import clitic_variants
from services.enricher.nlp.doc import EntityType
from services.enricher.nlp.gazetteer import stems
from services.enricher.nlp.normalize import normalize_token
from services.enricher.nlp.rules import RuleContext, is_place_nisba, raw_offset

CONFIDENT = 0.6
MIN_SHORT_FORM = 3
MAX_NAME_WORDS = 8  # longer "names" are tagger run-ons, not worth finding again
RULE_SOURCES = frozenset({"quoted", "head", "glued"})  # evidence strong enough to keep its own type
RULE_WEIGHT = 3.0  # a rule's vote on a name's type outweighs a few tagger guesses


def name_key(ctx: RuleContext, cand: Candidate) -> tuple[str, ...]:
    """Normalised words of a candidate, clitics of the first word left out."""
    if cand.source == "glued":  # part of one token
        return (normalize_token(ctx.text[cand.start : cand.end]),)
    words = ctx.norms[cand.tok_start : cand.tok_end]  # a copy: the first word may be cut below
    first = ctx.tokens[cand.tok_start]
    skip = cand.start - first.start
    if skip and len(first.text) == len(first.norm):
        words[0] = first.norm[skip:]
    return tuple(words)


def unify_types(ctx: RuleContext, cands: list[Candidate]) -> None:
    """Give every candidate of the same name the type with the most total confidence."""
    votes: dict[tuple[str, ...], dict[EntityType, float]] = defaultdict(lambda: defaultdict(float))
    keys = [name_key(ctx, cand) for cand in cands]
    for cand, key in zip(cands, keys, strict=True):
        weight = RULE_WEIGHT if cand.source in RULE_SOURCES else 1.0
        votes[key][cand.type] += cand.score * weight
    for cand, key in zip(cands, keys, strict=True):
        if cand.source in RULE_SOURCES:
            continue
        tally = votes[key]
        cand.type = max(tally, key=tally.__getitem__)


def propagate(ctx: RuleContext, cands: list[Candidate]) -> list[Candidate]:
    """Candidates for further occurrences of confident names (with or without proclitics), and
    for a person's family name or unlisted first name on its own (`لافروف` after `سيرغي لافروف`).
    A first name alone is no mention right after a title: there it is a word of the title's
    phrase (`المتحدث باسم الحكومة` in an article about `باسم العوادي`)."""
    names: dict[tuple[str, ...], tuple[EntityType, float]] = {}
    first_names: set[tuple[str, ...]] = set()
    for cand in cands:
        if cand.score < CONFIDENT or cand.source == "glued":
            continue
        key = name_key(ctx, cand)
        if len(key) > MAX_NAME_WORDS:
            continue
        if len(key) == 1 and (len(key[0]) < MIN_SHORT_FORM or key[0] in ctx.lexicons.function_words):
            continue
        names.setdefault(key, (cand.type, cand.score))
        if cand.type == "PER" and len(key) > 1:
            for short in (key[-1], key[0]):
                if is_short_form(ctx, short) and (short,) not in names:
                    names[(short,)] = ("PER", cand.score * 0.9)
                    if short == key[0]:
                        first_names.add((short,))
    # first word → lengths of the names starting with it, longest first; a name is then looked up as
    # one tuple per length instead of comparing against every name sharing its first word (quadratic)
    lengths_by_first: dict[str, set[int]] = defaultdict(set)
    for key in names:
        lengths_by_first[key[0]].add(len(key))
    by_first = {first: sorted(lengths, reverse=True) for first, lengths in lengths_by_first.items()}
    toks, norms, found = ctx.tokens, ctx.norms, []
    # a document candidate loses to any candidate it overlaps (lowest priority): most repeats were
    # found already, so those are skipped here rather than built and thrown away by `resolve`
    taken = sorted((cand.start, cand.end) for cand in cands)
    # each distinct form's readings are tested once, at C level (the first reading is the form
    # itself); then one set test per word picks the words that can start a name
    readings = filterfalse(by_first.keys().isdisjoint, map(stems, set(norms)))
    starts = {forms[0] for forms in readings}
    for i in compress(range(len(norms)), map(starts.__contains__, norms)):
        tok = toks[i]
        for offset, stem in clitic_variants(tok.norm):
            name_lengths = by_first.get(stem)
            if name_lengths is None:
                continue
            hit = longest_name_at(norms, i, stem, name_lengths, names)
            if hit in first_names and i > 0 and ctx.is_title(i - 1):
                break
            if hit is not None:
                start, end = raw_offset(tok, offset), toks[i + len(hit) - 1].end
                if not overlaps_any(taken, start, end):
                    etype, score = names[hit]
                    found.append(Candidate(start, end, i, i + len(hit), etype, score, "document"))
                break
    return found


def overlaps_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """`[start, end)` overlaps one of `spans`, sorted and not overlapping each other."""
    at = bisect.bisect_left(spans, (end,))  # the spans starting before `end`…
    return at > 0 and spans[at - 1][1] > start  # …the last of which ends latest


def is_short_form(ctx: RuleContext, word: str) -> bool:
    """A word of a person's name that names the person on its own: not a listed given name nor a
    place's nisba the tagger ran into the name (`السريلانكي`). Nouns stay: family names often
    are one (`عطا`, `مشرف`)."""
    if len(word) < MIN_SHORT_FORM or word in ctx.lexicons.given_names or not word.isalpha():
        return False
    return not is_place_nisba(ctx, word)


def longest_name_at(
    norms: list[str], i: int, stem: str, lengths: list[int], names: Mapping[tuple[str, ...], object]
) -> tuple[str, ...] | None:
    """The longest known name whose first word is token i read as `stem` and whose rest follows it."""
    for n in lengths:
        key = (stem, *norms[i + 1 : i + n])
        if len(key) == n and key in names:
            return key
    return None


def join_adjacent_persons(ctx: RuleContext, cands: list[Candidate]) -> list[Candidate]:
    """Person mentions side by side with only a space between are one name: names found again
    word by word (`فان` + `باستن`) join up, as two people are always kept apart by و or a mark."""
    out: list[Candidate] = []
    for cand in cands:  # in text order
        last = out[-1] if out else None
        if (
            last is not None
            and last.type == cand.type == "PER"
            and last.tok_end == cand.tok_start
            and ctx.text[last.end : cand.start].isspace()
        ):
            score = min(last.score, cand.score)
            out[-1] = Candidate(last.start, cand.end, last.tok_start, cand.tok_end, "PER", score, last.source)
            continue
        out.append(cand)
    return out
