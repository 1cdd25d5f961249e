"""The timetable's import from the CSV/XLSX the school already keeps (one row per class, weekday,
lesson, subject and teacher's name), checked as ``PUT /classes/{code}/timetable`` checks it.

Every problem is named by row and column before anything is stored; the import then stores every
class's timetable from the chosen day in one transaction, or none.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.people import SchoolClass, User
from services.register.people.importing import read_rows
from services.register.timetable.rules.checks import WEEKDAYS, check_lessons
from services.register.timetable.timetables import class_assignments, lesson_count, store_timetable
from shared.auth.principal import Principal
from shared.auth.roles import TEACHERS
from shared.errors import InvalidInputError
from shared.runtime import ServiceRuntime

#: The template's columns, in order.
HEADINGS: tuple[str, ...] = ("Паралелка", "Ден", "Час", "Предмет", "Учител")
#: The API's field of each column, as errors name them.
_COLUMN_OF = {"weekday": "Ден", "lesson": "Час", "subject": "Предмет", "teacher_id": "Учител"}
#: A day written as a word: „понеделник“, „пон“, „Пн“ …
_DAY_NAMES = {name[:2]: number for number, name in WEEKDAYS.items()} | {"пн": 1, "вт": 2, "ср": 3, "чт": 4, "пт": 5}


def _weekday(raw: str) -> int | None:
    text = raw.strip().lower().rstrip(".")
    if text.isdigit():
        return int(text)
    return _DAY_NAMES.get(text[:2]) if text else None


def _teachers(session: Session) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for user_id, name in session.execute(sa.select(User.id, User.name).where(
            User.role.in_(TEACHERS), User.active.is_(True))):
        found.setdefault(" ".join(name.lower().split()), []).append(user_id)
    return found


def parse(session: Session, rows: list[list[str]]) -> tuple[dict[str, list[dict]], dict[str, list[str]]]:
    """The file's lessons by class (each with its ``row``) and the problems as ``{"ред 3.Учител": [...]}``."""
    errors: dict[str, list[str]] = {}
    if not rows or [cell.strip().lower() for cell in rows[0][:len(HEADINGS)]] != [h.lower() for h in HEADINGS]:
        raise InvalidInputError({"file": f"Първият ред трябва да е заглавният: {', '.join(HEADINGS)}."})
    classes = set(session.scalars(sa.select(SchoolClass.code)))
    teachers = _teachers(session)
    by_class: dict[str, list[dict]] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [*row, *[""] * len(HEADINGS)][:len(HEADINGS)]
        if not any(cells):
            continue
        code, day, lesson, subject, teacher = (cell.strip() for cell in cells)
        problems: dict[str, str] = {}
        if code not in classes:
            problems["Паралелка"] = f"Няма паралелка „{code}“." if code else "Липсва паралелката."
        weekday = _weekday(day)
        if weekday is None:
            problems["Ден"] = "Денят е число от 1 до 5 или име на ден (понеделник … петък)."
        if not lesson.isdigit():
            problems["Час"] = "Номерът на часа е цяло число."
        if not subject:
            problems["Предмет"] = "Липсва предметът."
        ids = teachers.get(" ".join(teacher.lower().split()), [])
        if len(ids) != 1:
            problems["Учител"] = (f"Няма учител с име „{teacher}“." if not ids
                                  else f"Има няколко учители с име „{teacher}“.")
        for column, text in problems.items():
            errors.setdefault(f"ред {number}.{column}", []).append(text)
        if not problems:
            by_class.setdefault(code, []).append({"row": number, "weekday": weekday, "lesson": int(lesson),
                                                  "subject": subject, "teacher_id": ids[0], "teacher": teacher})
    return by_class, errors


def _check(session: Session, rt: ServiceRuntime, by_class: dict[str, list[dict]], errors: dict) -> None:
    """The API's checks of each class's lessons, named by the file's row and column."""
    for code, lessons in by_class.items():
        found = check_lessons(lessons, lesson_count(rt), class_assignments(session, code))
        for path, text in found.items():
            _lessons, index, field = path.split(".")
            errors.setdefault(f"ред {lessons[int(index)]['row']}.{_COLUMN_OF[field]}", []).append(text)


def preview_timetable(rt: ServiceRuntime, filename: str, content: bytes) -> tuple[dict, dict[str, list[str]]]:
    """What the import would store, and every problem by row and column; nothing is stored."""
    rows = read_rows(filename, content)
    with rt.db.sessions() as s:
        by_class, errors = parse(s, rows)
        _check(s, rt, by_class, errors)
    if not by_class and not errors:
        errors["file"] = ["Файлът няма нито един час."]
    return by_class, errors


def import_timetable(rt: ServiceRuntime, who: Principal, filename: str, content: bytes,
                     valid_from: dt.date) -> list[str]:
    """Store every class's timetable of the file from ``valid_from``, all or nothing; the classes stored."""
    rows = read_rows(filename, content)
    with rt.db.transaction() as s:
        by_class, errors = parse(s, rows)
        _check(s, rt, by_class, errors)
        if errors or not by_class:
            raise InvalidInputError(errors or {"file": "Файлът няма нито един час."})
        for code, lessons in sorted(by_class.items()):
            store_timetable(s, rt, who, code, {"valid_from": valid_from, "lessons": [
                {key: entry[key] for key in ("weekday", "lesson", "subject", "teacher_id")} for entry in lessons]})
    return sorted(by_class)
