"""Retries that are never lost to a broker outage (crash recovery, issue 17).

Dramatiq's ``Retries`` middleware enqueues a failed message's retry from ``after_process_message``;
when the broker is down at that moment the enqueue raises, Dramatiq logs and swallows the error,
and the worker then acknowledges the original: the message is gone (measured: a letter whose
``deliver`` job failed on the killed broker was never sent).  Here the retry's enqueue waits for
the broker instead, on the worker thread, as Dramatiq already does for the acknowledgement itself.
The original is acknowledged only after its retry is stored; a worker killed meanwhile still holds
the original, which the recovery pass gives back (``shared.messaging.recovery``).

A job that fails because the database or the broker is away (PostgreSQL restarting, the disk full:
``shared.outage.is_outage``) is not at fault: it is retried every few seconds, however long the
outage lasts, without using up its own retries (measured: a document's render job, allowed three
retries, was given up during a 4 s PostgreSQL restart and its letter never went).
"""

from __future__ import annotations

import logging
import threading
import time
import traceback

import redis
from dramatiq.errors import BrokerConnectionError
from dramatiq.middleware import Retries

from shared.outage import is_outage

log = logging.getLogger(__name__)

#: Seconds between two attempts to store a retry while the broker is unreachable.
RETRY_ENQUEUE_EVERY_S = 1.0

#: The longest wait between two tries of a job that failed on an outage (ms): short, so that the work
#: resumes within seconds of the database's or broker's return.
OUTAGE_MAX_DELAY_MS = 4_000

#: What a lost broker raises: redis-py's own errors, or Dramatiq's wrapping of them.
BROKER_DOWN = (redis.ConnectionError, redis.TimeoutError, BrokerConnectionError)


class _Patient:
    """The broker as ``Retries`` sees it: ``enqueue`` returns only once the message is stored."""

    def __init__(self, broker, stopping: threading.Event) -> None:
        self._broker = broker
        self._stopping = stopping

    def __getattr__(self, name):
        return getattr(self._broker, name)

    def get_actor(self, name):
        return _PatientActor(self._broker.get_actor(name), self)

    def enqueue(self, message, *, delay=None):
        while True:
            try:
                return self._broker.enqueue(message, delay=delay)
            except BROKER_DOWN:
                log.warning("broker unreachable: the retry of %s waits for it", message.message_id)
                if self._stopping.wait(RETRY_ENQUEUE_EVERY_S):
                    # Shutting down: leave the original unacknowledged (it is given back after the
                    # process is gone) rather than acknowledge a message whose retry was never stored.
                    raise


class _PatientActor:
    """An actor whose ``send`` waits for the broker too: the ``on_retry_exhausted`` message that
    ``Retries`` sends when a job is given up (a document then recorded as failed) is not lost either."""

    def __init__(self, actor, broker: _Patient) -> None:
        self._actor = actor
        self._broker = broker

    def __getattr__(self, name):
        return getattr(self._actor, name)

    def send(self, *args, **kwargs):
        return self._broker.enqueue(self._actor.message(*args, **kwargs))


class DurableRetries(Retries):
    """:class:`dramatiq.middleware.Retries` whose retry is stored before the original is acknowledged."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._stopping = threading.Event()

    def after_worker_boot(self, _broker, _worker) -> None:
        self._stopping.clear()

    def before_worker_shutdown(self, _broker, _worker) -> None:
        self._stopping.set()

    def after_process_message(self, broker, message, *, result=None, exception=None):
        try:
            if exception is not None and is_outage(exception):
                self._retry_after_outage(_Patient(broker, self._stopping), message)
                return
            super().after_process_message(_Patient(broker, self._stopping), message, result=result,
                                          exception=exception)
        except BROKER_DOWN:
            # Not acknowledged, not rejected: Dramatiq would acknowledge it after this hook, so the
            # message is marked to be left where it is (see _DoorbellConsumer.ack).
            message.options["keep_unacknowledged"] = True
            raise

    def _retry_after_outage(self, broker, message) -> None:
        outages = message.options.get("outages", 0)
        message.options["outages"] = outages + 1
        message.options["traceback"] = traceback.format_exc(limit=30)
        message.options["requeue_timestamp"] = int(time.time() * 1000)
        delay = min(OUTAGE_MAX_DELAY_MS, 500 * 2 ** min(outages, 4))
        self.logger.info("Outage: retrying message %r in %d milliseconds (not counted).", message.message_id, delay)
        broker.enqueue(message, delay=delay)
