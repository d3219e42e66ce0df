"""`newswire demo`: embedded broker + worker process + sample articles, events printed as they arrive."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import orjson

from services.enricher.broker import EmbeddedBroker, free_port
from services.enricher.clients import create_topics, jsonl_payloads, produce_payloads, read_topic
from services.enricher.settings import EnricherSettings

ONCE_TIMEOUT_S = 180.0  # --once gives up (exit 1) when the last article has not arrived by then


class WorkerDied(RuntimeError):
    """The worker process exited while the demo was waiting for events."""


def sample_payloads() -> list[bytes]:
    """The team-written sample articles shipped in the package."""
    text = resources.files("services.enricher").joinpath("samples/articles.jsonl").read_bytes()
    return [line for line in text.splitlines() if line.strip()]


def demo_payloads(input_path: Path | None, count: int | None) -> list[bytes]:
    """The inputs, cut or repeated to `count` (repeats get new ids so each is enriched again)."""
    base = list(jsonl_payloads([input_path])) if input_path else sample_payloads()
    if count is None or count <= len(base):
        return base[:count] if count else base
    out = list(base)
    for n in range(len(base), count):
        article = orjson.loads(base[n % len(base)])
        article["id"] = f"{article.get('id', 'article')}-r{n // len(base)}"
        out.append(orjson.dumps(article))
    return out


def start_worker(settings: EnricherSettings, log_path: Path) -> subprocess.Popen[bytes]:
    """`python -m services.enricher worker` with the settings passed as NEWSWIRE_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env.update(settings.as_env())
    return subprocess.Popen(
        [sys.executable, "-m", "services.enricher", "worker"],
        env=env,
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches the demo, which stops the worker itself (SIGTERM)
    )


def stop_worker(proc: subprocess.Popen[bytes], timeout_s: float = 30.0) -> int:
    """SIGTERM (faust finishes the in-flight article and commits), then SIGKILL after `timeout_s`."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def render(event: dict[str, Any]) -> str:
    """An enriched event or dead letter as a few readable lines."""
    article_id = event.get("article_id", "?")
    if event.get("event_type") == "article.dead_lettered":
        return f"✗ {article_id}: dead-lettered, {event['reason']} ({event['stage']}): {event['message']}\n"
    lines = [
        f"── {article_id} · {event.get('title') or ''}  "
        f"[{event['status']}: {len(event['entities'])} entities, {len(event['quotes'])} quotes]"
    ]
    by_type: dict[str, list[str]] = defaultdict(list)
    for entity in event["entities"]:
        by_type[entity["type"]].append(f"{entity['name']} ×{len(entity['mentions'])}")
    for etype in ("PER", "ORG", "LOC", "MISC"):
        if by_type[etype]:
            lines.append(f"   {etype:4} " + " · ".join(by_type[etype]))
    for quote in event["quotes"]:
        speaker = quote["speaker"]["name"] if quote.get("speaker") else "?"
        via = f" via {quote['via']}" if quote.get("via") else ""
        text = quote["text"] if len(quote["text"]) <= 90 else quote["text"][:87] + "…"
        lines.append(f"   ❝ {speaker} ({quote['cue']}, {quote['kind']}{via}): {text}")
    return "\n".join(lines) + "\n"


def run_demo(
    settings: EnricherSettings,
    *,
    input_path: Path | None = None,
    once: bool = False,
    count: int | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Run the whole system locally; 0 when (with --once) every input came out enriched or dead-lettered."""
    payloads = demo_payloads(input_path, count)
    ids = {orjson.loads(p).get("id") for p in payloads}
    # SIGTERM stops the demo like Ctrl-C does: worker and broker are stopped, not orphaned
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _run(settings, payloads, ids, once=once, out=out)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _run(settings: EnricherSettings, payloads: list[bytes], ids: set[Any], *, once: bool, out: TextIO) -> int:
    with tempfile.TemporaryDirectory(prefix="newswire-demo-") as tmp:
        workdir = Path(tmp)
        broker = EmbeddedBroker(log_file=workdir / "broker.log")
        worker: subprocess.Popen[bytes] | None = None
        try:
            broker.start()
            demo_settings = settings.model_copy(
                update={
                    "brokers": broker.bootstrap,
                    "metrics_host": "127.0.0.1",
                    "metrics_port": free_port(),
                    "data_dir": workdir / "data",
                    "session_timeout_s": 10.0,  # the embedded broker holds a group join for half of it
                    "app_id": "newswire-demo",
                }
            )
            create_topics(demo_settings)
            worker = start_worker(demo_settings, workdir / "worker.log")
            print(
                f"broker {broker.bootstrap} (pid {broker.pid}) · worker pid {worker.pid} · logs in {workdir}",
                file=out,
            )
            print(f"metrics: http://127.0.0.1:{demo_settings.metrics_port}/metrics", file=out, flush=True)
            produce_payloads(demo_settings, payloads, progress=None)
            print(f"published {len(payloads)} articles to {demo_settings.topic_raw}", file=out, flush=True)
            return _print_events(demo_settings, worker, ids, once=once, out=out)
        except KeyboardInterrupt:
            print("\nstopping worker and broker …", file=out)
            return 130
        except WorkerDied as exc:
            print(f"worker died: {exc}; log:\n{(workdir / 'worker.log').read_text()[-3000:]}", file=out)
            return 1
        finally:
            if worker is not None:
                stop_worker(worker)
            broker.stop()


def _print_events(
    settings: EnricherSettings, worker: subprocess.Popen[bytes], ids: set[Any], *, once: bool, out: TextIO
) -> int:
    pending = set(ids)
    deadline = time.monotonic() + ONCE_TIMEOUT_S

    def check() -> None:
        if worker.poll() is not None:
            raise WorkerDied(f"exit code {worker.returncode}")
        if once and time.monotonic() > deadline:
            raise TimeoutError(f"{len(pending)} articles not enriched within {ONCE_TIMEOUT_S:.0f}s")

    events: Iterator[tuple[str, bytes]] = read_topic(
        settings, [settings.topic_enriched, settings.topic_dlq], on_poll=check
    )
    try:
        for _, value in events:
            event = orjson.loads(value)
            print(render(event), file=out, flush=True)
            pending.discard(event.get("article_id"))
            if once and not pending:
                print(
                    f"all {len(ids)} articles processed · metrics were at "
                    f"http://127.0.0.1:{settings.metrics_port}/metrics",
                    file=out,
                )
                return 0
    except TimeoutError as exc:
        print(f"demo timed out: {exc}", file=out)
        return 1
    return 0
