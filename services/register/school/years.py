"""School years and their calendars (учебни години, учебен календар, Чл. 113–116)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models import TABLES
from services.register.models.school import SchoolYear
from services.register.school.rules.calendar import DateRange, SchoolCalendar, Term
from services.register.school.rules.errors import CalendarError
from shared import audit
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError
from shared.runtime import ServiceRuntime


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _dates(values: list) -> frozenset[dt.date]:
    return frozenset(_as_date(v) for v in values)


def _range(value: dict) -> tuple[dt.date, dt.date]:
    return _as_date(value["start"]), _as_date(value["end"])


def build_calendar(data: dict[str, Any]) -> SchoolCalendar:
    """The domain calendar of a school year given as stored or as posted (dates or ISO strings)."""
    terms = tuple(Term(*_range(term), number=n) for n, term in enumerate(data["terms"], start=1))
    start, end = _range(data)
    return SchoolCalendar(
        year_start=start, year_end=end, terms=terms,
        vacations=tuple(DateRange(*_range(v)) for v in data.get("vacations") or ()),
        extra_non_school_days=_dates(data.get("non_school_days") or ()),
        declared_working_days=_dates(data.get("declared_working_days") or ()),
        classes_end=tuple(sorted((int(grade), _as_date(day))
                                 for grade, day in (data.get("classes_end") or {}).items())),
    )


def calendar_of(year: SchoolYear) -> SchoolCalendar:
    return build_calendar({"start": year.start, "end": year.end, "terms": year.terms, "vacations": year.vacations,
                           "non_school_days": year.non_school_days,
                           "declared_working_days": year.declared_working_days, "classes_end": year.classes_end})


_YEARS = SchoolYear.__table__


def _containing(*columns) -> tuple[sa.Select, sa.Select]:
    """The year whose dates contain ``:day``, then (in the summer) the one that ended last before it.

    Built once per column list: they run on every recorded lesson, and building a statement costs
    more than running it.
    """
    return (sa.select(*columns).where(_YEARS.c.start <= sa.bindparam("day"), _YEARS.c.end >= sa.bindparam("day")),
            sa.select(*columns).where(_YEARS.c.end < sa.bindparam("day")).order_by(_YEARS.c.end.desc()).limit(1))


_YEAR_CONTAINING = _containing(SchoolYear)
_CALENDAR_CONTAINING = _containing(_YEARS.c.start, _YEARS.c.end, _YEARS.c.terms, _YEARS.c.vacations,
                                   _YEARS.c.non_school_days, _YEARS.c.declared_working_days, _YEARS.c.classes_end)


def _first(session: Session, statements: tuple[sa.Select, sa.Select], day: dt.date):
    for statement in statements:
        row = session.execute(statement, {"day": day}).first()
        if row is not None:
            return row
    return None


def year_containing(session: Session, day: dt.date) -> SchoolYear | None:
    """The school year whose dates contain ``day``; in the summer, the one that ended last."""
    row = _first(session, _YEAR_CONTAINING, day)
    return row[0] if row is not None else None


def calendar_for(session: Session, day: dt.date) -> SchoolCalendar | None:
    """The calendar of :func:`year_containing` ``day``, read as plain columns rather than the ORM object."""
    row = _first(session, _CALENDAR_CONTAINING, day)
    return build_calendar(row._mapping) if row is not None else None


def school_years(session: Session) -> list[SchoolYear]:
    """Every school year entered, oldest first."""
    return list(session.scalars(sa.select(SchoolYear).order_by(SchoolYear.start)).all())


def _iso(data: dict[str, Any]) -> dict[str, Any]:
    def conv(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list):
            return [conv(v) for v in value]
        if isinstance(value, dict):
            return {k: conv(v) for k, v in value.items()}
        return value
    return conv(data)


FINAL_GRADE = 12


def with_final_grade_end(data: dict[str, Any], month_day: str) -> dict[str, Any]:
    """``data`` with XII's end of classes: as given, else ``month_day`` (``MM-DD``) of the year's ending year.

    XII finishes in May by the minister's order of each year (Чл. 113, ал. 1); a school that enters
    its year without that day gets the setting ``SCHOOL_XII_CLASSES_END`` (15 May in 2023/2024).
    """
    classes_end = {str(int(grade)): day for grade, day in (data.get("classes_end") or {}).items()}
    classes_end.setdefault(str(FINAL_GRADE), dt.date.fromisoformat(f"{_as_date(data['end']).year}-{month_day}"))
    return {**data, "classes_end": classes_end}


def create_school_year(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> int:
    """Store a school year after the calendar accepts it; announce it to the other services."""
    data = with_final_grade_end(data, rt.settings.xii_classes_end)
    try:
        calendar = build_calendar(data)
    except CalendarError as exc:
        raise InvalidInputError({exc.field if exc.field in data else "terms": exc.message}) from exc
    stored = _iso(data)
    for day in calendar.extra_non_school_days:
        if not calendar.year_start <= day <= calendar.year_end:
            raise InvalidInputError({"non_school_days": f"Денят {day:%d.%m.%Y} е извън учебната година."})
    with rt.db.transaction() as s:
        if s.scalar(sa.select(SchoolYear.id).where(SchoolYear.name == data["name"])):
            raise ConflictError(f"Учебната {data['name']} година вече е въведена.", "name")
        overlapping = s.scalar(sa.select(SchoolYear.name).where(
            SchoolYear.start <= calendar.year_end, SchoolYear.end >= calendar.year_start))
        if overlapping:
            raise ConflictError(f"Датите се застъпват с учебната {overlapping} година.", "start")
        row = SchoolYear(name=data["name"], start=data["start"], end=data["end"], terms=stored["terms"],
                         vacations=stored["vacations"], non_school_days=stored["non_school_days"],
                         declared_working_days=stored["declared_working_days"], classes_end=stored["classes_end"])
        s.add(row)
        s.flush()
        rt.publish(s, "register.school_year_saved", {"school_year_id": row.id, **stored})
        audit.record(s, TABLES, who, "school_year.create", "school_year", row.id, after=stored)
        return row.id
