"""The streaming ceiling: a Faust agent that parses each raw article and re-publishes it, with no NLP.

Run by the benchmark as `python -m bench.passthrough`. It is built by the service's own
`create_app`/`declare_topics` from the same `NEWSWIRE_*` settings as `newswire worker`, so it has
the same consumer and producer configuration and reads and writes the same topics; only the
agent differs. `--await-acks` waits for the broker's acks of each record before the next article,
as the enricher's agent does (at-least-once), to show what that costs on its own.
"""

from __future__ import annotations

import argparse
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

    @app.agent(topics.raw, name="passthrough")
    async def passthrough(stream: Any) -> None:
        async for value in stream:
            article = RawArticle.model_validate_json(value)
            sent = await topics.enriched.send(
                key=article.id.encode(), value=article.model_dump_json().encode()
            )
            if await_acks:
                await sent

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--await-acks", action="store_true", help="wait for each record's ack, like the enricher"
    )
    args = parser.parse_args()
    settings = EnricherSettings()
    sys.argv = sys.argv[:1]  # faust's worker parses argv too
    worker = faust.Worker(
        build_app(settings, await_acks=args.await_acks), loglevel=settings.log_level, quiet=True
    )
    worker.execute_from_commandline()


if __name__ == "__main__":
    main()
