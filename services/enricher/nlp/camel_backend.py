"""Second sentence tagger: camel-tools' pretrained BERT NER (`camel_tools.ner.NERecognizer`).

Selected with `NlpSettings.ner_backend = "camel"`. `camel_ner_model` names a folder with a BERT
token-classification model (config, weights, vocab); unset, camel-tools' installed default
(`camel_data -i ner-arabert`) is used. Missing data fails at start-up with
`CamelNerUnavailableError`, never at the first article.
"""

from __future__ import annotations

from pathlib import Path

from services.enricher.nlp.doc import Token

INSTALL_HINT = (
    "install camel-tools' NER model with `camel_data -i ner-arabert` (CAMELTOOLS_DATA chooses the data "
    "folder), or set NEWSWIRE_CAMEL_NER_MODEL to a folder holding a BERT token-classification model, "
    "or use NEWSWIRE_NER_BACKEND=crf"
)
LABEL_TYPES = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}
BERT_PROBABILITY = 0.9  # NERecognizer gives labels only; rules and consistency read this as "confident"


class CamelNerUnavailableError(RuntimeError):
    """The camel-tools NER backend was selected but its model data is not installed."""


def load_recognizer(model: str | None) -> object:
    """A `camel_tools.ner.NERecognizer` for the folder, or camel's installed default."""
    if model is not None and not (Path(model) / "config.json").is_file():
        raise CamelNerUnavailableError(f"camel NER model folder {model!r} has no config.json: {INSTALL_HINT}")
    try:
        # camel_tools.data loads (or downloads) its catalogue at import time, hence the late import.
        from camel_tools.ner import NERecognizer

        if model is None:
            return NERecognizer.pretrained(use_gpu=False)
        return NERecognizer(model, use_gpu=False)
    except CamelNerUnavailableError:
        raise
    except Exception as exc:  # camel-tools raises several unrelated types for missing data
        raise CamelNerUnavailableError(
            f"camel-tools NER model not available ({exc}): {INSTALL_HINT}"
        ) from exc


class CamelSentenceTagger:
    """Tags a sentence's raw tokens with camel-tools' BERT model."""

    def __init__(self, model: str | None) -> None:
        self.recognizer = load_recognizer(model)
        self.fingerprint = f"camel-{Path(model).name if model else 'default'}"

    def __call__(self, tokens: list[Token]) -> tuple[list[str], list[float]]:
        if not tokens:
            return [], []
        raw = self.recognizer.predict_sentence([t.text for t in tokens])  # type: ignore[attr-defined]
        labels = []
        for label in raw:
            prefix, _, etype = str(label).partition("-")
            mapped = LABEL_TYPES.get(etype)
            labels.append(f"{prefix}-{mapped}" if mapped and prefix in ("B", "I") else "O")
        return labels, [BERT_PROBABILITY if lab != "O" else 1.0 for lab in labels]

    def known_words(self) -> frozenset[str]:
        """The BERT model has no inspectable word list."""
        return frozenset()
