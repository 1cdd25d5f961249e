"""Prometheus metrics (показатели) for one process, safe with several processes.

A process started with ``PROMETHEUS_MULTIPROC_DIR`` in its environment (the systemd units and the
compose file of ``deploy/`` set it for ``schoolctl serve`` and ``worker``) keeps its values in files
there, and :class:`Metrics` given that directory shows the sum of every process's; otherwise values
live in this object's registry.  prometheus_client chooses between the two when it is imported, so
the variable must come from outside the process: :func:`multiprocess_dir` refuses clearly when it
did not.  Values that are a
reading of the present (queue depth, outbox backlog, heartbeats) are collected at scrape time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, values
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

#: Seconds; the event-latency and delivery-delay buckets (a school day has long tails).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400)


#: The environment variable prometheus_client reads, once, when it is imported.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


class MetricsSetupError(RuntimeError):
    """A process that shares its metrics with siblings was started without the environment for it."""


def multiprocess_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The directory this process shares its metric values in, from ``PROMETHEUS_MULTIPROC_DIR``.

    Created if missing.  Raises :class:`MetricsSetupError` when the variable is unset, or when
    prometheus_client was imported without it (its values would then stay in this process).
    """
    raw = environ.get(MULTIPROC_ENV)
    if not raw:
        raise MetricsSetupError(
            f"{MULTIPROC_ENV} is not set: processes of one service (gunicorn workers, the Dramatiq worker) "
            "share their metrics through that directory. Set it in the process's environment, e.g. "
            f"{MULTIPROC_ENV}=/var/lib/school-office/metrics/<service>, as deploy/systemd and "
            "deploy/docker-compose.yml do.")
    if values.ValueClass is values.MutexValue:
        raise MetricsSetupError(
            f"prometheus_client was imported before {MULTIPROC_ENV} was set; it must be in the environment "
            "the process starts with.")
    path = Path(raw)
    path.mkdir(parents=True, exist_ok=True)
    return path


class Metrics:
    """The counters and histograms of this process, plus live collectors added by services.

    Parameters:
      multiprocess_dir: where this process and its siblings keep their values (see
        :func:`multiprocess_dir`); ``None`` for a single process, whose values are its own.
    """

    def __init__(self, multiprocess_dir: Path | None = None) -> None:
        self.multiprocess_dir = multiprocess_dir
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
        if self.multiprocess_dir is not None:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=str(self.multiprocess_dir))
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
