"""The ANERcorp scoring path of `train evaluate`: the recogniser's tagger stage on whole tokens."""

from services.enricher.nlp.corpus import Sentence
from services.enricher.nlp.entities import NAMELIKE_PATH, CrfSentenceTagger, EntityRecognizer
from services.enricher.nlp.namelike import NameLikeness
from services.enricher.nlp.train import conll_scores, recognised


def test_train_recognised_labels_whole_tokens_per_sentence() -> None:
    namelike = NameLikeness.load(NAMELIKE_PATH)
    recogniser = EntityRecognizer(CrfSentenceTagger(namelike), namelike)
    gold: list[Sentence] = [
        (["وقال", "الرئيس", "الفرنسي", "إيمانويل", "ماكرون", "في", "باريس", "."], []),
        (["وزار", "ماكرون", "برلين", "وموسكو", "."], []),
    ]
    labels = recognised(gold, recogniser)
    assert labels == [
        ["O", "O", "O", "B-PER", "I-PER", "O", "B-LOC", "O"],
        ["O", "B-PER", "B-LOC", "B-LOC", "O"],  # the span leaves و out, the label takes the token
    ]
    scored = [(norms, gold_labels) for (norms, _), gold_labels in zip(gold, labels, strict=True)]
    assert conll_scores(scored, labels)["ALL"] == (1.0, 1.0, 1.0)
