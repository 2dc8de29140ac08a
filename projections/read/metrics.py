"""Prometheus metrics read from what the project recorded, at scrape time.

Counts come from the projection (runs, decisions with their latency and tokens, events
projected per topic, duplicates, rejected records, the projector's offsets); consumer lag,
stalls, retries and dead letters come from the worker's health report, whose lag is computed
from offsets the project recorded itself (never the broker's end offsets, which the embedded
broker reports wrong). Read on scrape, so a restarted API loses nothing and two API replicas
agree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric, SummaryMetricFamily
from prometheus_client.registry import Collector
from psycopg import sql

from projections import db

log = logging.getLogger("turing.metrics")
ConsumerReport = Callable[[], Mapping[str, Any]]


def _rows(dsn: str, schema: str, query: str) -> list[dict[str, Any]]:
    with db.connect(dsn) as conn:
        return conn.execute(sql.SQL(query).format(s=sql.Identifier(schema))).fetchall()


class ProjectionCollector(Collector):
    def __init__(self, dsn: str, schema: str = "proj", consumers: ConsumerReport | None = None):
        self.dsn = dsn
        self.schema = schema
        self.consumers = consumers

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("turing_projection_up", "1 when the projection could be read")
        try:
            yield from self._projection()
            up.add_metric([], 1)
        except Exception as exc:  # a scrape reports, it does not fail the endpoint
            log.warning("projection metrics unavailable: %s", exc)
            up.add_metric([], 0)
        yield up
        if self.consumers is not None:
            yield from self._consumers()

    def _projection(self) -> Iterator[Metric]:
        runs = GaugeMetricFamily("turing_runs", "Pipeline runs by status", labels=["status"])
        for r in _rows(self.dsn, self.schema, "SELECT status, count(*) AS n FROM {s}.runs GROUP BY status"):
            runs.add_metric([r["status"]], r["n"])
        yield runs
        decisions = CounterMetricFamily(
            "turing_decisions",
            "Decisions by step, engine, model and status",
            labels=["step", "engine", "model", "status"],
        )
        latency = SummaryMetricFamily(
            "turing_decision_latency_seconds", "Decision latency", labels=["step", "engine", "model"]
        )
        tokens = CounterMetricFamily(
            "turing_decision_tokens", "Tokens per engine and model", labels=["engine", "model", "direction"]
        )
        rows = _rows(
            self.dsn,
            self.schema,
            "SELECT step, engine, model, status, count(*) AS n, sum(latency_ms) AS ms,"
            " sum(tokens_in) AS tin, sum(tokens_out) AS tout FROM {s}.decisions"
            " GROUP BY step, engine, model, status ORDER BY step, engine, model, status",
        )
        by_model: dict[tuple[str, str, str], tuple[int, float]] = {}
        by_engine: dict[tuple[str, str], list[int]] = {}
        for r in rows:
            decisions.add_metric([r["step"], r["engine"], r["model"], r["status"]], r["n"])
            count, seconds = by_model.get((r["step"], r["engine"], r["model"]), (0, 0.0))
            by_model[(r["step"], r["engine"], r["model"])] = (
                count + r["n"],
                seconds + float(r["ms"] or 0) / 1000,
            )
            tok = by_engine.setdefault((r["engine"], r["model"]), [0, 0])
            tok[0] += int(r["tin"] or 0)
            tok[1] += int(r["tout"] or 0)
        for (step, engine, model), (count, seconds) in by_model.items():
            latency.add_metric([step, engine, model], count_value=count, sum_value=seconds)
        for (engine, model), (tin, tout) in by_engine.items():
            tokens.add_metric([engine, model, "in"], tin)
            tokens.add_metric([engine, model, "out"], tout)
        yield from (decisions, latency, tokens)
        for name, table, help_ in (
            ("turing_events_projected", "audit_log", "Events the projector applied, per topic"),
            ("turing_event_duplicates", "event_duplicates", "Redelivered events recognised by id, per topic"),
            ("turing_records_rejected", "rejected_records", "Records the projector dead-lettered, per topic"),
        ):
            family = CounterMetricFamily(name, help_, labels=["topic"])
            query = f"SELECT topic, count(*) AS n FROM {{s}}.{table} GROUP BY topic ORDER BY topic"
            for r in _rows(self.dsn, self.schema, query):
                family.add_metric([r["topic"]], r["n"])
            yield family
        offsets = GaugeMetricFamily(
            "turing_projector_next_offset", "Next offset the projector reads", labels=["topic", "partition"]
        )
        for r in _rows(
            self.dsn,
            self.schema,
            "SELECT topic, partition, next_offset FROM {s}.projector_offsets ORDER BY 1, 2",
        ):
            offsets.add_metric([r["topic"], str(r["partition"])], r["next_offset"])
        yield offsets

    def _consumers(self) -> Iterator[Metric]:
        assert self.consumers is not None
        report = self.consumers()
        labels = ["consumer", "group", "topic"]
        lag = GaugeMetricFamily(
            "turing_consumer_lag", "Records known to exist and not yet committed", labels=labels
        )
        stalled = GaugeMetricFamily(
            "turing_consumer_stalled", "1 when work is pending and nothing moves", labels=labels
        )
        records = CounterMetricFamily("turing_consumer_records", "Records consumed", labels=labels)
        retries = CounterMetricFamily(
            "turing_consumer_retries", "Batch retries after a handler error", labels=labels
        )
        restarts = CounterMetricFamily("turing_consumer_restarts", "Consumer loop restarts", labels=labels)
        dead = CounterMetricFamily("turing_consumer_dead_letters", "Records dead-lettered", labels=labels)
        for c in report.get("consumers", []):
            key = [str(c["name"]), str(c["group"]), str(c["topic"])]
            lag.add_metric(key, c.get("lag", 0))
            stalled.add_metric(key, 1 if c.get("stalled") else 0)
            records.add_metric(key, c.get("records", 0))
            retries.add_metric(key, c.get("retries", 0))
            restarts.add_metric(key, c.get("restarts", 0))
            dead.add_metric(key, c.get("dead_letters", 0))
        healthy = GaugeMetricFamily(
            "turing_worker_healthy", "1 when no consumer is stalled, crashed or silent"
        )
        healthy.add_metric([], 1 if report.get("healthy") else 0)
        yield from (lag, stalled, records, retries, restarts, dead, healthy)
