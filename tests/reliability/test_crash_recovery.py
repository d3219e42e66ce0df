"""kill -9 during a run: two workers in one group, one killed at random points and restarted; nothing is lost.

At-least-once: a killed worker's uncommitted tail is replayed by whoever owns its partitions next, so
some articles are enriched twice — with the same event_id, so de-duplicating by event_id leaves exactly
one event per article. The duplicate count is printed and recorded as a junit property.
"""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest
from integration.articles import generated_articles

from reliability.workers import Deployment, Outputs, WorkerProcess, collect, original_payload
from services.enricher.broker import EmbeddedBroker

pytestmark = [pytest.mark.broker, pytest.mark.slow]

KILLS = 3
# Bad payloads meant for the DLQ, each distinct so each has its own dead-letter event id.
BAD_PAYLOADS: dict[bytes, str] = {
    **{b"\xff\xfe crash-test %d" % n: "undecodable" for n in range(4)},
    **{b'{"id": "bad-json-%d", "text": ' % n: "invalid_json" for n in range(3)},
    **{b'{"id": "bad-schema-%d", "body": %d}' % (n, n): "schema_violation" for n in range(3)},
}


@pytest.mark.parametrize(
    ("articles", "timeout_s"),
    [pytest.param(1_000, 300, id="1000"), pytest.param(5_000, 1_200, id="5000", marks=pytest.mark.soak)],
)
def test_crash_recovery_kill_9_loses_nothing_and_duplicates_share_event_ids(
    broker: EmbeddedBroker,
    tmp_path: Path,
    record_property: pytest.RecordProperty,
    articles: int,
    timeout_s: float,
) -> None:
    rng = random.Random(articles)
    deployment = Deployment.create(broker.bootstrap, tmp_path)
    good = [orjson.dumps(a) for a in generated_articles(articles, seed=31)]
    good_ids = {orjson.loads(p)["id"] for p in good}
    payloads = list(good)
    for bad in BAD_PAYLOADS:
        payloads.insert(rng.randrange(len(payloads)), bad)
    deployment.produce(payloads)

    workers = [deployment.worker("worker-a").start(), deployment.worker("worker-b").start()]
    kill_at = sorted(rng.uniform(0.1, 0.7) for _ in range(KILLS))  # fractions of articles enriched
    kills: list[tuple[str, int]] = []
    outputs = Outputs()

    def chaos() -> None:
        for worker in workers:
            if not worker.alive and worker.starts > len([k for k in kills if k[0] == worker.name]):
                raise AssertionError(f"{worker.name} died on its own:\n{worker.log_tail()}")
        if kill_at and len(outputs.enriched) >= kill_at[0] * articles:
            kill_at.pop(0)
            victim: WorkerProcess = rng.choice(workers)
            victim.kill9()
            kills.append((victim.name, len(outputs.enriched)))
            victim.start()

    try:
        collect(
            deployment,
            outputs,
            done=lambda: (
                not kill_at
                and len(outputs.enriched) == len(good_ids)
                and len(outputs.dead) >= len(BAD_PAYLOADS)
            ),
            timeout_s=timeout_s,
            grace_s=5.0,
            on_poll=chaos,
        )
    finally:
        for worker in workers:
            worker.stop()

    assert len(kills) == KILLS
    assert set(outputs.enriched) == good_ids, "every article has at least one ArticleEnriched"
    replayed = {aid: ids for aid, ids in outputs.enriched.items() if len(set(ids)) != 1}
    assert replayed == {}, "a replayed article must carry the same event_id"
    duplicates = outputs.enriched_events - len(good_ids)
    # the DLQ holds exactly the payloads meant to fail (after de-duplication), each with its reason
    letters = {letter.event_id: letter for letter in outputs.dead}
    assert sorted((original_payload(letter), letter.reason) for letter in letters.values()) == sorted(
        BAD_PAYLOADS.items()
    )
    duplicate_dead = len(outputs.dead) - len(letters)
    rate = duplicates / len(good_ids)
    print(
        f"\ncrash recovery: {articles} articles, kills at {kills}, "
        f"{duplicates} duplicate enriched events ({rate:.2%}), {duplicate_dead} duplicate dead letters"
    )
    record_property("duplicates", duplicates)
    record_property("duplicate_rate", round(rate, 4))
