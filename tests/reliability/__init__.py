"""Reliability tests: crash recovery, hostile input, bounded work, secure connections."""
