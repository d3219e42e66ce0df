"""The camel-tools BERT backend: loading a local model folder, and the start-up error without data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.enricher.nlp.camel_backend import CamelNerUnavailableError
from services.enricher.nlp.doc import ArticleDoc
from services.enricher.nlp.entities import build_recognizer
from services.enricher.nlp.tokens import tokenize
from services.enricher.settings import NlpSettings

LABELS = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "زار", "الوفد", "مدينة", "حلب"]


@pytest.fixture
def camel_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty camel-tools data folder: a catalogue with no packages, so nothing is downloaded."""
    folder = tmp_path / "camel_data"
    folder.mkdir()
    (folder / "catalogue.json").write_text(json.dumps({"version": "1.5", "packages": {}, "components": {}}))
    monkeypatch.setenv("CAMELTOOLS_DATA", str(folder))
    return folder


@pytest.fixture
def tiny_bert(tmp_path: Path) -> Path:
    """A tiny randomly initialised BERT token classifier with camel-tools' label set, saved locally.
    The bias of the output layer makes every word-piece a B-LOC, so the outcome is known."""
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    folder = tmp_path / "tiny_bert"
    folder.mkdir()
    (folder / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    BertTokenizer(str(folder / "vocab.txt")).save_pretrained(folder)
    config = BertConfig(
        vocab_size=len(VOCAB),
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=16,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    torch.manual_seed(0)
    model = BertForTokenClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.fill_(-10.0)
        model.classifier.bias[LABELS.index("B-LOC")] = 10.0
    model.save_pretrained(folder)
    return folder


def test_camel_backend_loads_local_model_and_tags(camel_data: Path, tiny_bert: Path) -> None:
    recognizer = build_recognizer(NlpSettings(ner_backend="camel", camel_ner_model=str(tiny_bert)))
    assert recognizer.fingerprint.startswith("camel-tiny_bert+lex-")
    doc = recognizer(tokenize(ArticleDoc("t", "زار الوفد حلب")))
    # every word is B-LOC, so each word is a place of its own, offsets in the raw text
    assert [(m.start, m.end, m.type) for m in doc.mentions] == [
        (0, 3, "LOC"),
        (4, 9, "LOC"),
        (10, 13, "LOC"),
    ]


def test_camel_backend_missing_default_model_fails_at_start_up(camel_data: Path) -> None:
    with pytest.raises(CamelNerUnavailableError, match="camel_data -i ner-arabert"):
        build_recognizer(NlpSettings(ner_backend="camel"))


def test_camel_backend_model_folder_without_config_fails(tmp_path: Path) -> None:
    with pytest.raises(CamelNerUnavailableError, match=r"has no config\.json"):
        build_recognizer(NlpSettings(ner_backend="camel", camel_ner_model=str(tmp_path)))
