"""The streaming ceiling: a Faust agent that parses each raw article and re-publishes it, with no NLP.

Run by the benchmark as `python -m bench.passthrough`. It is built by the service's own
`create_app`/`declare_topics` from the same `NEWSWIRE_*` settings as `newswire worker`, so it has
the same consumer and producer configuration and reads and writes the same topics; only the
agent differs. By default it sends without waiting (the stack's own limit); `--await-acks` takes
batches and waits for the broker's acks of each batch before the next, as the enricher's agent
does for at-least-once, with the same batch settings.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

import faust

from schemas import RawArticle
from services.enricher.app import create_app, declare_topics
from services.enricher.settings import EnricherSettings


def build_app(settings: EnricherSettings, *, await_acks: bool) -> faust.App:
    """The service's app with one agent: raw bytes → RawArticle → JSON on the enriched topic."""
    app = create_app(settings)
    topics = declare_topics(app, settings)

    async def republish(value: bytes) -> Any:
        article = RawArticle.model_validate_json(value)
        return await topics.enriched.send(key=article.id.encode(), value=article.model_dump_json().encode())

    @app.agent(topics.raw, name="passthrough")
    async def passthrough(stream: Any) -> None:
        if not await_acks:
            async for value in stream:
                await republish(value)
            return
        async for events in stream.take_events(settings.batch_max_articles, settings.batch_window_s):
            await asyncio.gather(*[await republish(e.message.value) for e in events])

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--await-acks", action="store_true", help="batch, await acks (like the enricher)")
    args = parser.parse_args()
    settings = EnricherSettings()
    sys.argv = sys.argv[:1]  # faust's worker parses argv too
    app = build_app(settings, await_acks=args.await_acks)
    faust.Worker(app, loglevel=settings.log_level, quiet=True).execute_from_commandline()


if __name__ == "__main__":
    main()
