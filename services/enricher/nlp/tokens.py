"""Tokeniser and sentence splitter: tokens keep raw offsets and carry a normalised form."""

from __future__ import annotations

import re

from services.enricher.nlp.doc import ArticleDoc, Sentence, Token
from services.enricher.nlp.normalize import normalize_token

# A word is a run of letters/digits with Arabic diacritics and tatweel; anything else is one
# character. Single character classes with one quantifier: linear time on any input.
WORD_RE = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+|[^\s]")
SENTENCE_END = frozenset({".", "!", "?", "؟", "…"})


def tokenize(doc: ArticleDoc) -> ArticleDoc:
    """Split the body into tokens and sentences."""
    tokens = []
    for m in WORD_RE.finditer(doc.text):
        word = m.group()
        tokens.append(Token(m.start(), m.end(), word, normalize_token(word)))
    doc.tokens = tokens
    doc.sentences = split_sentences(doc.text, tokens)
    return doc


def split_sentences(text: str, tokens: list[Token]) -> list[Sentence]:
    """Sentences end at terminal punctuation or a line break."""
    sentences: list[Sentence] = []
    first = 0
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        ends = tok.text in SENTENCE_END or nxt is None or text.find("\n", tok.end, nxt.start) >= 0
        if ends:
            sentences.append(Sentence(tokens[first].start, tok.end, first, i + 1))
            first = i + 1
    return sentences
