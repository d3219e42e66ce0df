"""Read the team-written lexicon files under `lexicons/` into normalised lookup tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from services.enricher.nlp.normalize import normalize_text

LEXICON_DIR = Path(__file__).parent / "lexicons"


def read_rows(name: str) -> list[list[str]]:
    """Tab-separated rows of a lexicon file, comments and blank lines skipped."""
    rows = []
    for line in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def read_map(name: str) -> dict[str, str]:
    """First column (normalised) → second column."""
    return {normalize_text(row[0]): row[1] if len(row) > 1 else "" for row in read_rows(name)}


def by_first_word(names: Iterable[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Normalised names grouped by their first word, the longest first in each group."""
    groups: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        words = tuple(name.split())
        groups.setdefault(words[0], []).append(words)
    return {first: tuple(sorted(group, key=len, reverse=True)) for first, group in groups.items()}


@dataclass(frozen=True, slots=True)
class Lexicons:
    """Word lists the rules and features consult, all keyed by normalised form."""

    titles: dict[str, str]  # title → gender ("m", "f" or "-")
    reporting_verbs: dict[str, str]  # verb → gender of its subject
    org_heads: dict[str, str]  # head noun that stays in the span → type
    generic_heads: dict[str, str]  # generic head left out of the span → type of the name after it
    outlet_heads: frozenset[str]  # the generic heads of media outlets (صحيفة, قناة)
    company_heads: frozenset[str]  # the generic heads of companies (شركة, مجموعة)
    club_heads: frozenset[str]  # the generic heads of sports clubs (نادي)
    eponym_heads: dict[str, str]  # head of a place or body named after a titled person → type
    given_names: dict[str, str]  # given name → gender
    people: dict[str, tuple[tuple[str, ...], ...]]  # first word → well-known people's names, longest first
    nisba_endings: tuple[str, ...]
    name_stops: frozenset[str]  # definite words that end a name (التابع, الجديد)
    function_words: frozenset[str]  # never a name on their own (في, على, أولا)
    official_adjectives: frozenset[str]  # adjectives that belong to official names (العليا)
    settlement_heads: frozenset[str]  # heads before a town's name (بلدة, قرية)
    place_links: frozenset[str]  # first words of compound place names (عين, تل, دير)
    directions: frozenset[str]  # compass words before a place's name (شمال, جنوب)
    portfolios: dict[str, str]  # ministries named without وزارة (الخارجية, الدفاع) → ""
    state_heads: dict[str, str]  # heads of a state's official name (المملكة, الجمهورية) → ""


def marked_heads(mark: str) -> frozenset[str]:
    """The generic heads marked in the third column with `mark` (outlet, company, club)."""
    return frozenset(normalize_text(r[0]) for r in read_rows("generic_heads.tsv") if r[2:] == [mark])


@cache
def load_lexicons() -> Lexicons:
    """Load every lexicon once per process (they are read-only data files)."""
    return Lexicons(
        titles=read_map("titles.tsv"),
        reporting_verbs=read_map("reporting_verbs.tsv"),
        org_heads=read_map("org_heads.tsv"),
        generic_heads=read_map("generic_heads.tsv"),
        outlet_heads=marked_heads("outlet"),
        company_heads=marked_heads("company"),
        club_heads=marked_heads("club"),
        eponym_heads=read_map("eponym_heads.tsv"),
        given_names=read_map("given_names.tsv"),
        people=by_first_word(read_map("people.txt")),
        name_stops=frozenset(read_map("name_stops.txt")),
        function_words=frozenset(read_map("function_words.txt")),
        official_adjectives=frozenset(read_map("official_adjectives.txt")),
        settlement_heads=frozenset(read_map("settlement_heads.txt")),
        place_links=frozenset(read_map("place_links.txt")),
        directions=frozenset(read_map("directions.txt")),
        portfolios=read_map("portfolios.txt"),
        state_heads=read_map("state_heads.txt"),
        nisba_endings=tuple(
            sorted((normalize_text(r[0]) for r in read_rows("nisba.txt")), key=len, reverse=True)
        ),
    )
