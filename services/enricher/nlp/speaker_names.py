"""Speaker names as the article writes them: a family name the recogniser cut off, no title."""

from __future__ import annotations

from functools import lru_cache

from services.enricher.nlp.cues import CueLexicon
from services.enricher.nlp.normalize import normalize_token
from services.enricher.nlp.quote_view import CLAUSE_PUNCT, DocView, MentionRef
from services.enricher.nlp.rules import NAME_LINKS


class NameCompleter:
    """Complete and clean person names of one article."""

    def __init__(self, view: DocView, lex: CueLexicon) -> None:
        self.v = view
        self.lex = lex

    def extend(self, ref: MentionRef, b: int) -> str | None:
        """A person's name with the family name a recogniser may have cut off after it.

        The family name is the next word when it is an ال…ي nisba (البلعاسي), a word the article
        also uses alone, another name, or — after a lone given name — a word the subject ends with.
        """
        if ref.mention.type != "PER":
            return None
        v = self.v
        last = ref.tok_end - 1
        k, stop = ref.tok_end, min(b, ref.tok_end + 2)
        while k < stop:
            gap = v.text[v.tokens[k - 1].end : v.tokens[k].start]
            word = v.norms[k]
            if not v.is_word(k) or self.closed_class(word) or gap.strip() or "\n" in gap:
                break
            other = v.mention_of_tok.get(k)
            lone = ref.tok_end - ref.tok_start == 1 and k == ref.tok_end
            if other is not None and other.mention.type == "PER" and other.tok_start == k:
                last = k = other.tok_end - 1
            elif self.family_name(word) or (lone and (k + 1 >= b or self.ends_subject(k + 1))):
                last = k
            else:
                break
            k += 1
        if last < ref.tok_end:
            return None
        return v.text[ref.mention.start : v.tokens[last].end]

    def without_title(self, name: str) -> str:
        """A person's name up to any title or function word a grouped name may have swallowed."""
        return _without_title(name, self.lex.closed_class)

    def family_name(self, word: str) -> bool:
        """An ال…ي nisba (البلعاسي) or a word the article also uses on its own."""
        return (word.startswith("ال") and word.endswith("ي") and len(word) > 4) or self.v.repeated(word)

    def closed_class(self, word: str) -> bool:
        """Function words, titles and cues: never part of a name."""
        return word in self.lex.closed_class

    def ends_subject(self, k: int) -> bool:
        v = self.v
        return v.tokens[k].text in CLAUSE_PUNCT or v.tokens[k].text == ":" or self.closed_class(v.norms[k])


@lru_cache(maxsize=50_000)
def _without_title(name: str, closed_class: frozenset[str]) -> str:
    """`NameCompleter.without_title` (cached: an article names the same few people again and again)."""
    words = name.split()
    for n, word in enumerate(words[1:], 1):
        # after a link word a title is part of the name: عبد الملك, أبو الأمير
        if normalize_token(word) in closed_class and normalize_token(words[n - 1]) not in NAME_LINKS:
            return " ".join(words[:n])
    return name
