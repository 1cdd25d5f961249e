"""Today's date for the whole system, honouring ``SCHOOL_TODAY`` (for demos and replayed years)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Clock:
    """Gives "today" and "now"; a fixed ``today`` shifts dates but keeps the time of day real."""

    fixed_today: dt.date | None = None
    #: The school's time zone (``SCHOOL_TIMEZONE``): a fixed today is a day there, so a moment of it
    #: shown in the school's zone (the pages' filters) falls on that day even near midnight UTC.
    zone: str = "UTC"
    #: A fixed time of day in :attr:`zone` with the fixed today (tests pin the hour so that what
    #: depends on the bells, e.g. the lessons begun, does not depend on when they run).
    fixed_time: dt.time | None = None

    def today(self) -> dt.date:
        # The school's day, not the server's: a server kept in UTC is still on yesterday from
        # midnight to 02:00 (03:00 in summer) in Sofia, when a night's sweeps and exports run.
        return self.fixed_today or dt.datetime.now(ZoneInfo(self.zone)).date()

    def now(self) -> dt.datetime:
        real = dt.datetime.now(dt.UTC)
        if self.fixed_today is None:
            return real
        zone = ZoneInfo(self.zone)
        time_of_day = self.fixed_time or real.astimezone(zone).time()
        return dt.datetime.combine(self.fixed_today, time_of_day, tzinfo=zone).astimezone(dt.UTC)
