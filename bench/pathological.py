"""Worst-case time per article on the reliability corpus of hostile bodies (tests/reliability/nasty.py).

The timing runs in a child process (`python -m bench.pathological`) that prints one JSON line per
article, so a catastrophic case cannot hang the benchmark: the parent stops it after a timeout and
names the case that was running.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import orjson

from bench.measure import Spread
from services.enricher.nlp.pipeline import build_pipeline
from services.enricher.settings import NlpSettings

NASTY = Path(__file__).resolve().parent.parent / "tests" / "reliability" / "nasty.py"


def nasty_module() -> ModuleType:
    """The reliability engineer's corpus module, loaded from its file (tests/ is not an installed package)."""
    spec = importlib.util.spec_from_file_location("bench_nasty", NASTY)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"reliability corpus not found at {NASTY}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def nasty_texts() -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = nasty_module().nasty_texts()
    return texts


@dataclass
class PathologicalResult:
    """Seconds per hostile article (median over runs), and a case that did not finish in time."""

    per_case: dict[str, Spread]
    chars: dict[str, int]
    errors: dict[str, str]  # cases where the pipeline raised (the worker would dead-letter them)
    timed_out: str | None
    timeout_s: float
    complete: bool = True  # False: the time budget ran out before every run finished

    @property
    def worst(self) -> tuple[str, Spread]:
        if self.timed_out:
            return self.timed_out, Spread.of([self.timeout_s])
        return max(self.per_case.items(), key=lambda item: item[1].median)

    def as_dict(self) -> dict[str, object]:
        name, spread = self.worst
        return {
            "worst_case": name,
            "worst_case_s": spread.as_dict(),
            "timed_out": self.timed_out,
            "errors": self.errors,
            "complete": self.complete,
            "cases": {k: {"chars": self.chars[k], "s": v.as_dict()} for k, v in self.per_case.items()},
        }


def measure_pathological(runs: int, timeout_s: float) -> PathologicalResult:
    """Time every hostile body `runs` times in a child process bounded by `timeout_s` overall."""
    cmd = [sys.executable, "-m", "bench.pathological", "--runs", str(runs)]
    timed_out = False
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
        if done.returncode:
            raise RuntimeError(f"bench.pathological failed:\n{done.stderr.decode()[-2000:]}")
        output = done.stdout
    except subprocess.TimeoutExpired as exc:
        output, timed_out = exc.stdout or b"", True
    rows = [orjson.loads(line) for line in output.splitlines() if line.startswith(b"{")]
    names = [name for name, _ in nasty_texts()]
    times: dict[str, list[float]] = {}
    chars: dict[str, int] = {}
    errors: dict[str, str] = {}
    for row in rows:
        times.setdefault(row["name"], []).append(row["s"])
        chars[row["name"]] = row["chars"]
        if row["error"]:
            errors[row["name"]] = row["error"]
    running = names[len(rows) % len(names)] if timed_out else None
    # A case that never finished is the worst case; one that finished in an earlier run keeps its times.
    stuck = running if running is not None and running not in times else None
    spreads = {k: Spread.of(v) for k, v in times.items()}
    return PathologicalResult(spreads, chars, errors, stuck, timeout_s, complete=not timed_out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Time the pipeline on each hostile body; one JSON line each."
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pipeline = build_pipeline(NlpSettings())
    pipeline("warm-up", "قال الوزير إن «المحادثات ستستمر».")  # lazy loads are not an article's cost
    texts = nasty_texts()
    for _ in range(args.runs):
        for name, text in texts:
            error = None
            started = time.perf_counter()
            try:
                pipeline(name, text)
            except Exception as exc:  # the worker dead-letters these; here the time until the failure counts
                error = f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - started
            row = {"name": name, "chars": len(text), "s": elapsed, "error": error}
            sys.stdout.buffer.write(orjson.dumps(row) + b"\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
