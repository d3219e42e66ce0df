"""cli: `newswire enrich` (the evaluation path) on JSONL, JSON and text; `check-config` masks secrets."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from schemas import ArticleEnriched
from services.enricher.cli import main
from services.enricher.offline import payloads

ARTICLE = "قالت الوزيرة هالة السعدي في الرباط إن «الموسم الزراعي سيكون جيداً»."


def enriched_lines(path: Path) -> list[ArticleEnriched]:
    return [ArticleEnriched.model_validate_json(line) for line in path.read_bytes().splitlines()]


def test_cli_enrich_seed_jsonl_scores_with_the_shared_scorer(shared_dir: Path, tmp_path: Path) -> None:
    gold = shared_dir / "eval" / "seed.jsonl"
    pred = tmp_path / "pred.jsonl"
    assert main(["enrich", "--input", str(gold), "--output", str(pred)]) == 0
    gold_ids = [
        json.loads(line)["id"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    events = enriched_lines(pred)
    assert [e.article_id for e in events] == gold_ids
    assert all(e.status == "enriched" for e in events)
    scored = subprocess.run(
        [sys.executable, str(shared_dir / "eval" / "score.py"), str(gold), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(scored.stdout)
    assert result["articles"] == len(gold_ids) and result["missing_predictions"] == []


def test_cli_enrich_json_array_and_reports_dead_letters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.json"
    source.write_text(
        json.dumps([{"id": "j1", "text": ARTICLE}, {"id": "j2", "text": ""}], ensure_ascii=False)
    )
    out = tmp_path / "out.jsonl"
    assert main(["enrich", "--input", str(source), "--output", str(out)]) == 0
    assert [e.article_id for e in enriched_lines(out)] == ["j1"]
    assert "input 2: dead-lettered (empty_body)" in capsys.readouterr().err


def test_cli_enrich_plain_text_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode())))
    out = tmp_path / "out.jsonl"
    assert main(["enrich", "--output", str(out)]) == 0
    (event,) = enriched_lines(out)
    assert event.article_id.startswith("stdin-") and event.body_chars == len(ARTICLE)


def test_cli_enrich_all_inputs_bad_exits_nonzero(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": "x"}\n{"id": "y", "text": "  "}\n')
    assert main(["enrich", "--input", str(source), "--output", str(tmp_path / "o.jsonl")]) == 1


@pytest.mark.parametrize(
    ("data", "fmt", "count"),
    [
        (b'{"id": "a", "text": "x"}\n\n{"id": "b", "text": "y"}\n', "auto", 2),
        (b'{\n  "id": "a",\n  "text": "pretty-printed single object"\n}\n', "auto", 1),
        (b'[{"id": "a", "text": "x"}, {"id": "b", "text": "y"}]', "auto", 2),
        ("نص عادي بلا JSON".encode(), "auto", 1),
        (b'{"id": "a", "text": "x"}', "text", 1),
    ],
)
def test_cli_input_formats_split_into_articles(data: bytes, fmt: str, count: int) -> None:
    items = list(payloads(data, fmt, name="n"))  # type: ignore[arg-type]
    assert len(items) == count and all(isinstance(orjson.loads(i), dict) for i in items)


def test_cli_check_config_masks_secrets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSWIRE_SASL_PASSWORD", "s3cret-value")
    monkeypatch.setenv("NEWSWIRE_PARTITIONS", "4")
    assert main(["check-config"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["partitions"] == 4 and shown["sasl_password"] == "**********"
