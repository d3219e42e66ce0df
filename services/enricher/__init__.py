"""newswire-enricher: Arabic news entities and attributed quotes, streamed through Kafka."""

__version__ = "0.1.0"
