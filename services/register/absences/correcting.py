"""Correcting a recorded lesson's marks (поправка): within the school's edit window, audited.

The teacher sends the lesson's marks as they should be; the difference from what is stored is
applied in one transaction: a mark removed, its kind changed (absent ↔ late) or a forgotten one
added, each with a row in ``absence_history``.  The counters move by the difference through
:func:`services.register.absences.firings.apply_batch`, so the rules are evaluated again and
nothing is announced twice: a lowered total never fires, and a threshold crossed again finds its
firing's unique key taken.  Excused marks belong to the class teacher's excuse and are kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from services.register.absences import covering, firings
from services.register.absences.recording import may_record
from services.register.absences.rules.edit_window import edit_window
from services.register.absences.student_rows import lesson_students
from services.register.models import TABLES
from services.register.models.absences import Absence, AbsenceChange
from services.register.models.people import Student
from services.register.school.years import calendar_for
from shared import audit
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError, NotAllowedError
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

_ABSENCES = Absence.__table__
_HISTORY = AbsenceChange.__table__


def _removal_reason(student_id: int, day: dt.date, lesson: int) -> str:
    """The history's note of a removed mark; it also finds the mark again if it is added back."""
    return f"поправка: премахнато (ученик № {student_id}, {day:%d.%m.%Y}, {lesson}. час)"


def _check_marks(marks: list[dict], class_students: dict) -> dict[int, str]:
    """The wanted marks by student: each student once, each of the class."""
    wanted: dict[int, str] = {}
    errors = {}
    for i, mark in enumerate(marks):
        if mark["student_id"] in wanted:
            errors[f"marks.{i}.student_id"] = "Един ученик е посочен повече от веднъж за същия час."
        elif mark["student_id"] not in class_students:
            errors[f"marks.{i}.student_id"] = "Ученикът не е от тази паралелка."
        wanted[mark["student_id"]] = mark["kind"]
    if errors:
        raise InvalidInputError(errors)
    return wanted


def correct_lesson(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> dict[str, int]:
    """Make the lesson's marks what ``data["marks"]`` says; returns how many were added, changed, removed.

    Parameters:
      data: ``class_code``, ``date``, ``lesson`` and ``marks`` (``student_id``, ``kind`` of
        ``unexcused`` or ``late``); a student not listed was present.  Excused marks stay.
    """
    day, lesson, class_code = data["date"], data["lesson"], data["class_code"]
    with rt.db.transaction() as s:
        stored = {row.student_id: row for row in s.execute(
            sa.select(_ABSENCES).join(Student, Student.id == _ABSENCES.c.student_id).where(
                Student.class_code == class_code, _ABSENCES.c.date == day, _ABSENCES.c.lesson == lesson))}
        if not stored:
            raise ConflictError(f"{lesson}. час от {day:%d.%m.%Y} не е записан: няма какво да се поправи.")
        subject = next(iter(stored.values())).subject
        if not may_record(s, who, class_code, subject, day, lesson):
            raise NotAllowedError("Отсъствията на часа поправя само учителят, който го е записал, или директорът.")
        calendar = calendar_for(s, day)
        window = edit_window(calendar, day, rt.clock.today(), rt.settings.absence_edit_days)
        if not window.open:
            raise ConflictError(window.reason, "date")
        class_students = {sid: st for sid, st in lesson_students(
            s, [*stored, *(m["student_id"] for m in data["marks"])]).items() if st.class_code == class_code}
        wanted = _check_marks(data["marks"], class_students)
        kept_excused = [sid for sid, row in stored.items() if row.kind == "excused"]
        refused = {f"marks.{i}.kind": "Отсъствието вече е извинено; променя го само класният ръководител."
                   for i, m in enumerate(data["marks"]) if m["student_id"] in kept_excused and m["kind"] != "excused"}
        if refused:
            raise InvalidInputError(refused)
        removed = [stored[sid] for sid in stored if sid not in wanted and sid not in kept_excused]
        changed = [(stored[sid], kind) for sid, kind in wanted.items() if sid in stored and stored[sid].kind != kind]
        added = {sid: kind for sid, kind in wanted.items() if sid not in stored}
        if not (removed or changed or added):
            return {"added": 0, "changed": 0, "removed": 0}
        marks, turned = covering.excuse_on_recording(
            s, day, [{"student_id": sid, "kind": kind} for sid, kind in added.items()])
        added = {m["student_id"]: m["kind"] for m in marks}
        _apply(s, rt, who, data, subject, removed, changed, added, class_students, calendar)
        if turned:
            covering.record_history(s, who.id, turned, s.execute(
                sa.select(_ABSENCES.c.id, _ABSENCES.c.student_id).where(
                    _ABSENCES.c.student_id.in_(list(turned)), _ABSENCES.c.date == day,
                    _ABSENCES.c.lesson == lesson)).all())
        audit.record(s, TABLES, who, "absence.correct", "lesson", f"{class_code}/{day}/{lesson}",
                     before={str(sid): row.kind for sid, row in stored.items()},
                     after={str(sid): kind for sid, kind in wanted.items()})
        return {"added": len(added), "changed": len(changed), "removed": len(removed)}


def _apply(s, rt: ServiceRuntime, who: Principal, data, subject, removed, changed, added, students, calendar):
    """The writes of a correction: a fixed number of statements, whatever the number of marks."""
    day, lesson, weight = data["date"], data["lesson"], rt.settings.late_half_hours
    now = utcnow()
    history = [{"absence_id": row.id, "old_kind": row.kind, "new_kind": None, "changed_by": who.id,
                "changed_at": now, "reason": _removal_reason(row.student_id, day, lesson)} for row in removed]
    history += [{"absence_id": row.id, "old_kind": row.kind, "new_kind": kind, "changed_by": who.id,
                 "changed_at": now, "reason": "поправка на часа"} for row, kind in changed]
    if removed:
        s.execute(sa.delete(_ABSENCES).where(_ABSENCES.c.id.in_([row.id for row in removed])))
    for kind in {kind for _row, kind in changed}:
        s.execute(sa.update(_ABSENCES).where(_ABSENCES.c.id.in_([row.id for row, k in changed if k == kind]))
                  .values(kind=kind))
    # A mark added back takes its old id: its history stays one story, and the lesson's event,
    # which already told everyone of it, is not sent again.
    earlier = dict(s.execute(sa.select(_HISTORY.c.reason, sa.func.max(_HISTORY.c.absence_id)).where(
        _HISTORY.c.new_kind.is_(None),
        _HISTORY.c.reason.in_([_removal_reason(sid, day, lesson) for sid in added])).group_by(_HISTORY.c.reason)).all()
    ) if added else {}
    new_rows = []
    for sid, kind in added.items():
        row = {"student_id": sid, "date": day, "lesson": lesson, "subject": subject, "kind": kind,
               "recorded_by": who.id, "recorded_at": now}
        old_id = earlier.get(_removal_reason(sid, day, lesson))
        new_rows.append({**row, "id": old_id} if old_id else row)
    back = [row for row in new_rows if "id" in row]
    first_time = [row for row in new_rows if "id" not in row]
    if back:
        s.execute(sa.insert(_ABSENCES), back)
    fresh = s.execute(sa.insert(_ABSENCES).returning(_ABSENCES.c.id, _ABSENCES.c.student_id, _ABSENCES.c.kind),
                      first_time).all() if first_time else []
    history += [{"absence_id": row.id, "old_kind": None, "new_kind": row.kind, "changed_by": who.id,
                 "changed_at": now, "reason": "поправка: добавено"} for row in fresh]
    history += [{"absence_id": r["id"], "old_kind": None, "new_kind": r["kind"], "changed_by": who.id,
                 "changed_at": now, "reason": "поправка: добавено отново"} for r in back]
    s.execute(sa.insert(_HISTORY), history)
    changes = [(students[row.student_id], day, -firings.half_hours(row.kind, weight)) for row in removed]
    changes += [(students[row.student_id], day, firings.half_hours(kind, weight) - firings.half_hours(row.kind, weight))
                for row, kind in changed]
    changes += [(students[sid], day, firings.half_hours(kind, weight)) for sid, kind in added.items()]
    firings.apply_batch(s, rt, changes, lambda _day: calendar)
    if fresh:
        rt.publish(s, "register.absence_recorded", {
            "class_code": data["class_code"], "date": day.isoformat(), "lesson": lesson, "subject": subject,
            "marks": [{"absence_id": row.id, "student_id": row.student_id,
                       "student_name": students[row.student_id].full_name, "kind": row.kind} for row in fresh]})
