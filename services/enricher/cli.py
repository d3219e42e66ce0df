"""The `newswire` command: thin wrappers over importable functions; settings are built once, here."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from services.enricher import logging as enricher_logging
from services.enricher.settings import EnricherSettings


def cmd_worker(settings: EnricherSettings, args: argparse.Namespace) -> int:
    from services.enricher.worker import run_worker

    run_worker(settings)
    return 0


def cmd_demo(settings: EnricherSettings, args: argparse.Namespace) -> int:
    from services.enricher.demo import run_demo

    return run_demo(settings, input_path=args.input, once=args.once, count=args.count)


def cmd_enrich(settings: EnricherSettings, args: argparse.Namespace) -> int:
    from services.enricher.offline import enrich_stream

    name = "stdin" if args.input == "-" else Path(args.input).stem
    source = sys.stdin.buffer if args.input == "-" else open(args.input, "rb")  # noqa: SIM115 - closed below
    sink = sys.stdout.buffer if args.output == "-" else open(args.output, "wb")  # noqa: SIM115
    try:
        summary = enrich_stream(source, sink, settings, fmt=args.format, name=name)
    finally:
        if source is not sys.stdin.buffer:
            source.close()
        if sink is not sys.stdout.buffer:
            sink.close()
        else:
            sink.flush()
    for number, reason, message in summary.dead_lettered:
        print(f"input {number}: dead-lettered ({reason}): {message}", file=sys.stderr)
    print(f"enriched {summary.enriched}, dead-lettered {len(summary.dead_lettered)}", file=sys.stderr)
    return 0 if summary.enriched or not summary.dead_lettered else 1


def cmd_produce(settings: EnricherSettings, args: argparse.Namespace) -> int:
    from services.enricher.clients import jsonl_payloads, produce_payloads

    produce_payloads(settings, jsonl_payloads(args.files), topic=args.topic, rate=args.rate)
    return 0


def cmd_tail(settings: EnricherSettings, args: argparse.Namespace) -> int:
    from services.enricher.clients import read_topic

    topic = args.topic or settings.topic_enriched
    events = read_topic(settings, [topic], from_beginning=args.from_beginning, idle_timeout_s=args.idle)
    for shown, (_, value) in enumerate(events, start=1):
        sys.stdout.write(value.decode("utf-8", "replace") + "\n")
        sys.stdout.flush()
        if args.max and shown >= args.max:
            break
    return 0


def cmd_schemas(settings: EnricherSettings, args: argparse.Namespace) -> int:
    from schemas.generate import write_all

    for path in write_all(args.out):
        print(path)
    return 0


def cmd_check_config(settings: EnricherSettings, args: argparse.Namespace) -> int:
    print(json.dumps(settings.masked(), indent=2, ensure_ascii=False))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newswire", description="Arabic news enrichment on Kafka.")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("worker", help="run the Faust worker against NEWSWIRE_BROKERS").set_defaults(
        func=cmd_worker
    )

    demo = sub.add_parser(
        "demo", help="embedded broker + worker + sample articles, printed as they are enriched"
    )
    demo.add_argument("--input", type=Path, help="JSONL of articles instead of the shipped samples")
    demo.add_argument("--count", type=int, help="publish this many articles (inputs repeated with new ids)")
    demo.add_argument("--once", action="store_true", help="exit 0 once every input is enriched")
    demo.set_defaults(func=cmd_demo)

    enrich = sub.add_parser("enrich", help="offline: articles in, ArticleEnriched JSONL out (no Kafka)")
    enrich.add_argument("--input", default="-", help="file or - for stdin (JSONL, JSON or plain text)")
    enrich.add_argument("--output", default="-", help="file or - for stdout")
    enrich.add_argument("--format", choices=["auto", "jsonl", "json", "text"], default="auto")
    enrich.set_defaults(func=cmd_enrich)

    produce = sub.add_parser("produce", help="publish JSONL articles to the raw topic (kafka-python)")
    produce.add_argument("files", nargs="+", type=Path)
    produce.add_argument("--topic", help="default: NEWSWIRE_TOPIC_RAW")
    produce.add_argument("--rate", type=float, help="articles per second (default: as fast as possible)")
    produce.set_defaults(func=cmd_produce)

    tail = sub.add_parser("tail", help="print the events of a topic, one JSON per line")
    tail.add_argument("topic", nargs="?", help="default: NEWSWIRE_TOPIC_ENRICHED")
    tail.add_argument("--from-beginning", action="store_true")
    tail.add_argument("--max", type=int, help="stop after this many events")
    tail.add_argument("--idle", type=float, help="stop after this many seconds without events")
    tail.set_defaults(func=cmd_tail)

    schemas = sub.add_parser(
        "schemas", help="regenerate schemas/json/*.schema.json and schemas/asyncapi.yaml"
    )
    schemas.add_argument("--out", type=Path, default=None, help="default: the schemas/ package folder")
    schemas.set_defaults(func=cmd_schemas)

    sub.add_parser("check-config", help="print the settings, secrets masked").set_defaults(
        func=cmd_check_config
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = EnricherSettings()
    enricher_logging.configure(settings.log_level, settings.log_format)
    try:
        return int(args.func(settings, args))
    except BrokenPipeError:
        # the reader went away (`newswire tail | head`): not an error; keep Python quiet at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
