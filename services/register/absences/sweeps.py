"""Periodic sweeps of the absences feature (периодични проверки): safe to run twice, as every sweep."""

from __future__ import annotations

from services.register.absences import announcing, scholarships
from shared.runtime import ServiceRuntime


def firings_left_unannounced(rt: ServiceRuntime) -> None:
    """The job announces an import's firings; this catches any whose job was lost or gave up."""
    announcing.publish_waiting(rt)


def scholarship_resumptions(rt: ServiceRuntime) -> None:
    """The month each stopped scholarship resumes from, once its ground ceased (Чл. 26, ал. 1, т. 23)."""
    scholarships.fill_resumptions(rt)
