"""Name-likeness: a character n-gram naive Bayes model of person and place name words vs other words.

It carries what the shared name lists and corpus gazetteers know (which cannot ship) into a small
table of n-gram log-probabilities (which can): `fit` reads the lists at training time, the
recogniser loads only the table.
"""

from __future__ import annotations

import gzip
import io
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

# Organisation names are mostly common words (وزارة, الخارجية), so ORG is no class of its own.
CLASSES = ("PER", "LOC", "O")
NGRAM_SIZES = (2, 3, 4, 5)
MIN_COUNT = 3  # n-grams seen fewer times over all classes are dropped: a smaller table, less noise
SMOOTHING = 0.5
# Naive Bayes sums dozens of overlapping n-grams and is wildly overconfident; scoring the mean
# log-probability times this temperature gives posteriors that spread over the buckets.
TEMPERATURE = 8.0


def ngrams(word: str) -> list[str]:
    """Character n-grams of the word with boundary marks."""
    padded = f"<{word}>"
    return [padded[i : i + n] for n in NGRAM_SIZES for i in range(len(padded) - n + 1)]


class NameLikeness:
    """Scores a normalised word: most likely class and a confidence bucket, e.g. `PER2`."""

    def __init__(self, table: dict[str, tuple[float, ...]]) -> None:
        self.table = table
        # the featurizer and the rules ask about the same new word several times (bucket, lent
        # bucket, name probability): one posterior per word serves them all
        self._verdict = lru_cache(maxsize=200_000)(self._verdict_uncached)

    def posterior(self, word: str) -> dict[str, float]:
        """P(class | word) under the naive Bayes model, equal priors."""
        scores = [0.0] * len(CLASSES)
        seen = 0
        for gram in ngrams(word):
            row = self.table.get(gram)
            if row is not None:
                seen += 1
                for k, value in enumerate(row):
                    scores[k] += value
        scores = [s * TEMPERATURE / max(seen, 1) for s in scores]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(CLASSES, exps, strict=True)}

    def _verdict_uncached(self, word: str) -> tuple[str, float]:
        post = self.posterior(word)
        best = max(post, key=post.__getitem__)
        return f"{best}{3 if post[best] > 0.9 else 2 if post[best] > 0.7 else 1}", 1.0 - post["O"]

    def name_prob(self, word: str) -> float:
        """Probability that the word is part of a name of any type."""
        return self._verdict(word)[1]

    def __call__(self, word: str) -> str:
        """The most likely class and a confidence bucket, e.g. `PER2`."""
        return self._verdict(word)[0]

    def save(self, path: Path) -> None:
        """Write the table as gzipped TSV (n-gram, then one log-probability per class)."""
        # mtime=0: the same table gives the same bytes, so `make train-ner` is reproducible
        with (
            open(path, "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as packed,
            io.TextIOWrapper(packed, encoding="utf-8") as f,
        ):
            for gram in sorted(self.table):
                f.write("\t".join([gram, *(f"{v:.3f}" for v in self.table[gram])]) + "\n")

    @classmethod
    def load(cls, path: Path) -> NameLikeness:
        table: dict[str, tuple[float, ...]] = {}
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                gram, *values = line.rstrip("\n").split("\t")
                table[gram] = tuple(float(v) for v in values)
        return cls(table)


def fit(words: Mapping[str, Iterable[str]]) -> NameLikeness:
    """Train on distinct words per class (keys of CLASSES)."""
    counts = {c: Counter(g for w in set(words[c]) for g in ngrams(w)) for c in CLASSES}
    total = Counter[str]()
    for c in CLASSES:
        total.update(counts[c])
    kept = [g for g, n in total.items() if n >= MIN_COUNT]
    denom = {c: sum(counts[c][g] for g in kept) + SMOOTHING * len(kept) for c in CLASSES}
    table = {g: tuple(math.log((counts[c][g] + SMOOTHING) / denom[c]) for c in CLASSES) for g in kept}
    # Centre each row so that unseen-in-table n-grams (scored 0) are neutral across classes.
    table = {g: tuple(v - sum(row) / len(row) for v in row) for g, row in table.items()}
    return NameLikeness(table)
