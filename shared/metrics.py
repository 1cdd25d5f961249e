"""Prometheus metrics (показатели) for one process, safe with several processes.

When ``PROMETHEUS_MULTIPROC_DIR`` is set (``schoolctl serve`` / ``worker`` set it under the data
dir before anything imports ``prometheus_client``), values live in files and every process's
``/metrics`` shows the sum; otherwise they live in this object's registry.  Values that are a
reading of the present (queue depth, outbox backlog, heartbeats) are collected at scrape time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

#: Seconds; the event-latency and delivery-delay buckets (a school day has long tails).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400)


class Metrics:
    """The counters and histograms of this process, plus live collectors added by services."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.messages = Counter("dramatiq_messages_total", "Messages processed.", ["queue_name", "actor_name"],
                                registry=r)
        self.message_errors = Counter("dramatiq_message_errors_total", "Messages that raised.",
                                      ["queue_name", "actor_name"], registry=r)
        self.message_retries = Counter("dramatiq_message_retries_total", "Messages retried.",
                                       ["queue_name", "actor_name"], registry=r)
        self.message_rejects = Counter("dramatiq_message_rejects_total", "Messages dead-lettered.",
                                       ["queue_name", "actor_name"], registry=r)
        self.message_duration = Histogram("dramatiq_message_duration_seconds", "Time spent handling a message.",
                                          ["queue_name", "actor_name"], buckets=LATENCY_BUCKETS, registry=r)
        self.events_handled = Counter("school_events_total", "Events consumed, by outcome.",
                                      ["service", "event", "outcome"], registry=r)
        self.event_latency = Histogram("school_event_latency_seconds",
                                       "From the producer's commit to the consumer's handling.",
                                       ["service"], buckets=LATENCY_BUCKETS, registry=r)
        self.http_requests = Counter("school_http_requests_total", "HTTP requests by status class.",
                                     ["service", "status"], registry=r)
        self._live: list[Callable[[], Iterable[GaugeMetricFamily]]] = []

    def add_live(self, collect: Callable[[], Iterable[GaugeMetricFamily]]) -> None:
        """Add a scrape-time reading (gauges computed from Redis or the database)."""
        self._live.append(collect)

    def exposition(self) -> bytes:
        """The Prometheus text format of everything this process (and its siblings) knows."""
        multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if multiproc_dir:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=multiproc_dir)
        else:
            registry = self.registry
        live = CollectorRegistry(auto_describe=False)
        live.register(_LiveCollector(self._live))
        return generate_latest(registry) + generate_latest(live)


class _LiveCollector:
    def __init__(self, sources: list[Callable[[], Iterable[GaugeMetricFamily]]]) -> None:
        self.sources = list(sources)

    def collect(self):
        # Several services report the same family (one sample each): merge them, since the text
        # format allows each family name once.
        merged: dict[str, GaugeMetricFamily] = {}
        errors = GaugeMetricFamily("school_collector_errors", "A live collector failed.",
                                   labels=["collector", "error"])
        for source in self.sources:
            try:
                for family in source():
                    if family.name in merged:
                        merged[family.name].samples.extend(family.samples)
                    else:
                        merged[family.name] = family
            except Exception as exc:  # a down broker must not break the whole scrape
                errors.add_metric([getattr(source, "__qualname__", "?"), type(exc).__name__], 1)
        yield from merged.values()
        if errors.samples:
            yield errors


def gauge(name: str, doc: str, labels: list[str], samples: Iterable[tuple[list[str], float]]):
    family = GaugeMetricFamily(name, doc, labels=labels)
    for label_values, value in samples:
        family.add_metric(label_values, value)
    return family


def now() -> float:
    return time.time()
