"""Roles and gender hints of persons, read from the words around their mentions.

Roles: a title phrase right before a name (`وزير الخارجية الروسي سيرغي لافروف`) or right after it
as an apposition (`جيسي شاهين الناطقة باسم المبعوث الدولي`). Gender: the title's gender
(الناطقة → f), a listed given name, or a reporting verb agreeing with the name (`قالت X` → f).
The quote stage reads `Entity.roles`, `Entity.gender` and `Entity.mentions`.
"""

from __future__ import annotations

from collections import Counter

from services.enricher.nlp.clitics import certain_strip, clitic_variants
from services.enricher.nlp.doc import Entity, Gender
from services.enricher.nlp.lexicons import Lexicons
from services.enricher.nlp.normalize import ends_in_ha
from services.enricher.nlp.rules import RuleContext, raw_offset

MAX_ROLE_WORDS = 6
CLAUSE_STARTS = frozenset({"ان", "بان", "انه", "انها"})  # what may follow an apposition after a subject
LINKS = frozenset({"باسم", "في", "ب", "لدي", "العام", "العامه"})  # words that continue a role phrase


class RoleReader:
    """Attach roles and a gender hint to the person entities of an article."""

    def __init__(self, lexicons: Lexicons) -> None:
        self.lexicons = lexicons

    def title_of(self, norm: str) -> tuple[int, str] | None:
        """(clitic offset, title) if a reading of the word is a title."""
        for offset, stem in clitic_variants(norm):
            if stem in self.lexicons.titles:
                return offset, stem
        return None

    def continues_role(self, norm: str) -> bool:
        """Words a role phrase runs over: definite nouns, titles, organisation heads (also after
        ل: `الأمين العام لجامعة الدول العربية`), links."""
        stem = certain_strip(norm)[1]
        lex = self.lexicons
        if stem.startswith("ال") or norm in LINKS or stem in lex.titles:
            return True
        heads = (lex.org_heads, lex.generic_heads)
        return any(reading in table for _, reading in clitic_variants(norm) for table in heads)

    def role_before(
        self, ctx: RuleContext, first: int, taken: set[int], bodies: frozenset[int] = frozenset()
    ) -> tuple[str, str] | None:
        """The title phrase ending right before token `first`: (role text, the title nearest the
        name). It runs over the names of `bodies` (token indices), `الناطق باسم حركة حماس حازم
        قاسم`, and back over an earlier title before an honorific: `وزير الخارجية السعودي الأمير
        فيصل …` has the role `وزير الخارجية السعودي الأمير`."""
        toks = ctx.tokens
        found: tuple[int, str] | None = None  # (start offset, nearest title)
        for i in range(first - 1, max(-1, first - 1 - MAX_ROLE_WORDS), -1):
            if i in taken or not toks[i].norm.isalnum():
                break
            title = self.title_of(toks[i].norm)
            if title is not None:
                found = (raw_offset(toks[i], title[0]), found[1] if found else title[1])
            elif i not in bodies and not self.continues_role(toks[i].norm):
                break
        if found is None:
            return None
        return ctx.text[found[0] : toks[first - 1].end], found[1]

    def role_after(self, ctx: RuleContext, last: int, taken: set[int]) -> tuple[str, str] | None:
        """An apposition starting with a title right after token `last`: (role text, title)."""
        toks = ctx.tokens
        if last + 1 >= len(toks) or last + 1 in taken:
            return None
        title = self.title_of(toks[last + 1].norm)
        if title is None or title[0]:
            return None
        definite = title[1].startswith("ال")
        if not definite and not (last + 2 < len(toks) and toks[last + 2].norm.startswith("ال")):
            return None  # an indefinite title only in a construct: البرهان قائد الجيش
        end = last + 2
        while (
            end < len(toks)
            and end - last <= MAX_ROLE_WORDS
            and end not in taken  # another person's name ends the role
            and self.continues_role(toks[end].norm)
            and (definite or toks[end].norm not in LINKS)
        ):
            end += 1
        if end in taken:
            return None  # the title phrase introduces the next person (… السفيرة الأمريكية X)
        after = toks[end].norm if end < len(toks) else ""
        if not definite and after.isalnum() and after not in CLAUSE_STARTS:
            return None  # استقبل السيسي وزير الخارجية الأمريكي في …: the verb's object, not a role
        return ctx.text[toks[last + 1].start : toks[end - 1].end], title[1]

    def verb_gender(self, ctx: RuleContext, first: int) -> Gender | None:
        """Gender of a reporting verb right before the name (`قالت`, `وأكدت`)."""
        if first == 0:
            return None
        for _, stem in clitic_variants(ctx.tokens[first - 1].norm):
            gender = self.lexicons.reporting_verbs.get(stem)
            if gender in ("m", "f"):
                return gender  # type: ignore[return-value]
        return None

    def __call__(self, ctx: RuleContext, entities: list[Entity], token_of: dict[int, int]) -> None:
        """Fill `roles` and `gender` of PER entities; `token_of` maps a char offset to its token."""
        persons = {
            token_of[m.start] for e in entities if e.type == "PER" for m in e.mentions if m.start in token_of
        }
        bodies = frozenset(
            k
            for e in entities
            if e.type in ("ORG", "LOC")
            for m in e.mentions
            if m.start in token_of and m.end - 1 in token_of
            for k in range(token_of[m.start], token_of[m.end - 1] + 1)
        )
        for entity in entities:
            if entity.type != "PER":
                continue
            votes: Counter[str] = Counter()
            roles: list[str] = []
            first_word = entity.normalized.split()[0]
            if self.lexicons.given_names.get(first_word) in ("m", "f"):
                votes[self.lexicons.given_names[first_word]] += 1
            for mention in entity.mentions:
                first = token_of.get(mention.start)
                last = token_of.get(mention.end - 1)
                if first is None or last is None:
                    continue
                before = self.role_before(ctx, first, persons, bodies)
                for found in (before, self.role_after(ctx, last, persons)):
                    if found is not None:
                        if found[0] not in roles:
                            roles.append(found[0])
                        gender = self.lexicons.titles.get(found[1])
                        if gender == "f" and ends_in_ha(found[0].split()[0]):
                            gender = None  # رئيسه, his president
                        if gender in ("m", "f"):
                            votes[gender] += 2
                verb = self.verb_gender(ctx, first)
                if verb is not None:
                    votes[verb] += 1
            entity.roles = roles
            if votes:
                entity.gender = votes.most_common(1)[0][0]  # type: ignore[assignment]
