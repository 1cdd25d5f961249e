"""Today's date for the whole system, honouring ``SCHOOL_TODAY`` (for demos and replayed years)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Clock:
    """Gives "today" and "now"; a fixed ``today`` shifts dates but keeps the time of day real."""

    fixed_today: dt.date | None = None

    def today(self) -> dt.date:
        return self.fixed_today or dt.date.today()

    def now(self) -> dt.datetime:
        real = dt.datetime.now(dt.UTC)
        if self.fixed_today is None:
            return real
        return dt.datetime.combine(self.fixed_today, real.time(), tzinfo=dt.UTC)
