"""The enrichment pipeline: a pure function of an article, no I/O, no Kafka."""
