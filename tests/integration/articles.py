"""Generated Arabic test articles from the team-written templates in tests/data (deterministic per seed)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

TEMPLATES = json.loads((Path(__file__).parent.parent / "data" / "article_templates.json").read_text("utf-8"))


def generated_articles(count: int, *, seed: int = 7) -> list[dict[str, Any]]:
    """`count` articles of 3–6 sentences with people, places, organisations, outlets and quotes."""
    rng = random.Random(seed)
    articles = []
    for n in range(count):
        person = rng.choice(TEMPLATES["people"])
        fem = person["f"]
        slots = {
            "name": person["name"],
            "title": person["title"],
            "place": rng.choice(TEMPLATES["places"]),
            "org": rng.choice(TEMPLATES["orgs"]),
            "outlet": rng.choice(TEMPLATES["outlets"]),
            "topic": rng.choice(TEMPLATES["topics"]),
            "said": "وقالت" if fem else "وقال",
            "assured": "وأكدت" if fem else "وأكد",
            "added": "وأضافت" if fem else "وأضاف",
            "saying": "قولها" if fem else "قوله",
        }
        sentences = rng.sample(TEMPLATES["sentences"], rng.randint(3, 6))
        body = " ".join(s.format(**slots) for s in sentences)
        articles.append(
            {"id": f"gen-{seed}-{n:04d}", "title": slots["topic"], "source": "generated", "text": body}
        )
    return articles
