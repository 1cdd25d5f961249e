"""The identity lane: who may sign in reaches every service ahead of any backlog, and the writer knows.

Identity events (``EventType.urgent``) are relayed before any other outbox row, travel on each
subscriber's ``<service>_identity`` queue and are applied there by a worker of their own
(:meth:`shared.bootstrap.Process.start_worker`).  After a consumer commits one, it pushes its
service's name onto the event's acknowledgement list in the broker; the writer (``schoolctl
users …``, „Изход“) blocks on that list until every running service has applied the change, and
says which did not.  A service whose worker is stopped is not waited for: it applies the change
from its queue, before anything else, when it starts.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterable

from dramatiq.errors import BrokerError
from redis.exceptions import RedisError

from shared.messages import event_type
from shared.messaging.queues import HEARTBEAT_KEY

log = logging.getLogger(__name__)

#: Redis key prefix of the acknowledgement lists: one per event, holding the services that applied it.
ACK_PREFIX = "school:identity:applied:"

#: Seconds an acknowledgement list is kept: far longer than anyone waits for it.
ACK_TTL_S = 600

#: Seconds a writer waits for every running service to apply its change.
WAIT_S = 5.0

#: Seconds without a heartbeat after which a service's worker counts as stopped (three beats of
#: ``shared.bootstrap.HEARTBEAT_INTERVAL_S``): a writer does not wait for a service that is down.
STALE_HEARTBEAT_S = 15.0


def acknowledge(client, event_id: str, service: str) -> None:
    """Tell the event's writer that ``service`` has applied it (committed, or found it already done)."""
    key = ACK_PREFIX + event_id
    with client.pipeline(transaction=False) as pipe:
        pipe.rpush(key, service)
        pipe.expire(key, ACK_TTL_S)
        pipe.execute()


@dataclasses.dataclass(frozen=True)
class Propagation:
    """Where a change of who may sign in has been applied, as the writer saw it.

    Parameters:
      applied: services that confirmed it.
      down: services with no running worker; they apply it, before anything else, when they start.
      late: running services that did not confirm it within the wait.
    """

    applied: tuple[str, ...] = ()
    down: tuple[str, ...] = ()
    late: tuple[str, ...] = ()
    #: The broker did not answer: the change waits in the outbox, and its relay retries.
    unreachable: bool = False

    @property
    def complete(self) -> bool:
        return not self.down and not self.late and not self.unreachable

    def warning(self) -> str | None:
        """What the IT person must know when not every service has the change yet (Bulgarian)."""
        if self.unreachable:
            return ("Промяната е записана, но брокерът на съобщения не отговаря; другите услуги ще я "
                    "научат, когато той заработи.")
        parts = []
        if self.down:
            parts.append(f"не работят и ще я приложат, когато бъдат стартирани: {', '.join(self.down)}")
        if self.late:
            parts.append(f"не потвърдиха в срок от {WAIT_S:g} с: {', '.join(self.late)}")
        return "Промяната е записана, но някои услуги " + "; ".join(parts) + "." if parts else None


def running_services(client, services: Iterable[str]) -> set[str]:
    """The services among ``services`` whose worker has beaten recently."""
    services = list(services)
    if not services:
        return set()
    beats = client.mget([HEARTBEAT_KEY.format(service=s) for s in services])
    now = time.time()
    return {s for s, beat in zip(services, beats, strict=True)
            if beat is not None and now - float(beat) < STALE_HEARTBEAT_S}


def wait_until_applied(client, events: Iterable[tuple[str, str]], timeout: float = WAIT_S) -> Propagation:
    """Block until every running subscriber has applied each of ``events`` (``(id, name)``), or ``timeout``.

    Each event's list is read by its one writer only, so popping from it loses nothing.
    """
    events = list(events)
    subscribers = {s for _id, name in events for s in event_type(name).subscribers}
    running = running_services(client, subscribers)
    deadline = time.monotonic() + timeout
    late: set[str] = set()
    for event_id, name in events:
        waiting = set(event_type(name).subscribers) & running
        while waiting:
            remaining = deadline - time.monotonic()
            # A BLPOP timeout of 0 would block for ever: never round a last sliver down to it.
            popped = client.blpop([ACK_PREFIX + event_id], timeout=max(remaining, 0.01)) if remaining > 0 else None
            if popped is None:
                late |= waiting
                break
            waiting.discard(popped[1].decode())
    return Propagation(applied=tuple(sorted(running - late)), down=tuple(sorted(subscribers - running)),
                       late=tuple(sorted(late)))


def propagate(runtime, events: Iterable[tuple[str, str]], timeout: float = WAIT_S) -> Propagation:
    """Send the committed identity ``events`` now (not at the relay's next pass) and wait for them.

    Parameters:
      runtime: the producing service's runtime, with a broker.
      events: ``(id, name)`` pairs, from :func:`shared.messaging.outbox.urgent_events`.
      timeout: seconds to wait in all.
    """
    events = list(events)
    if not events:
        return Propagation()
    try:
        runtime.relay.publish_urgent()
        return wait_until_applied(runtime.broker.client, events, timeout)
    except (RedisError, BrokerError) as exc:
        # Committed all the same: the relay sends the rows once the broker is back.
        log.warning("identity events %s not confirmed, the broker does not answer: %s",
                    [event_id for event_id, _name in events], exc)
        return Propagation(unreachable=True)
