"""demo: `--once` enriches every shipped sample and exits 0; Ctrl-C stops the worker and the broker too."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from services.enricher.demo import render, sample_payloads

pytestmark = [pytest.mark.broker, pytest.mark.slow]

BANNER = re.compile(r"\(pid (\d+)\) · worker pid (\d+)")


def demo(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    return subprocess.Popen(
        [sys.executable, "-m", "services.enricher", "demo", *args],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        # a shell's background job ignores SIGINT; the test needs the default Ctrl-C behaviour
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie has exited; only its parent has not collected it yet
    return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def test_demo_once_prints_every_sample_and_exits_zero() -> None:
    proc = demo("--once")
    out, _ = proc.communicate(timeout=240)
    assert proc.returncode == 0, out
    for payload in sample_payloads():
        assert f"── {orjson.loads(payload)['id']} ·" in out
    assert "/metrics" in out and "❝" in out


def test_demo_ctrl_c_stops_worker_and_broker() -> None:
    proc = demo()
    assert proc.stdout is not None
    pids: tuple[int, int] | None = None
    deadline = time.monotonic() + 180
    for line in proc.stdout:
        if match := BANNER.search(line):
            pids = (int(match[1]), int(match[2]))
        if line.startswith("── "):
            break  # events are flowing: everything is up
        assert time.monotonic() < deadline
    assert pids is not None
    proc.send_signal(signal.SIGINT)
    assert proc.wait(60) == 130
    for pid in pids:
        assert not alive(pid), f"pid {pid} outlived the demo"


def test_demo_render_shows_entities_by_type_and_who_said_what() -> None:
    event = {
        "event_type": "article.enriched",
        "article_id": "r1",
        "title": "عنوان",
        "status": "enriched",
        "entities": [{"type": "PER", "name": "سالم", "mentions": [{}, {}]}],
        "quotes": [
            {"text": "نص", "kind": "indirect", "cue": "قال", "speaker": {"name": "سالم"}, "via": "وكالة"}
        ],
    }
    assert render(event).splitlines()[1:] == ["   PER  سالم ×2", "   ❝ سالم (قال, indirect via وكالة): نص"]
    letter = {
        "event_type": "article.dead_lettered",
        "article_id": "x",
        "reason": "empty_body",
        "stage": "validate",
    }
    assert "dead-lettered, empty_body (validate)" in render({**letter, "message": "m"})
