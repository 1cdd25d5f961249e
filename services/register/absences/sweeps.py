"""Periodic sweeps of the absences feature (периодични проверки): safe to run twice, as every sweep."""

from __future__ import annotations

from services.register.absences import announcing
from shared.runtime import ServiceRuntime


def firings_left_unannounced(rt: ServiceRuntime) -> None:
    """The job announces an import's firings; this catches any whose job was lost or gave up."""
    announcing.publish_waiting(rt)
