"""Dockerfile and .dockerignore (no engine here to build them): the image's contract, read from the files."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from deploy.stack import REPO, dockerfile_copy_sources, dockerfile_final_stage, dockerfile_instructions
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

    copied = dockerfile_copy_sources()
    assert copied
    for path in copied:
        assert (REPO / path).exists(), path
        assert not ignored(path), f"{path} is excluded by .dockerignore"
    assert ignored(".venv") and ignored(".git")


def test_dockerfile_install_step_packages_every_tracked_file(tmp_path: Path) -> None:
    """The image's `pip install .` is not editable: what the wheel lacks, the container lacks."""
    context = tmp_path / "context"
    context.mkdir()
    sources = dockerfile_copy_sources()
    for source in sources:
        if (REPO / source).is_dir():
            shutil.copytree(REPO / source, context / source, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / source, context / source)
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",  # build only the context; never fetch anything
            "-w",
            "dist",
            str(context),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    packages = [source for source in sources if (REPO / source).is_dir()]
    tracked = subprocess.run(
        ["git", "ls-files", *packages], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked
    assert sorted(set(tracked) - packaged) == []
    (entry_points,) = [name for name in packaged if name.endswith(".dist-info/entry_points.txt")]
    assert "newswire = services.enricher.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
