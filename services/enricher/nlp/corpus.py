"""Read BIO-tagged CoNLL corpora (ANERcorp style) into sentences tokenised like the pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from services.enricher.nlp.normalize import normalize_token
from services.enricher.nlp.tokens import WORD_RE

TYPE_MAP = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}

Sentence = tuple[list[str], list[str]]  # normalised tokens, BIO labels


def read_conll(path: Path) -> Iterator[Sentence]:
    """Sentences of `token TAG` lines; each corpus token is re-split with the pipeline's
    tokeniser so training sees the same units as run time (`أ)` → `أ`, `)`)."""
    norms: list[str] = []
    labels: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if norms:
                yield norms, labels
            norms, labels = [], []
            continue
        word, tag = parts[0], parts[-1]
        prefix, _, etype = tag.partition("-")
        etype = TYPE_MAP.get(etype, "")
        first = True
        for piece in WORD_RE.findall(word):
            if not normalize_token(piece):
                continue  # a stray diacritic or tatweel: nothing the tagger could see
            is_word = piece[0].isalnum()
            if not etype or not is_word:
                label = "O" if not etype or first else f"I-{etype}"
            elif first and prefix == "B":
                label = f"B-{etype}"
            else:
                label = f"I-{etype}"
            if is_word:
                first = False
            norms.append(normalize_token(piece))
            labels.append(label)
    if norms:
        yield norms, labels


def spans(
    labels: list[str], types: frozenset[str] = frozenset({"PER", "LOC", "ORG"})
) -> set[tuple[int, int, str]]:
    """Entity spans of a BIO sequence, conlleval-style (an I- after O starts a span)."""
    out: set[tuple[int, int, str]] = set()
    start, cur = 0, ""
    for i, label in enumerate([*labels, "O"]):
        prefix, _, etype = label.partition("-")
        if cur and (prefix != "I" or etype != cur):
            if cur in types:
                out.add((start, i, cur))
            cur = ""
        if prefix == "B" or (prefix == "I" and etype != cur):
            start, cur = i, etype
    return out
