"""The Redis broker, tuned so a message is handled milliseconds after it is enqueued.

Dramatiq's Redis consumer polls with an exponential back-off of up to ``worker_timeout`` when a
queue is idle, which puts ~0.5 s between an event and its handling.  Instead of polling faster
(which would hammer Redis from every idle consumer), every enqueue also pushes onto a small
"doorbell" list per queue, and an idle consumer blocks on that list with ``BLPOP``: it wakes the
moment work arrives and costs nothing while the school is quiet.
"""

from __future__ import annotations

import logging
import threading
from uuid import uuid4

import dramatiq
import redis
from dramatiq import Message
from dramatiq.brokers.redis import RedisBroker, _RedisConsumer  # internals: see test_dramatiq_internals
from dramatiq.common import current_millis
from dramatiq.errors import ConnectionClosed
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Pipelines,
    ShutdownNotifications,
    TimeLimit,
)

from shared.messaging.retries import DurableRetries

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


def identity_queue(service: str) -> str:
    """The queue on which ``service`` receives the urgent identity events (who may sign in)."""
    return f"{service}_identity"


def event_actor_name(service: str) -> str:
    return f"{service}.handle_event"


def identity_actor_name(service: str) -> str:
    return f"{service}.apply_identity"


class _DoorbellConsumer(_RedisConsumer):
    def __init__(self, broker: DoorbellRedisBroker, queue_name: str, prefetch: int, timeout: int) -> None:
        # timeout=0 turns the parent's back-off sleep into a no-op; we block on the doorbell instead.
        super().__init__(broker, queue_name, prefetch, 0)
        self.idle_seconds = max(timeout, 10) / 1000
        self.doorbell = DOORBELL_PREFIX + queue_name
        #: Set when a worker thread finishes a message, i.e. there is room to prefetch again.
        self._room = threading.Event()

        #: A delay queue's messages by id → their Redis ids, until acknowledged (see :meth:`_orphan`).
        self._delayed: dict[str, str] = {}

    def ack(self, message):
        if message.options.pop("keep_unacknowledged", False):
            # Its retry could not be stored (shutdown during a broker outage, DurableRetries): the
            # message stays held, and is given back once this process is gone.
            self._delayed.pop(message.message_id, None)
            self.queued_message_ids.discard(message.message_id)
            self._room.set()
            return
        self._delayed.pop(message.message_id, None)
        super().ack(message)
        self._room.set()

    def nack(self, message):
        self._delayed.pop(message.message_id, None)
        super().nack(message)
        self._room.set()

    def requeue(self, messages):
        """Give messages back (at shutdown, or Dramatiq's delay queue after an error), never raising.

        Dramatiq calls this inside its error handling, where a connection error would end the
        consumer thread for good; what cannot be given back now is handed to the broker object.
        """
        messages = list(messages)
        for message in messages:
            self._delayed.pop(message.message_id, None)
        try:
            super().requeue(messages)
        except (ConnectionClosed, redis.ConnectionError, redis.TimeoutError):
            self.broker.orphaned(self.queue_name, [m.options["redis_message_id"] for m in messages])

    def close(self):
        # Dramatiq drops a consumer after any error, not only a connection error (e.g. a delayed
        # message whose enqueue failed mid-way): what it still held must not stay held by a live worker.
        self._orphan()
        super().close()

    def __next__(self):
        try:
            message = super().__next__()
            if message is None:
                if self.outstanding_message_count < self.prefetch:
                    self.broker.client.blpop([self.doorbell], timeout=self.idle_seconds)
                else:
                    # Every prefetched message is being worked on: wait for one to finish instead of
                    # spinning (which would starve the very threads doing the work).
                    self._room.wait(self.idle_seconds)
                    self._room.clear()
        except (ConnectionClosed, redis.ConnectionError, redis.TimeoutError) as exc:
            self._orphan()
            raise ConnectionClosed(exc) from None
        if message is not None and self.queue_name.endswith(".DQ"):
            self._delayed[message.message_id] = message.options["redis_message_id"]
        return message

    def _orphan(self) -> None:
        """Hand the broker what this consumer holds but no worker thread will ever finish.

        On a connection error Dramatiq drops the consumer, with the messages it had prefetched and,
        for a delay queue, the ones waiting for their time: they stay in this live worker's
        acknowledgement set, where no recovery pass looks.  The broker gives them back once it
        is reachable again (:meth:`DoorbellRedisBroker.give_back_orphans`).
        """
        held = [Message.decode(data).options["redis_message_id"] for data in self.message_cache if data]
        self.message_cache = []
        held += self._delayed.values()
        self._delayed.clear()
        self.broker.orphaned(self.queue_name, held)


class DoorbellRedisBroker(RedisBroker):
    """A :class:`RedisBroker` whose idle consumers wake on enqueue instead of polling.

    It also enqueues a batch in one pipeline: with ``appendfsync always`` the server then writes
    and syncs the whole batch once (group commit) instead of once per message.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._orphans: dict[str, set[str]] = {}
        self._orphans_lock = threading.Lock()
        #: Monotonic time since which this process's keep-alive has reached the broker without a
        #: break (``None``: not yet, or it was just lost); see ``recovery.worker_is_dead``.
        self.connected_since: float | None = None

    def orphaned(self, queue_name: str, redis_message_ids: list[str]) -> None:
        if redis_message_ids:
            with self._orphans_lock:
                self._orphans.setdefault(queue_name, set()).update(redis_message_ids)

    def give_back_orphans(self) -> int:
        """Put the messages dropped consumers held back on their queues (called while connected)."""
        with self._orphans_lock:
            orphans, self._orphans = self._orphans, {}
        try:
            for queue_name, ids in orphans.items():
                self.do_requeue(queue_name, *sorted(ids))
                self.client.lpush(DOORBELL_PREFIX + queue_name, 1)
        except Exception:
            for queue_name, ids in orphans.items():
                self.orphaned(queue_name, list(ids))  # still unreachable: next time
            raise
        return sum(len(ids) for ids in orphans.values())

    def enqueue_batch(self, messages: list[dramatiq.Message]) -> list[dramatiq.Message]:
        prepared = []
        for original in messages:
            # As RedisBroker.enqueue: every enqueue gets its own Redis id (retries reuse message ids).
            message = original.copy(options={"redis_message_id": str(uuid4())})
            self.emit_before("enqueue", message, None)
            prepared.append(message)
        dispatch = self.scripts["dispatch"]
        with self.client.pipeline(transaction=False) as pipe:
            for message in prepared:
                dispatch(keys=[self.namespace], client=pipe, args=[
                    "enqueue", current_millis(), message.queue_name, self.broker_id, self.heartbeat_timeout,
                    self.dead_message_ttl, self._should_do_maintenance("enqueue"), self._max_unpack_size(),
                    message.options["redis_message_id"], message.encode(),
                ])
            for queue in sorted({m.queue_name for m in prepared}):
                pipe.lpush(DOORBELL_PREFIX + queue, 1)
                pipe.ltrim(DOORBELL_PREFIX + queue, 0, DOORBELL_LENGTH - 1)
            pipe.execute()
        for message in prepared:
            self.emit_after("enqueue", message, None)
        return prepared

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
        DurableRetries(min_backoff=1_000, max_backoff=300_000, max_retries=10),
        CurrentMessage(),
        *(extra_middleware or []),
    ]
    # Socket timeouts above the doorbell wait so a blocked BLPOP is never mistaken for a dead server.
    return DoorbellRedisBroker(url=url, middleware=middleware, socket_timeout=30, health_check_interval=30)


class _MessagesByIdOnly(logging.Filter):
    """Dramatiq logs a message with its arguments („Received message %s“, „Failed to process message
    %s“ at ERROR, an actor's „Received args=%r“): an event's payload holds names, e-mails, phones and
    guardians' postal addresses. The record keeps the actor and the message id, never the arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not isinstance(record.args, tuple) or not record.args:
            return True
        if str(record.msg).startswith("Received args="):
            record.args = tuple("…" for _ in record.args)
        else:
            record.args = tuple(f"{arg.actor_name}(id {arg.message_id})"
                                if hasattr(arg, "actor_name") and hasattr(arg, "message_id") else arg
                                for arg in record.args)
        return True


_BY_ID_ONLY = _MessagesByIdOnly()
#: The worker threads' logger (``dramatiq.worker``'s ``WorkerThread``); each actor has its own.
_WORKER_LOGGER = "dramatiq.worker.WorkerThread"


def _keep_payloads_out_of_logs(*loggers: logging.Logger) -> None:
    for logger in (logging.getLogger(_WORKER_LOGGER), *loggers):
        if _BY_ID_ONLY not in logger.filters:
            logger.addFilter(_BY_ID_ONLY)


def declare_actor(broker: dramatiq.Broker, fn, *, name: str, queue: str, **options) -> dramatiq.Actor:
    """Bind ``fn`` as an actor on this explicit broker (never the global one); its log lines never
    carry a message's arguments (personal data)."""
    actor = dramatiq.actor(fn, actor_name=name, queue_name=queue, broker=broker, **options)
    _keep_payloads_out_of_logs(actor.logger)
    return actor
