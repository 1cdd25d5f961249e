"""Dramatiq middleware that records message counts and durations into :class:`shared.metrics.Metrics`.

Dramatiq's own Prometheus middleware changes environment variables and starts an HTTP server of
its own; this one writes the same series names into the service's metrics and nothing else.
"""

from __future__ import annotations

import time

from dramatiq.middleware import Middleware

from shared.metrics import Metrics


class MessageMetrics(Middleware):
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self._started: dict[str, float] = {}

    def before_process_message(self, broker, message):
        self._started[message.message_id] = time.perf_counter()

    def after_process_message(self, broker, message, *, result=None, exception=None):
        labels = (message.queue_name, message.actor_name)
        started = self._started.pop(message.message_id, None)
        if started is not None:
            self.metrics.message_duration.labels(*labels).observe(time.perf_counter() - started)
        self.metrics.messages.labels(*labels).inc()
        if exception is not None:
            self.metrics.message_errors.labels(*labels).inc()

    after_skip_message = after_process_message

    def after_nack(self, broker, message):
        self.metrics.message_rejects.labels(message.queue_name, message.actor_name).inc()

    def after_enqueue(self, broker, message, delay):
        if "retries" in message.options:
            self.metrics.message_retries.labels(message.queue_name, message.actor_name).inc()
