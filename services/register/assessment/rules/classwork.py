"""Schedule of control and class works (график на контролните и класните работи), Чл. 136.

A control work (контролна работа, Чл. 133) closes a section; a class work (класна работа,
Чл. 134) is the end-of-term paper. "Last two weeks" of a term are read as the fourteen calendar
days ending on the term's last day, since the article does not say school weeks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from services.register.assessment.rules.findings import Violation
from services.register.assessment.rules.ports import SchoolDayCalendar
from services.register.school.rules.dates import format_date

PER_DAY_ARTICLE = "Чл. 136, ал. 1, т. 1"
PER_WEEK_ARTICLE = "Чл. 136, ал. 1, т. 2"
BLACKOUT_ARTICLE = "Чл. 136, ал. 1, т. 3"
SCHOOL_DAY_ARTICLE = "Чл. 136, ал. 1"
APPROVAL_ARTICLE = "Чл. 136, ал. 2"

#: Control or class works per class on one school day.
MAX_PER_DAY = 1
#: Class works per class in one school week.
MAX_CLASSWORKS_PER_WEEK = 2
#: Calendar days at the end of a term without class works ("последните две седмици").
BLACKOUT_DAYS = 14
#: Weeks after the start of a term by which the director approves the schedule.
APPROVAL_WEEKS = 2


class WrittenWorkKind(StrEnum):
    """Scheduled group written assessment."""

    CONTROL = "control"  # контролна работа
    CLASSWORK = "classwork"  # класна работа

    @property
    def name_bg(self) -> str:
        return "контролна работа" if self is WrittenWorkKind.CONTROL else "класна работа"


@dataclass(frozen=True)
class ScheduledWork:
    """One planned control or class work; ``class_name`` is printed as is, e.g. ``10А``."""

    class_name: str
    subject: str
    kind: WrittenWorkKind
    on: date


def validate_written_work_schedule(
    works: Iterable[ScheduledWork],
    calendar: SchoolDayCalendar,
    *,
    term_start: date,
    term_end: date,
    max_per_day: int = MAX_PER_DAY,
    max_classworks_per_week: int = MAX_CLASSWORKS_PER_WEEK,
    blackout_days: int = BLACKOUT_DAYS,
) -> tuple[Violation, ...]:
    """All breaches of Чл. 136, ал. 1 in one term's schedule, grouped by rule; empty when it is valid."""
    planned = sorted(works, key=lambda work: (work.on, work.class_name, work.subject))
    found: list[Violation] = []
    blackout_from = term_end - timedelta(days=blackout_days - 1)
    for work in planned:
        if not (term_start <= work.on <= term_end and calendar.is_school_day(work.on)):
            found.append(
                Violation(
                    "classwork.not_school_day",
                    f"Паралелка {work.class_name}: {work.kind.name_bg} по {work.subject} на "
                    f"{format_date(work.on)} е насрочена в неучебен ден или извън срока "
                    f"({SCHOOL_DAY_ARTICLE}).",
                    SCHOOL_DAY_ARTICLE,
                )
            )
        elif work.kind is WrittenWorkKind.CLASSWORK and work.on >= blackout_from:
            found.append(
                Violation(
                    "classwork.last_two_weeks",
                    f"Паралелка {work.class_name}: класна работа по {work.subject} на {format_date(work.on)} "
                    f"попада в последните две седмици на срока (от {format_date(blackout_from)}), когато "
                    f"класни работи не се провеждат ({BLACKOUT_ARTICLE}).",
                    BLACKOUT_ARTICLE,
                )
            )
    per_day = Counter((work.class_name, work.on) for work in planned)
    for (class_name, day), count in per_day.items():
        if count > max_per_day:
            found.append(
                Violation(
                    "classwork.per_day",
                    f"Паралелка {class_name}: на {format_date(day)} са насрочени {count} контролни или класни "
                    f"работи, а е допустима най-много {max_per_day} в един учебен ден ({PER_DAY_ARTICLE}).",
                    PER_DAY_ARTICLE,
                )
            )
    per_week = Counter(
        (work.class_name, work.on - timedelta(days=work.on.weekday()))
        for work in planned
        if work.kind is WrittenWorkKind.CLASSWORK
    )
    for (class_name, monday), count in per_week.items():
        if count > max_classworks_per_week:
            found.append(
                Violation(
                    "classwork.per_week",
                    f"Паралелка {class_name}: в седмицата от {format_date(monday)} са насрочени {count} класни "
                    f"работи, а са допустими най-много {max_classworks_per_week} ({PER_WEEK_ARTICLE}).",
                    PER_WEEK_ARTICLE,
                )
            )
    return tuple(found)


def schedule_approval_deadline(term_start: date, *, weeks: int = APPROVAL_WEEKS) -> date:
    """Last day for the director to approve the term's schedule (Чл. 136, ал. 2)."""
    return term_start + timedelta(weeks=weeks)
