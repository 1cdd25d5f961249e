"""A class's month at a glance (отсъствия на паралелката за месец): for its class teacher and the office."""

from __future__ import annotations

import calendar as month_calendar
import dataclasses
import datetime as dt

import sqlalchemy as sa

from services.register.absences import finalising, summaries
from services.register.models.people import SchoolClass
from services.register.people.access import is_class_teacher
from services.register.school.years import calendar_for
from shared.auth.principal import Principal
from shared.auth.roles import OFFICE
from shared.errors import NotAllowedError, NotFoundError
from shared.runtime import ServiceRuntime


@dataclasses.dataclass(frozen=True)
class ClassMonth:
    class_code: str
    first: dt.date
    last: dt.date
    #: One dict per student: ``student_id``, ``name``, the counts of ``summaries.summary`` and ``rung``.
    rows: list[dict]
    #: The last day the class teacher finalised the class's absences up to (Чл. 97, т. 9), or None.
    finalised_through: dt.date | None = None
    #: The viewer is the class's class teacher: „Оформи седмицата“ is theirs.
    may_finalise: bool = False


def month_of(first: dt.date, step: int) -> dt.date:
    """The first day of the month ``step`` months from ``first``'s."""
    index = first.year * 12 + first.month - 1 + step
    return dt.date(index // 12, index % 12 + 1, 1)


def class_month(rt: ServiceRuntime, who: Principal, class_code: str, first: dt.date) -> ClassMonth:
    """The month's marks of every student of the class; the class teacher and the office only."""
    first = first.replace(day=1)
    last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
    with rt.db.sessions() as s:
        if s.scalar(sa.select(SchoolClass.id).where(SchoolClass.code == class_code)) is None:
            raise NotFoundError(f"Няма паралелка {class_code}.")
        class_teacher = is_class_teacher(s, who, class_code)
        if who.role not in OFFICE and not class_teacher:
            raise NotAllowedError("Отсъствията на паралелката за месеца виждат класният ръководител и канцеларията.")
        calendar = calendar_for(s, last)
        year_start = calendar.year_start if calendar else first
        rows = summaries.class_month(s, class_code, first, last, rt.settings.late_half_hours,
                                     summaries.ladder_rule_ids(rt.components.rule_pack), year_start)
        through = finalising.finalised_through(s, class_code)
    return ClassMonth(class_code, first, last, rows, through, class_teacher)
