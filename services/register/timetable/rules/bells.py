"""The bell schedule (звънец): when each lesson of the day starts and ends.

The schedule is the setting ``school_bells`` (``SCHOOL_SCHOOL_BELLS``); lesson N is its N-th
interval, so it also says how many lessons a day may have.
"""

from __future__ import annotations

import dataclasses
import datetime as dt


@dataclasses.dataclass(frozen=True)
class Bell:
    """One lesson's interval: ``lesson`` starts at ``start`` and ends at ``end``."""

    lesson: int
    start: dt.time
    end: dt.time


def parse_bells(setting: str) -> tuple[Bell, ...]:
    """``"08:00-08:40,08:50-09:30"`` as bells 1, 2 (the setting is validated when it is loaded)."""
    bells = []
    for number, part in enumerate(setting.split(","), start=1):
        start, end = part.strip().split("-")
        bells.append(Bell(number, dt.time.fromisoformat(start), dt.time.fromisoformat(end)))
    return tuple(bells)


def current_lesson(bells: tuple[Bell, ...], at: dt.time, lessons: list[int] | None = None) -> int | None:
    """The lesson in progress at ``at``, or else the latest one already started, or else the first.

    Parameters:
      lessons: the only numbers to choose from (a teacher's lessons in a class that day), in any
        order; ``None`` chooses from every bell.  An empty list gives ``None``.
    """
    by_number = {bell.lesson: bell for bell in bells}
    wanted = sorted(n for n in (lessons if lessons is not None else by_number) if n in by_number)
    if not wanted:
        return None
    started = [n for n in wanted if by_number[n].start <= at]
    return started[-1] if started else wanted[0]
