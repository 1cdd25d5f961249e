"""The parent's application to excuse up to 3 school days a year (заявление, Чл. 61, ал. 1, т. 3).

The parent submits it from the child's card; it waits, pending, until the class teacher accepts it
(the excuse is then made by :func:`excusing.excuse_in`, the same function as ``POST /excuses``, with
reason ``parent`` and the application as its evidence, in the same transaction) or refuses it with
a reason. The yearly quota and the school days are checked when it is submitted, counting the
applications still pending, and again when it is accepted. What it shares with the application for
the director's permission (т. 4) is in :mod:`.application_rows`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences import application_rows, excusing
from services.register.absences.rules.errors import ExcuseRefusedError
from services.register.absences.rules.excuses import ExcuseReason, check_excuse
from services.register.models import TABLES
from services.register.models.absences import ExcuseApplication
from services.register.models.people import Student
from services.register.people.access import check_may_see_student, is_class_teacher
from services.register.school.rules.dates import format_date
from services.register.school.years import calendar_for
from shared import audit
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from shared.runtime import ServiceRuntime

ARTICLE = ExcuseReason.PARENT.article
#: A refusal of Чл. 61 names the field the parent can correct: the form has no submission date.
_FIELDS = {"from_": "from", "to": "to", "submitted_on": "from", "parent_notified_in_advance": "reason"}
STATUS_TITLES = {"pending": "Чака решение", "accepted": "Прието", "refused": "Отказано"}


def submit(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> int:
    """Store the parent's application as pending, if Чл. 61, ал. 1, т. 3 allows it today."""
    if who.role != "parent":
        raise NotAllowedError(f"Заявлението за извиняване се подава от родителя ({ARTICLE}).")
    today = rt.clock.today()
    with rt.db.transaction() as s:
        student = check_may_see_student(s, who, data["student_id"])
        calendar = calendar_for(s, data["from"])
        if calendar is None:
            raise InvalidInputError({"from": "Няма въведена учебна година за тази дата."})
        overlapping = s.scalar(sa.select(ExcuseApplication).where(
            ExcuseApplication.student_id == student.id, ExcuseApplication.status.in_(("pending", "accepted")),
            ExcuseApplication.date_from <= data["to"], ExcuseApplication.date_to >= data["from"]).limit(1))
        if overlapping is not None:
            raise ConflictError(
                f"За дните {format_date(overlapping.date_from)} – {format_date(overlapping.date_to)} "
                f"вече има заявление ({STATUS_TITLES[overlapping.status].lower()}).", "from")
        used = excusing.used_days(s, student.id, calendar.label)
        # What is still pending counts too, or two applications could together pass the quota.
        used[ExcuseReason.PARENT] = used.get(ExcuseReason.PARENT, 0) + application_rows.pending_days(
            s, ExcuseApplication, student.id, calendar.label)
        try:
            # The application itself, sent in writing through the register, is the parent's notice (т. 3).
            decision = check_excuse(ExcuseReason.PARENT, data["from"], data["to"], today, calendar=calendar,
                                    used_days_this_year=used, parent_notified_in_advance=True,
                                    policy=rt.components.excuse_policy)
        except ExcuseRefusedError as exc:
            raise InvalidInputError({_FIELDS.get(exc.field, exc.field): exc.message}) from exc
        row = ExcuseApplication(student_id=student.id, school_year=calendar.label, date_from=data["from"],
                                date_to=data["to"], reason=data["reason"], school_days=len(decision.school_days),
                                status="pending", submitted_by=who.id, submitted_on=today)
        s.add(row)
        s.flush()
        audit.record(s, TABLES, who, "excuse_application.submit", "excuse_application", row.id, after={
            "student_id": student.id, "from": data["from"].isoformat(), "to": data["to"].isoformat(),
            "school_days": row.school_days})
        return row.id


def visible(session: Session, who: Principal, student_id: int | None, status: str | None = None) -> list:
    """The applications the caller may see, the newest first: one student's, or all within their scope."""
    return application_rows.visible(session, who, student_id, status, model=ExcuseApplication)


def _pending_for_decision(s: Session, who: Principal, application_id: int) -> tuple[ExcuseApplication, Student]:
    """The application, if the caller is its student's class teacher and it still waits."""
    row = s.get(ExcuseApplication, application_id, with_for_update=True)
    if row is None:
        raise NotFoundError("Няма такова заявление.")
    student = s.get(Student, row.student_id)
    if not is_class_teacher(s, who, student.class_code):
        raise NotAllowedError(
            "Заявленията за извиняване се решават от класния ръководител на паралелката (Чл. 97, т. 14).")
    if row.status != "pending":
        raise ConflictError(f"Заявлението вече е решено: {STATUS_TITLES[row.status].lower()}.")
    return row, student


def accept(rt: ServiceRuntime, who: Principal, application_id: int) -> tuple[ExcuseApplication, int]:
    """Приеми: the excuse as ``POST /excuses`` makes it (reason parent), in the same transaction; (row, hours)."""
    with rt.db.transaction() as s:
        row, student = _pending_for_decision(s, who, application_id)
        evidence = (f"Заявление от родителя № {row.id} от {format_date(row.submitted_on)}: {row.reason}")[:2000]
        excuse_id, hours = excusing.excuse_in(s, rt, who, {
            "student_id": student.id, "from": row.date_from, "to": row.date_to, "reason": ExcuseReason.PARENT.value,
            "evidence": evidence, "submitted_on": row.submitted_on, "parent_confirmed": True,
            "parent_notified": True, "director_permission_on": None})
        application_rows.decide(s, who, row, "accepted", "excuse_application.accept",
                                {"excuse_id": excuse_id, "excused_hours": hours}, excuse_id=excuse_id)
        return row, hours


def refuse(rt: ServiceRuntime, who: Principal, application_id: int, reason: str) -> ExcuseApplication:
    """Откажи: the application stays on the card, refused, with the class teacher's reason."""
    with rt.db.transaction() as s:
        row, _student = _pending_for_decision(s, who, application_id)
        application_rows.decide(s, who, row, "refused", "excuse_application.refuse", {"reason": reason},
                                refusal_reason=reason)
        return row


def as_dict(row: ExcuseApplication) -> dict[str, Any]:
    return {**application_rows.as_dict(row, ARTICLE), "reason": row.reason}

