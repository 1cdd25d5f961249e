"""Background jobs of the absences feature (фонови задачи), run by the worker from the outbox."""

from __future__ import annotations

from services.register.absences import announcing
from shared.runtime import ServiceRuntime


def publish_firings(rt: ServiceRuntime) -> None:
    """Announce the firings a bulk import stored without events; the import enqueues it in its transaction."""
    announcing.publish_waiting(rt)
