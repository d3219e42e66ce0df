"""settings: every NEWSWIRE_* variable is documented; settings survive the trip to a child worker's env."""

from __future__ import annotations

from pathlib import Path

import pytest

from enricher.support import make_settings
from services.enricher.settings import EnricherSettings

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("field", sorted(EnricherSettings.model_fields))
def test_settings_every_variable_in_readme(field: str) -> None:
    assert f"`NEWSWIRE_{field.upper()}`" in README.read_text(encoding="utf-8")


def test_settings_readme_names_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text


def test_settings_as_env_round_trips_including_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    original = make_settings(
        brokers="a:1,b:2",
        partitions=3,
        sasl_password="pw",
        ssl_cafile=Path("/tmp/ca.pem"),
        min_arabic_ratio=0.5,
    )
    for key, value in original.as_env().items():
        monkeypatch.setenv(key, value)
    assert EnricherSettings() == original
    assert original.broker_list == ["a:1", "b:2"]
