"""Benchmarks of newswire-enricher: NLP speed, streaming throughput and latency (`make bench`)."""
