"""Quiet hours (тихи часове): non-urgent messages wait until the window ends, in the school's time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from shared.settings import Settings


def _parse(window: str) -> tuple[dt.time, dt.time]:
    start, end = window.split("-")
    return dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())


def release_time(settings: Settings, now: dt.datetime) -> dt.datetime | None:
    """When a non-urgent message created at ``now`` may go: ``None`` for at once.

    A window like ``21:00-07:00`` crosses midnight; ``12:00-13:00`` does not.
    """
    if not settings.quiet_hours:
        return None
    zone = ZoneInfo(settings.timezone)
    local = now.astimezone(zone)
    start, end = _parse(settings.quiet_hours)
    clock = local.time()
    crosses_midnight = start > end
    inside = (clock >= start or clock < end) if crosses_midnight else (start <= clock < end)
    if not inside:
        return None
    release_day = local.date()
    if crosses_midnight and clock >= start:
        release_day += dt.timedelta(days=1)
    return dt.datetime.combine(release_day, end, tzinfo=zone).astimezone(dt.UTC)
