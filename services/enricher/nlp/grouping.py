"""Group an article's mentions into entities: fullest name, stable id, normalised form, transliteration.

`entity_id` = type + a hash of the normalised fullest name *of this article*, so `سيرغي لافروف`
has the same id in every article that names him in full; an article that only ever says
`لافروف` yields a different id (the name it has is all there is to go on). Spaces are removed
before hashing, so a glued `الولاياتالمتحدة` and `الولايات المتحدة` share an id.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from functools import cache, lru_cache

from camel_tools.utils.charmap import CharMapper
from camel_tools.utils.dediac import dediac_ar

from services.enricher.nlp.doc import Entity, EntityType, Mention
from services.enricher.nlp.normalize import normalize_text

TRANSLIT_SCHEME = "ar2bw"  # Buckwalter: lossless and readable enough for logs and dashboards


@cache
def transliterator() -> CharMapper:
    return CharMapper.builtin_mapper(TRANSLIT_SCHEME)


@lru_cache(maxsize=100_000)
def transliterate(name: str) -> str:
    """Cached: camel-tools maps character by character in Python, and names recur across articles."""
    return transliterator()(dediac_ar(name))


@lru_cache(maxsize=100_000)
def entity_id(etype: str, normalized: str) -> str:
    """Stable across articles and processes: type + hash of the space-free normalised name."""
    digest = hashlib.sha1(f"{etype}|{normalized.replace(' ', '')}".encode()).hexdigest()
    return f"{etype.lower()}-{digest[:12]}"


@lru_cache(maxsize=100_000)
def normalized_name(text: str) -> str:
    """Cached: names recur within and across articles, and normalising walks every character."""
    return normalize_text(text)


@lru_cache(maxsize=100_000)
def words(text: str) -> tuple[str, ...]:
    """Cached: grouping asks for each mention's words several times."""
    return tuple(normalized_name(text).split())


def runs(full: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Every contiguous run of `full`'s words, the empty one included (لافروف in سيرغي لافروف)."""
    return {full[i:j] for i in range(len(full) + 1) for j in range(i, len(full) + 1)}


def group(mentions: list[Mention]) -> list[Entity]:
    """Entities in order of first mention. A person's partial name joins the person whose fuller
    name contains it (the nearest one before it, else the first); other names group by their
    space-free normalised form."""
    clusters: list[list[Mention]] = []
    by_key: dict[tuple[str, str], int] = {}
    # every contiguous run of a person cluster's fullest name → those clusters, in creation order; a
    # scan of all clusters per mention was quadratic in the names of an article (seconds on long lists)
    person_parts: dict[tuple[str, ...], list[int]] = defaultdict(list)
    ordered = sorted(mentions, key=lambda m: (-len(words(m.text)), m.start))  # fullest names first
    for mention in ordered:
        ws = words(mention.text)
        key = (mention.type, "".join(ws))
        idx = by_key.get(key)
        if idx is None and mention.type == "PER":
            fits = person_parts.get(ws, [])
            before = [k for k in fits if clusters[k][0].start < mention.start]
            if before:
                idx = max(before, key=lambda k: clusters[k][0].start)
            elif fits:
                idx = fits[0]
        if idx is None:
            idx = len(clusters)
            clusters.append([])
            by_key[key] = idx
            if mention.type == "PER":
                for part in runs(ws):
                    person_parts[part].append(idx)
        clusters[idx].append(mention)
    entities = [make_entity(sorted(c, key=lambda m: m.start)) for c in clusters]
    return sorted(entities, key=lambda e: e.mentions[0].start)


def make_entity(mentions: list[Mention]) -> Entity:
    """An entity named after its fullest mention (most words, spaced form preferred, first seen)."""
    best = max(mentions, key=lambda m: (len(words(m.text)), len(m.text), -m.start))
    etype: EntityType = best.type
    normalized = normalized_name(best.text)
    return Entity(
        entity_id=entity_id(etype, normalized),
        type=etype,
        name=best.text,
        normalized=normalized,
        translit=transliterate(best.text),
        mentions=mentions,
        confidence=round(sum(m.score for m in mentions) / len(mentions), 3),
    )
