"""The Redis broker, tuned so a message is handled milliseconds after it is enqueued.

Dramatiq's Redis consumer polls with an exponential back-off of up to ``worker_timeout`` when a
queue is idle, which puts ~0.5 s between an event and its handling.  Instead of polling faster
(which would hammer Redis from every idle consumer), every enqueue also pushes onto a small
"doorbell" list per queue, and an idle consumer blocks on that list with ``BLPOP``: it wakes the
moment work arrives and costs nothing while the school is quiet.
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker, _RedisConsumer  # pinned dramatiq; see pyproject
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

#: Rings kept per queue; more than the consumers that could be waiting is never needed.
DOORBELL_LENGTH = 64

#: Redis key prefix of the doorbell lists.
DOORBELL_PREFIX = "school:doorbell:"


def events_queue(service: str) -> str:
    """The queue on which ``service`` receives other services' events."""
    return service


def jobs_queue(service: str) -> str:
    """The queue of ``service``'s own background jobs (rendering, delivery)."""
    return f"{service}_jobs"


def event_actor_name(service: str) -> str:
    return f"{service}.handle_event"


class _DoorbellConsumer(_RedisConsumer):
    def __init__(self, broker: DoorbellRedisBroker, queue_name: str, prefetch: int, timeout: int) -> None:
        # timeout=0 turns the parent's back-off sleep into a no-op; we block on the doorbell instead.
        super().__init__(broker, queue_name, prefetch, 0)
        self.idle_seconds = max(timeout, 10) / 1000
        self.doorbell = DOORBELL_PREFIX + queue_name

    def __next__(self):
        message = super().__next__()
        if message is None and self.outstanding_message_count < self.prefetch:
            self.broker.client.blpop([self.doorbell], timeout=self.idle_seconds)
        return message


class DoorbellRedisBroker(RedisBroker):
    """A :class:`RedisBroker` whose idle consumers wake on enqueue instead of polling."""

    @property
    def consumer_class(self):
        return _DoorbellConsumer

    def enqueue(self, message, *, delay=None):
        enqueued = super().enqueue(message, delay=delay)
        doorbell = DOORBELL_PREFIX + enqueued.queue_name
        with self.client.pipeline(transaction=False) as pipe:
            pipe.lpush(doorbell, 1)
            pipe.ltrim(doorbell, 0, DOORBELL_LENGTH - 1)
            pipe.execute()
        return enqueued


def make_broker(url: str, *, extra_middleware: list | None = None) -> DoorbellRedisBroker:
    """A broker with an explicit middleware list (no import-time Prometheus side effects).

    Parameters:
      url: ``redis://host:port/db``.
      extra_middleware: e.g. the metrics middleware of :mod:`shared.messaging.metrics`.
    """
    middleware = [
        AgeLimit(),
        TimeLimit(),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        Retries(min_backoff=1_000, max_backoff=300_000, max_retries=10),
        CurrentMessage(),
        *(extra_middleware or []),
    ]
    # Socket timeouts above the doorbell wait so a blocked BLPOP is never mistaken for a dead server.
    return DoorbellRedisBroker(url=url, middleware=middleware, socket_timeout=30, health_check_interval=30)


def declare_actor(broker: dramatiq.Broker, fn, *, name: str, queue: str, **options) -> dramatiq.Actor:
    """Bind ``fn`` as an actor on this explicit broker (never the global one)."""
    return dramatiq.actor(fn, actor_name=name, queue_name=queue, broker=broker, **options)
