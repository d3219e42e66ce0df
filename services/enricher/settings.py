"""One typed settings object for the whole service, read from `NEWSWIRE_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class NlpSettings(BaseModel):
    """What the enrichment pipeline needs; handed to `build_pipeline`."""

    model_config = ConfigDict(frozen=True)

    ner_backend: Literal["crf", "camel"] = "crf"
    camel_ner_model: str | None = (
        None  # a folder with a BERT token-classification model; None: camel's default
    )
    max_body_chars: int = 100_000
    min_arabic_ratio: float = 0.3


class EnricherSettings(BaseSettings):
    """Every setting of the service. Env var = `NEWSWIRE_` + field name in upper case."""

    model_config = SettingsConfigDict(env_prefix="NEWSWIRE_", frozen=True, extra="ignore")

    # Kafka connection
    brokers: str = Field("127.0.0.1:9092", description="Comma-separated host:port list.")
    app_id: str = Field("newswire-enricher", description="Faust app id = consumer group.")
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = "PLAIN"
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    ssl_key_password: SecretStr | None = None

    # Topics
    topic_raw: str = "news.articles.raw"
    topic_enriched: str = "news.articles.enriched"
    topic_entities: str = "news.entities"
    topic_quotes: str = "news.quotes"
    topic_dlq: str = "news.articles.dlq"
    partitions: int = Field(8, ge=1, description="Partitions of topics the worker creates.")
    replication_factor: int = Field(1, ge=1)

    # Consumer behaviour
    session_timeout_s: float = Field(30.0, gt=0)
    # Offsets of acked articles are committed this often; a kill -9 replays at most this much work per
    # partition (measured: ~75 duplicates per kill at 1 s, a few at 0.1 s). Commits are cheap next to that.
    commit_interval_s: float = Field(0.2, gt=0)
    shutdown_timeout_s: float = Field(30.0, gt=0)
    fetch_max_wait_s: float = Field(
        0.05, gt=0, le=1.5, description="Longest a consumer fetch waits for data (idle polling interval)."
    )
    batch_max_articles: int = Field(64, ge=1, description="Articles enriched and published per batch.")
    batch_window_s: float = Field(0.01, gt=0, description="Longest wait to fill a batch (latency bound).")
    article_timeout_s: float = Field(5.0, gt=0, description="Enrichment time bound per article.")
    max_payload_bytes: int = Field(1_000_000, gt=0, description="Larger payloads are dead-lettered.")
    dlq_payload_max_bytes: int = Field(
        524_288, gt=0, description="Dead letters keep the payload up to this size (then payload_truncated)."
    )
    max_record_bytes: int = Field(
        1_000_000,
        ge=4096,
        description=(
            "Largest record produced (the producer's max_request_size; keep it under the topics' "
            "max.message.bytes). An article whose events exceed it is dead-lettered as too_large."
        ),
    )

    # Observability and state
    metrics_host: str = "0.0.0.0"
    metrics_port: int = Field(9108, ge=0, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "console"] = "json"
    data_dir: Path = Path(".newswire-data")

    # NLP
    ner_backend: Literal["crf", "camel"] = "crf"
    camel_ner_model: str | None = None
    max_body_chars: int = Field(100_000, gt=0, description="Longer bodies are dead-lettered as too_large.")
    min_arabic_ratio: float = Field(0.3, ge=0, le=1)

    @property
    def broker_list(self) -> list[str]:
        return [b.strip() for b in self.brokers.split(",") if b.strip()]

    @property
    def nlp(self) -> NlpSettings:
        return NlpSettings(
            ner_backend=self.ner_backend,
            camel_ner_model=self.camel_ner_model,
            max_body_chars=self.max_body_chars,
            min_arabic_ratio=self.min_arabic_ratio,
        )

    def as_env(self) -> dict[str, str]:
        """The settings as NEWSWIRE_* variables (secrets revealed), to configure a child worker process."""
        env: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            env[f"NEWSWIRE_{name.upper()}"] = str(value)
        return env

    def masked(self) -> dict[str, object]:
        """Settings as a dict with secrets masked, for logs and `check-config`."""
        return self.model_dump(mode="json")  # SecretStr dumps as '**********'
