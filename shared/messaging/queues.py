"""Scrape-time readings of the broker: queue depths, worker heartbeats, scheduler last run."""

from __future__ import annotations

import time

from shared.messages.registry import URGENT_EVENTS, event_type
from shared.messaging.broker import events_queue, identity_queue, jobs_queue
from shared.metrics import gauge

HEARTBEAT_KEY = "school:heartbeat:{service}"
SCHEDULER_KEY = "school:scheduler:last_run"


def queue_names(services: tuple[str, ...]) -> list[str]:
    """Every queue of ``services``: events, jobs and, for those that keep users, the identity lane."""
    lane = {s for name in URGENT_EVENTS for s in event_type(name).subscribers}
    return [queue for service in services
            for queue in (events_queue(service), jobs_queue(service),
                          *((identity_queue(service),) if service in lane else ()))]


def queue_depths(client, services: tuple[str, ...], namespace: str = "dramatiq") -> list[tuple[str, int, int, int]]:
    """``(queue, ready, delayed, dead)`` for every queue of ``services``, in one round trip."""
    queues = queue_names(services)
    with client.pipeline(transaction=False) as pipe:
        for queue in queues:
            pipe.llen(f"{namespace}:{queue}")
            pipe.llen(f"{namespace}:{queue}.DQ")
            pipe.zcard(f"{namespace}:{queue}.XQ")
        counts = pipe.execute()
    return [(queue, *counts[3 * i:3 * i + 3]) for i, queue in enumerate(queues)]


def queue_depth_collector(client, services: tuple[str, ...], namespace: str = "dramatiq"):
    """Ready, delayed and dead-letter message counts of every queue of ``services``."""

    def collect():
        samples = []
        for queue, ready, delayed, dead in queue_depths(client, services, namespace):
            samples += [([queue, "ready"], ready), ([queue, "delayed"], delayed), ([queue, "dead"], dead)]
        yield gauge("school_queue_depth", "Messages waiting in the broker, by queue and state.",
                    ["queue", "state"], samples)

    return collect


def heartbeat_collector(client, services: tuple[str, ...]):
    """Seconds since each service's worker last said it was alive (absent: never)."""

    def collect():
        samples = []
        now = time.time()
        for service in services:
            raw = client.get(HEARTBEAT_KEY.format(service=service))
            if raw is not None:
                samples.append(([service], max(0.0, now - float(raw))))
        yield gauge("school_worker_heartbeat_age_seconds", "Seconds since the worker's last heartbeat.",
                    ["service"], samples)
        raw = client.get(SCHEDULER_KEY)
        if raw is not None:
            yield gauge("school_scheduler_last_run_timestamp_seconds", "When the scheduler last swept (Unix time).",
                        [], [([], float(raw))])

    return collect


def outbox_collector(relay):
    def collect():
        count, age = relay.backlog()
        yield gauge("school_outbox_backlog", "Events committed but not yet handed to the broker.",
                    ["service"], [([relay.service], count)])
        yield gauge("school_outbox_oldest_age_seconds", "Age of the oldest unpublished outbox event.",
                    ["service"], [([relay.service], age or 0.0)])

    return collect
