"""Excusing absences (извиняване): only the class teacher, within the limits of Чл. 61."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences import assessment_conditions, firings
from services.register.absences.rules.errors import ExcuseRefusedError
from services.register.absences.rules.excuses import ExcuseDecision, ExcuseReason, check_excuse
from services.register.models import TABLES
from services.register.models.absences import Absence, AbsenceChange, Excuse
from services.register.models.people import Student
from services.register.people.access import is_class_teacher
from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.years import calendar_for
from shared import audit
from shared.auth.principal import Principal
from shared.errors import InvalidInputError, NotAllowedError, NotFoundError
from shared.runtime import ServiceRuntime

#: Domain field names → the API's field names, so a refusal names what the client sent.
_FIELDS = {"from_": "from", "to": "to", "submitted_on": "submitted_on"}


def used_days(session: Session, student_id: int, school_year: str) -> dict[ExcuseReason, int]:
    """School days already excused for the student in the school year, by reason (the quotas of Чл. 61, ал. 1)."""
    used = session.execute(sa.select(Excuse.reason, sa.func.sum(Excuse.school_days)).where(
        Excuse.student_id == student_id, Excuse.school_year == school_year).group_by(Excuse.reason)).all()
    return {ExcuseReason(k): int(v) for k, v in used}


def excuse(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> tuple[int, int]:
    """Excuse the student's unexcused hours in the range; returns (excuse id, hours excused)."""
    with rt.db.transaction() as s:
        return excuse_in(s, rt, who, data)


def excuse_in(s: Session, rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> tuple[int, int]:
    """:func:`excuse` inside the caller's transaction (a parent's application accepted with its excuse)."""
    today = rt.clock.today()
    reason = ExcuseReason(data["reason"])
    student = s.get(Student, data["student_id"])
    if student is None:
        raise NotFoundError("Няма такъв ученик.")
    if not is_class_teacher(s, who, student.class_code):
        raise NotAllowedError(
            "Отсъствията се извиняват само от класния ръководител на паралелката (Чл. 97, т. 14).")
    calendar = calendar_for(s, data["from"])
    if calendar is None:
        raise InvalidInputError({"from": "Няма въведена учебна година за тази дата."})
    if reason is ExcuseReason.DIRECTOR:
        # The permission is a parent's application recorded before the absence and granted by the
        # director (``director_permissions``); its days are excused when it is granted, not here.
        raise InvalidInputError({"reason": (
            "Отсъствията с предварително разрешение на директора се извиняват с разрешението: родителят подава "
            "заявление преди отсъствието, директорът го разрешава и дните му се извиняват "
            f"({ExcuseReason.DIRECTOR.article}).")})
    used = used_days(s, student.id, calendar.label)
    submitted = data.get("submitted_on") or today
    try:
        decision = check_excuse(
            reason, data["from"], data["to"], submitted, calendar=calendar,
            used_days_this_year=used,
            parent_confirmed=data["parent_confirmed"], parent_notified_in_advance=data["parent_notified"],
            policy=rt.components.excuse_policy)
    except ExcuseRefusedError as exc:
        raise InvalidInputError({_FIELDS.get(exc.field, exc.field): exc.message}) from exc
    return store(s, rt, who, student, calendar, decision, {**data, "submitted_on": submitted})


def store(s: Session, rt: ServiceRuntime, who: Principal, student: Student, calendar: SchoolCalendar,
          decision: ExcuseDecision, data: dict[str, Any]) -> tuple[int, int]:
    """The excuse row, the unexcused marks in its range turned excused, the counters moved; (id, hours).

    Marks recorded later on its days are excused as they are recorded (:mod:`covering`).
    """
    marks = s.scalars(sa.select(Absence).where(
        Absence.student_id == student.id, Absence.date >= data["from"], Absence.date <= data["to"],
        Absence.kind == "unexcused").order_by(Absence.date, Absence.lesson)).all()
    row = Excuse(student_id=student.id, school_year=calendar.label, date_from=data["from"], date_to=data["to"],
                 reason=decision.reason.value, article=decision.article, evidence=data["evidence"],
                 school_days=len(decision.school_days), excused_hours=len(marks), submitted_on=data["submitted_on"],
                 recorded_by=who.id, extended_ground=data.get("extended_ground"))
    s.add(row)
    s.flush()
    for mark in marks:
        s.add(AbsenceChange(absence_id=mark.id, old_kind=mark.kind, new_kind="excused",
                            reason=f"извинено ({decision.article}), извинение № {row.id}", changed_by=who.id))
        mark.kind = "excused"
    firings.apply_batch(s, rt, [(student, mark.date, -firings.half_hours("unexcused", rt.settings.late_half_hours))
                              for mark in marks], lambda _day: calendar)
    audit.record(s, TABLES, who, "excuse.create", "excuse", row.id, after={
        **{k: str(v) for k, v in data.items()}, "excused_hours": len(marks), "article": decision.article})
    if marks:
        assessment_conditions.check_after_excuse(s, rt, student, {mark.date for mark in marks})
    return row.id, len(marks)
