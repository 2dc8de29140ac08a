"""Kafka plumbing: topic catalogue, producer, consumer runner, dead letters, replay readers."""
