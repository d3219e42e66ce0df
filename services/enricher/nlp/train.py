"""`make train-ner`: train the CRF on ANERcorp train.txt and report conlleval F1 on test.txt.

    python -m services.enricher.nlp.train --shared ../shared            # train, then evaluate
    python -m services.enricher.nlp.train evaluate --shared ../shared   # evaluate the shipped model

Deterministic: L-BFGS has no randomness and every sampling step uses a fixed seed.
"""

from __future__ import annotations

import argparse
import bisect
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pycrfsuite

from services.enricher.nlp.corpus import Sentence, read_conll, spans
from services.enricher.nlp.crf import MODEL_PATH
from services.enricher.nlp.doc import ArticleDoc
from services.enricher.nlp.entities import NAMELIKE_PATH, CrfSentenceTagger, EntityRecognizer
from services.enricher.nlp.features import Featurizer
from services.enricher.nlp.gazetteer import load_gazetteer
from services.enricher.nlp.lexicons import load_lexicons
from services.enricher.nlp.namelike import NameLikeness, fit
from services.enricher.nlp.normalize import normalize_token
from services.enricher.nlp.tokens import tokenize

SEED = 13
DOC_WINDOW = 20  # sentences per pseudo-article when scoring ANERcorp with document consistency
PER_LISTS = (
    "names_wikidata_translit/person_name_tokens.txt",
    "names_google_ar2en/name_tokens.txt",
    "names_wikidata_arab/given_names.txt",
    "names_wikidata_arab/family_names.txt",
    "names_wikidata_arab/unknown_role_names.txt",
    "names_faker_ar/first_names_male.txt",
    "names_faker_ar/first_names_female.txt",
    "names_faker_ar/last_names.txt",
    "corpus_gazetteers/per_spans.txt",
)
GIVEN_LISTS = ("names_wikidata_arab/given_names.txt", "names_faker_ar/first_names_male.txt")
FAMILY_LISTS = ("names_wikidata_arab/family_names.txt", "names_wikidata_translit/person_name_tokens.txt")

C1 = 0.15  # L1 keeps the model small by zeroing rare features
C2 = 0.01
COPIES = 1  # name-swapped copies of the training sentences
TRAIN_PARAMS = {
    "max_iterations": 200,
    "feature.possible_transitions": True,
}


def featurizer(namelike: Path = NAMELIKE_PATH) -> Featurizer:
    """The featurizer the recogniser uses at run time."""
    return Featurizer(load_gazetteer(), load_lexicons(), NameLikeness.load(namelike))


def list_words(shared: Path, names: tuple[str, ...]) -> list[str]:
    """Distinct normalised words of the shared name lists, in file order."""
    seen: dict[str, None] = {}
    for name in names:
        for line in (shared / "data" / name).read_text(encoding="utf-8").splitlines():
            for word in line.split():
                seen.setdefault(normalize_token(word), None)
    return list(seen)


def corpus_words(sentences: list[Sentence]) -> dict[str, set[str]]:
    """Words of a tagged corpus by the type of span they are in (O for outside)."""
    out: dict[str, set[str]] = {"PER": set(), "LOC": set(), "ORG": set(), "O": set(), "MISC": set()}
    for norms, labels in sentences:
        for word, label in zip(norms, labels, strict=True):
            if word.isalpha():
                out[label.partition("-")[2] or "O"].add(word)
    return out


def train_namelike(shared: Path) -> NameLikeness:
    """Fit the name-likeness model on the name lists, corpus gazetteers and WikiFANE words.

    ANERcorp itself stays out, so the feature is as unsure on the training sentences as on new text.
    """
    fane = corpus_words(list(read_conll(shared / "data" / "wikifane_gold" / "wikifane_anerstyle.conll")))
    words = {
        "PER": set(list_words(shared, PER_LISTS)) | fane["PER"],
        "LOC": set(list_words(shared, ("corpus_gazetteers/loc_spans.txt",))) | fane["LOC"],
        "O": fane["O"],
    }
    return fit(words)


def augmented(sentences: list[Sentence], shared: Path, copies: int) -> Iterator[Sentence]:
    """Copies of the sentences with person names swapped for names from the shared lists, so the
    tagger learns person contexts and name shapes rather than the corpus's own names. (Swapping
    place names too was tried: it cost 5 points of LOC precision, the swapped places losing
    their gazetteer features.)"""
    rng = random.Random(SEED)
    given, family = list_words(shared, GIVEN_LISTS)[:3000], list_words(shared, FAMILY_LISTS)[:20000]
    for _ in range(copies):
        for norms, labels in sentences:
            if "B-PER" not in labels:
                continue
            new = list(norms)
            for i, label in enumerate(labels):
                alone = i + 1 == len(labels) or labels[i + 1] != "I-PER"
                if label == "B-PER":
                    new[i] = rng.choice(family if alone else given)
                elif label == "I-PER" and norms[i].isalpha():
                    new[i] = rng.choice(family)
            yield new, labels


def train(
    shared: Path, out: Path = MODEL_PATH, *, copies: int = COPIES, c1: float = C1, c2: float = C2
) -> None:
    """Train on ANERcorp train.txt (plus name-swapped copies) and write the model files."""
    sentences = list(read_conll(shared / "data" / "anercorp" / "train.txt"))
    out.parent.mkdir(parents=True, exist_ok=True)
    train_namelike(shared).save(out.parent / NAMELIKE_PATH.name)
    feats = featurizer(out.parent / NAMELIKE_PATH.name)
    trainer = pycrfsuite.Trainer(verbose=False)
    for norms, labels in [*sentences, *augmented(sentences, shared, copies)]:
        trainer.append(feats.sentence(norms), labels)
    trainer.set_params({**TRAIN_PARAMS, "c1": c1, "c2": c2})
    started = time.perf_counter()
    trainer.train(str(out))
    took = time.perf_counter() - started
    print(f"trained on {len(sentences)} sentences + {copies} swapped copies in {took:.0f}s")
    print(f"model {out}: {out.stat().st_size / 1e6:.2f} MB")


def conll_scores(gold: list[Sentence], predicted: list[list[str]]) -> dict[str, tuple[float, float, float]]:
    """Entity-level precision/recall/F1 per type and overall (PER/LOC/ORG), as conlleval counts."""
    counts: dict[str, list[int]] = {t: [0, 0, 0] for t in ("PER", "LOC", "ORG", "ALL")}
    for (_, labels), pred in zip(gold, predicted, strict=True):
        g, p = spans(labels), spans(pred)
        for etype in ("PER", "LOC", "ORG", "ALL"):
            gs = {s for s in g if etype in ("ALL", s[2])}
            ps = {s for s in p if etype in ("ALL", s[2])}
            counts[etype][0] += len(gs & ps)
            counts[etype][1] += len(ps)
            counts[etype][2] += len(gs)
    out = {}
    for etype, (tp, npred, ngold) in counts.items():
        prec = tp / npred if npred else 0.0
        rec = tp / ngold if ngold else 0.0
        out[etype] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return out


def recognised(gold: list[Sentence], recogniser: EntityRecognizer) -> list[list[str]]:
    """Labels from the recogniser's tagger stage (`EntityRecognizer.tagger_stage`: edge repairs and
    document consistency) over pseudo-articles of DOC_WINDOW consecutive sentences (ANERcorp marks
    no article boundaries), put back on ANERcorp's whole tokens: a mention labels every token it
    touches (a proclitic left out of the span is in ANERcorp's), one across sentences none."""
    out = [["O"] * len(norms) for norms, _ in gold]
    for first in range(0, len(gold), DOC_WINDOW):
        owner: list[tuple[int, int, int, int]] = []  # sentence, token, start, end
        text = ""
        for s in range(first, min(first + DOC_WINDOW, len(gold))):
            for k, norm in enumerate(gold[s][0]):
                owner.append((s, k, len(text), len(text) + len(norm)))
                text += norm + " "
            text = text[:-1] + "\n"
        starts = [start for _, _, start, _ in owner]
        doc = tokenize(ArticleDoc(article_id="anercorp", text=text))
        for cand in recogniser.tagger_stage(recogniser.context(doc), doc):
            if cand.type not in ("PER", "LOC", "ORG"):
                continue
            spots = owner[bisect.bisect_right(starts, cand.start) - 1 : bisect.bisect_left(starts, cand.end)]
            if len({s for s, *_ in spots}) == 1:
                for n, (s, k, *_) in enumerate(spots):
                    out[s][k] = f"{'B' if n == 0 else 'I'}-{cand.type}"
    return out


def evaluate(shared: Path, model: Path = MODEL_PATH) -> float:
    """Print conlleval-style scores on ANERcorp test.txt, of the tagger alone and of the
    recogniser's tagger stage; returns the latter's overall F1."""
    namelike = NameLikeness.load(model.parent / NAMELIKE_PATH.name)
    tagger = CrfSentenceTagger(namelike, model)
    gold = list(read_conll(shared / "data" / "anercorp" / "test.txt"))
    alone = [tagger.crf.tag(tagger.featurizer.sentence(norms))[0] for norms, _ in gold]
    stage = recognised(gold, EntityRecognizer(tagger, namelike))
    for name, labels in (("tagger", alone), (f"tagger stage/{DOC_WINDOW}", stage)):
        scores = conll_scores(gold, labels)
        for etype, (prec, rec, f1) in scores.items():
            print(f"ANERcorp test {name} {etype:3}  P {prec:.4f}  R {rec:.4f}  F1 {f1:.4f}")
    return scores["ALL"][2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=("train", "evaluate"), default="train")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument("--copies", type=int, default=COPIES, help="name-swapped copies of the corpus")
    parser.add_argument("--c1", type=float, default=C1)
    parser.add_argument("--c2", type=float, default=C2)
    args = parser.parse_args(argv)
    if args.command == "train":
        train(args.shared, args.model, copies=args.copies, c1=args.c1, c2=args.c2)
    evaluate(args.shared, args.model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
