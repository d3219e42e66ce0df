"""The benchmark corpus: deterministic, ≈2.5 KB articles, slots filled, nothing copied from eval texts."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import TARGET_CHARS, generate_corpus, load_jsonl
from schemas import RawArticle


def test_bench_corpus_is_deterministic_per_seed() -> None:
    assert generate_corpus(5, seed=1) == generate_corpus(5, seed=1)
    assert generate_corpus(5, seed=1) != generate_corpus(5, seed=2)


def test_bench_corpus_articles_are_about_target_size_and_valid() -> None:
    articles = generate_corpus(30)
    for article in articles:
        body = article["text"]
        assert TARGET_CHARS <= len(body) < TARGET_CHARS + 600
        assert "{" not in body and "}" not in body  # every template slot was filled
        assert RawArticle.model_validate(article).body == body
    assert len({a["id"] for a in articles}) == 30
    # quotes and reporting verbs are there for the quote stage to work on
    assert all("«" in a["text"] and " أن " in a["text"] for a in articles)


def test_bench_corpus_shares_no_sentence_with_eval_texts(shared_dir: Path) -> None:
    gold = " ".join(
        a["text"] for name in ("seed", "dev") for a in load_jsonl(shared_dir / "eval" / f"{name}.jsonl")
    )
    for article in generate_corpus(20):
        for sentence in article["text"].replace("\n", ". ").split(". "):
            if len(sentence) > 40:
                assert sentence not in gold
