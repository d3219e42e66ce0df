"""Run the quote stage alone on gold articles, with entities built from the gold annotations.

This isolates attribution quality from the entity stage: mentions are grouped by their
last word and type, and each entity is named by its longest mention, as the entity stage does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from services.enricher.nlp.doc import ArticleDoc, Entity, Mention
from services.enricher.nlp.normalize import normalize_text
from services.enricher.nlp.quotes import QuoteAttributor
from services.enricher.nlp.tokens import tokenize


def gold_entities(gold: dict[str, Any]) -> list[Entity]:
    """Gold mentions grouped into entities (no roles, no gender: the stage must cope)."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for e in gold.get("entities", []):
        words = normalize_text(e["text"]).split()
        if not words:
            continue
        groups.setdefault((e["type"], words[-1]), []).append(
            Mention(e["start"], e["end"], e["text"], e["type"])
        )
    entities = []
    for n, ((etype, _), mentions) in enumerate(groups.items()):
        name = max((m.text for m in mentions), key=lambda t: len(t.split()))
        entities.append(Entity(f"gold-{n}", etype, name, normalize_text(name), "", mentions))  # type: ignore[arg-type]
    return entities


def gold_doc(gold: dict[str, Any]) -> ArticleDoc:
    doc = tokenize(ArticleDoc(article_id=gold["id"], text=gold["text"]))
    doc.entities = gold_entities(gold)
    doc.mentions = [m for ent in doc.entities for m in ent.mentions]
    return doc


def quote_predictions(gold_path: Path, attributor: QuoteAttributor) -> dict[str, dict[str, Any]]:
    """Predictions in score.py's format from the quote stage on gold entities."""
    preds = {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        doc = attributor(gold_doc(gold))
        preds[gold["id"]] = {
            "article_id": gold["id"],
            "entities": [],
            "quotes": [
                {
                    "start": q.start,
                    "end": q.end,
                    "kind": q.kind,
                    "text": q.text,
                    "cue": q.cue,
                    "speaker": {"name": q.speaker.name if q.speaker else ""},
                    "via": q.via,
                }
                for q in doc.quotes
            ],
        }
    return preds
