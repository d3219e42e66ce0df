"""Dockerfile and .dockerignore (no engine here to build them): the image's contract, read from the files."""

from __future__ import annotations

import fnmatch
import json
import re

from deploy.stack import REPO, dockerfile_final_stage, dockerfile_instructions
from services.enricher.settings import EnricherSettings


def test_dockerfile_is_multi_stage_on_slim_python() -> None:
    bases = [args.split()[0] for keyword, args in dockerfile_instructions() if keyword == "FROM"]
    assert len(bases) >= 2
    assert set(bases) == {"python:3.11-slim"}


def test_dockerfile_installs_cpu_torch_before_the_project() -> None:
    runs = [args for keyword, args in dockerfile_instructions() if keyword == "RUN"]
    torch = next(i for i, run in enumerate(runs) if "torch==2.13.0" in run)
    assert "--index-url https://download.pytorch.org/whl/cpu" in runs[torch]
    project = next(i for i, run in enumerate(runs) if re.search(r"pip install \.(\s|$)", run))
    assert torch < project


def test_dockerfile_runs_as_non_root_with_health_and_entrypoint() -> None:
    stage = dockerfile_final_stage()
    (user,) = [args for keyword, args in stage if keyword == "USER"]
    assert user.split(":")[0] not in {"0", "root"}
    (health,) = [args for keyword, args in stage if keyword == "HEALTHCHECK"]
    assert "/healthz" in health and "NEWSWIRE_METRICS_PORT" in health
    assert [json.loads(args) for keyword, args in stage if keyword == "ENTRYPOINT"] == [["newswire"]]
    assert [json.loads(args) for keyword, args in stage if keyword == "CMD"] == [["worker"]]


def test_dockerfile_exposes_the_metrics_port_it_configures() -> None:
    stage = dockerfile_final_stage()
    env = " ".join(args for keyword, args in stage if keyword == "ENV")
    port = re.search(r"NEWSWIRE_METRICS_PORT=(\d+)", env)
    assert port and port.group(1) == str(EnricherSettings.model_fields["metrics_port"].default)
    assert [args for keyword, args in stage if keyword == "EXPOSE"] == [port.group(1)]
    assert "NEWSWIRE_METRICS_HOST=0.0.0.0" in env  # reachable from the HEALTHCHECK and Prometheus


def test_dockerignore_keeps_what_the_build_copies() -> None:
    rules = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip()[:1] not in {"", "#"}
    ]

    def ignored(path: str) -> bool:
        verdict = False
        for rule in rules:  # last matching rule wins, `!` re-includes
            pattern = rule.lstrip("!").rstrip("/")
            if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern.replace("**", "*")):
                verdict = not rule.startswith("!")
        return verdict

    copied = [
        source
        for keyword, args in dockerfile_instructions()
        if keyword == "COPY" and "--from" not in args
        for source in args.split()[:-1]
    ]
    assert copied
    for source in copied:
        path = source.rstrip("/")
        assert (REPO / path).exists(), source
        assert not ignored(path), f"{source} is excluded by .dockerignore"
    assert ignored(".venv") and ignored(".git")
