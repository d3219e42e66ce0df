"""The CRF tagger: a python-crfsuite model over `features.Featurizer` feature lists."""

from __future__ import annotations

from pathlib import Path

import pycrfsuite

MODEL_DIR = Path(__file__).parent / "models"
MODEL_PATH = MODEL_DIR / "ner.crfsuite"


class ModelMissingError(FileNotFoundError):
    """The trained CRF model file is not there; `make train-ner` builds it."""


class CrfTagger:
    """Label sentences with BIO tags and give each token's marginal probability."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        if not path.exists():
            raise ModelMissingError(f"CRF model {path} not found: run `make train-ner`")
        self.path = path
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(path))

    def tag(self, features: list[list[bytes]]) -> tuple[list[str], list[float]]:
        """BIO labels and, per token, the marginal probability of its label."""
        if not features:
            return [], []
        self.tagger.set(features)
        labels = self.tagger.tag()
        probs = [1.0 if lab == "O" else self.tagger.marginal(lab, i) for i, lab in enumerate(labels)]
        return labels, probs

    def attributes(self) -> frozenset[str]:
        """Attributes that carry a weight for some label."""
        return frozenset(attr for attr, _ in self.tagger.info().state_features)

    def state_weights(self) -> dict[tuple[str, str], float]:
        """(attribute, label) → weight, for reading what the model learned about words."""
        return dict(self.tagger.info().state_features)
