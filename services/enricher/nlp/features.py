"""CRF features of a sentence of normalised tokens.

A token's own and context features depend only on its normalised form, so they are computed
once per form and cached; only the gazetteer phrase features are computed per sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from services.enricher.nlp.clitics import certain_strip, clitic_variants
from services.enricher.nlp.gazetteer import Gazetteer
from services.enricher.nlp.lexicons import Lexicons

CONTEXT = (-2, -1, 1, 2)
MAX_WORD_CHARS = 30  # longer "words" (glued runs, junk) get no name-likeness: it costs per character
# Features are UTF-8 bytes: python-crfsuite takes bytes as they are, while it encodes every str
# it is given again on every sentence (≈8,000 per article).
# Tuples, not lists: the per-form cache holds one entry per word ever seen, and tuples of bytes
# drop out of the garbage collector's tracking, lists never do (cold words cost GC time).
TokenFeatures = tuple[tuple[bytes, ...], ...]
NOTHING: TokenFeatures = ((), (), (), (), ())
BEFORE: TokenFeatures = ((), (b"BOS",), (b"BOS",), (), ())
AFTER: TokenFeatures = ((), (), (), (b"EOS",), (b"EOS",))
NameBucket = Callable[[str], str]  # stem → name-likeness bucket, e.g. "PER2"


def shape(norm: str) -> str:
    """Coarse character class of a token."""
    if norm.isdigit():
        return "num"
    if norm.isalpha():
        return "ar" if "\u0621" <= norm[0] <= "\u064a" else "lat"
    return "sym"


def is_nisba(stem: str, endings: tuple[str, ...]) -> bool:
    """A definite word with a nisba ending (الروسي, السورية)."""
    return stem.startswith("ال") and len(stem) > 5 and stem.endswith(endings)


class Featurizer:
    """Turns sentences of normalised tokens into CRF feature lists."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        lexicons: Lexicons,
        namelike: NameBucket | None = None,
        vocabulary: frozenset[str] | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.lexicons = lexicons
        self.namelike = namelike
        # At run time only features the model has weights for are worth passing to crfsuite:
        # converting the others costs time and changes nothing.
        self.vocabulary = vocabulary
        self.token_features = lru_cache(maxsize=200_000)(self._token_features)

    def flags(self, norm: str) -> list[str]:
        """Lexicon and gazetteer memberships of any clitic reading of the token."""
        lex, out = self.lexicons, []
        for offset, stem in clitic_variants(norm):
            tag = "c" if offset else ""
            if stem in lex.titles:
                out.append(f"title{tag}")
            if stem in lex.reporting_verbs:
                out.append(f"rv{tag}")
            if stem in lex.org_heads:
                out.append(f"oh{tag}={lex.org_heads[stem]}")
            if stem in lex.generic_heads:
                out.append(f"gh{tag}")
            if stem in lex.given_names:
                out.append(f"gn{tag}")
            hit = self.gazetteer.lookup((stem,))
            if hit is not None:
                out.append(f"g{tag}={hit[0]}{'h' if hit[1] else 's'}")
        return out

    def _token_features(self, norm: str) -> TokenFeatures:
        """(own features, then the features it lends at each CONTEXT offset)."""
        if norm.isdigit():
            norm = "0" * min(len(norm), 4)
        offset, stem = certain_strip(norm)
        bare = stem[2:] if stem.startswith("ال") and len(stem) > 4 else stem
        flags = self.flags(norm)
        # Every string costs crfsuite time, so features that partition all tokens are joined
        # (proclitic with article, shape with length: no separate bias is needed) and the
        # written form is a feature only where a clitic makes it differ from the stem.
        own = [
            f"s={stem}",
            f"cl={norm[:offset]}{'+al' if stem is not bare else ''}",
            f"sh={shape(norm)}{min(len(bare), 8)}",
            f"p2={bare[:2]}",
            f"p3={bare[:3]}",
            f"x1={bare[-1:]}",
            f"x2={bare[-2:]}",
            f"x3={bare[-3:]}",
        ]
        if offset:
            own.append(f"w={norm}")
        if is_nisba(stem, self.lexicons.nisba_endings):
            own.append("nisba")
        if self.namelike is not None and shape(norm) == "ar" and len(norm) <= MAX_WORD_CHARS:
            own.append(f"nl={self.namelike(stem)}")
            if offset == 0 and len(clitic_variants(norm)) > 1:
                own.append(f"nlc={self.namelike(clitic_variants(norm)[1][1])}")
        own.extend(flags)
        lent = [f"s={stem}", *flags]
        if is_nisba(stem, self.lexicons.nisba_endings):
            lent.append("nisba")
        near = list(lent)  # name-likeness is lent to the next words only: further off it adds nothing
        if self.namelike is not None and shape(norm) == "ar" and len(norm) <= MAX_WORD_CHARS:
            near.append(f"nl={self.namelike(stem)[:-1]}")
        ctx = tuple([f"{k}:{f}" for f in (near if abs(k) == 1 else lent)] for k in CONTEXT)
        vocab = self.vocabulary
        return tuple(
            tuple([f.encode() for f in feats if vocab is None or f in vocab]) for feats in (own, *ctx)
        )

    def sentence(self, norms: Sequence[str]) -> list[list[bytes]]:
        """Feature lists for one sentence."""
        n = len(norms)
        # Two sentinels each side stand for positions outside the sentence: the nearest one
        # lends BOS/EOS to the tokens that see it at any context offset, the far one nothing.
        padded = [NOTHING, BEFORE, *map(self.token_features, norms), AFTER, NOTHING]
        windows = zip(padded, padded[1:], padded[2:], padded[3:], padded[4:], strict=False)
        out = [[*own[0], *l2[1], *l1[2], *r1[3], *r2[4]] for l2, l1, own, r1, r2 in windows]
        for m in self.gazetteer.match_sentence(tuple(norms)):
            kind = f"{m.type}{'h' if m.hard else 's'}"
            for i in range(m.start, m.end):
                out[i].append(f"G={'B' if i == m.start else 'I'}-{kind}".encode())
            if m.start > 0:
                out[m.start - 1].append(f"G+1={kind}".encode())
            if m.end < n:
                out[m.end].append(f"G-1={kind}".encode())
        return out
