"""The НЕИСПУО monthly absence file: 16 pipe-separated fields per student, Windows-1251.

The format is the one НЕИСПУО's own importer reads (``spec/neispuo-absence-file.md``).  Every
problem is found before anything is written — a name CP-1251 cannot hold, a ``|`` or a line break
in a field, an invalid ЕГН/ЛНЧ — and named by student; nothing is silently changed.  Lines are
ordered by class and name, so the same month exported twice is byte-identical.
"""

from __future__ import annotations

import calendar as month_calendar
import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.absences import Absence
from services.register.models.people import Student
from services.register.models.school import School
from services.register.people.identification import identify

ENCODING = "cp1251"
SEPARATOR = "|"
FIELDS = 16


@dataclasses.dataclass(frozen=True)
class MonthFile:
    name: str
    content: bytes
    students: int


class ExportProblemsError(ValueError):
    """Problems named by student (``{"students.<id>": [...]}``), or by field for the request."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in problems.items()))
        self.problems = problems


def calendar_month(school_year: int, month: int) -> tuple[dt.date, dt.date]:
    """НЕИСПУО names the school year by its first year: month 10 of 2023 is 10.2023, month 1 is 01.2024."""
    year = school_year if month >= 9 else school_year + 1
    return dt.date(year, month, 1), dt.date(year, month, month_calendar.monthrange(year, month)[1])


def _hours(value: float) -> str:
    return f"{value:.2f}"


def monthly_totals(session: Session, first: dt.date, last: dt.date, late_half_hours: int) -> dict[int, tuple]:
    """One aggregate over the month: ``{student: (excused, unexcused incl. lateness)}``."""
    rows = session.execute(sa.select(Absence.student_id, Absence.kind, sa.func.count()).where(
        Absence.date >= first, Absence.date <= last).group_by(Absence.student_id, Absence.kind)).all()
    totals: dict[int, list[float]] = {}
    for student_id, kind, count in rows:
        entry = totals.setdefault(student_id, [0.0, 0.0])
        if kind == "excused":
            entry[0] += count
        elif kind == "unexcused":
            entry[1] += count
        else:
            entry[1] += count * late_half_hours / 2
    return {sid: tuple(v) for sid, v in totals.items()}


def _check_field(problems: list[str], label: str, value: str) -> None:
    if SEPARATOR in value or "\r" in value or "\n" in value:
        problems.append(f"{label}: съдържа „|“ или нов ред, които файлът не допуска.")
    if _encodable(value):
        return  # the usual case, checked whole; only a failing value is looked at letter by letter
    bad = sorted({ch for ch in value if not _encodable(ch)})
    if bad:
        shown = ", ".join(f"„{ch}“ (U+{ord(ch):04X})" for ch in bad)
        problems.append(f"{label}: знак {shown} не може да се запише в кодировка Windows-1251.")


def _encodable(text: str) -> bool:
    try:
        text.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def build(session: Session, school_year: int, month: int, *, late_half_hours: int = 1) -> MonthFile:
    """The month's file for every student of the school, or ExportProblemsError naming each problem."""
    first, last = calendar_month(school_year, month)
    school = session.get(School, 1)
    if school is None:
        raise ExportProblemsError({"school": ["Данните на училището (код по НЕИСПУО) не са въведени."]})
    code = school.neispuo_code.zfill(7)
    # Plain rows, not ORM objects: the file needs eight columns of every student, once.
    students = session.execute(sa.select(
        Student.id, Student.first_name, Student.middle_name, Student.last_name, Student.egn, Student.id_type,
        Student.birth_date, Student.class_code, Student.deregistered_on,
    ).where(
        sa.or_(Student.deregistered_on.is_(None), Student.deregistered_on >= first),
    ).order_by(Student.class_code, Student.last_name, Student.first_name, Student.middle_name, Student.id)).all()
    totals = monthly_totals(session, first, last, late_half_hours)
    problems: dict[str, list[str]] = {}
    lines: list[str] = []
    for student in students:
        found: list[str] = []
        for label, value in (("име", student.first_name), ("презиме", student.middle_name),
                             ("фамилия", student.last_name), ("паралелка", student.class_code)):
            _check_field(found, label, value)
        _identity, identity_problems = identify(student.egn, student.birth_date if student.id_type == "lnch" else None)
        found.extend(identity_problems.values())
        grade = student.class_code[:-1]
        if not grade.isdigit() or not 1 <= int(grade) <= 12:
            found.append(f"паралелка: „{student.class_code}“ не започва с клас.")
        if found:
            full_name = " ".join(p for p in (student.first_name, student.middle_name, student.last_name) if p)
            problems[f"students.{student.id}"] = [f"{full_name} ({student.class_code}): {p}" for p in found]
            continue
        excused, unexcused = totals.get(student.id, (0.0, 0.0))
        deregistered = student.deregistered_on
        fields = [
            code, str(school_year), f"{month:02d}", "" if student.id_type == "egn" else "1", student.egn,
            student.first_name, student.middle_name, student.last_name, f"{int(grade):02d}", "", "",
            student.class_code, "",
            f"{deregistered:%d.%m.%Y}" if deregistered is not None and first <= deregistered <= last else "",
            _hours(excused), _hours(unexcused),
        ]
        lines.append(SEPARATOR.join(fields))
    if problems:
        raise ExportProblemsError(problems)
    content = "".join(line + "\r\n" for line in lines).encode(ENCODING)
    return MonthFile(f"{code}_{school_year}_{month:02d}_File.txt", content, len(lines))
