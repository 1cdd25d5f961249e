"""The director's prior permission to be absent (предварително разрешение на директора, Чл. 61, ал. 1, т. 4).

The parent applies BEFORE the absence, for up to 7 school days a school year (setting
``excuse_director_quota_days``), with the reasons described in detail (спец. A2); the office may
record an application handed in on paper. The director grants it, before its first day, or refuses
it with a reason. A grant makes the excuse of its days (:func:`excusing.store`, reason
``director``): absences already recorded on them are excused at once, and those recorded later are
excused as they are recorded (:mod:`covering`). What it shares with the parent's application (т. 3)
is in :mod:`.application_rows`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences import application_rows, excusing
from services.register.absences.rules.errors import ExcuseRefusedError
from services.register.absences.rules.excuses import ExcuseReason, check_excuse
from services.register.models import TABLES
from services.register.models.absences import DirectorPermission
from services.register.models.people import Student
from services.register.people.access import check_may_see_student
from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.rules.dates import format_date
from services.register.school.years import calendar_for
from shared import audit
from shared.auth.principal import Principal
from shared.auth.roles import OFFICE
from shared.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from shared.runtime import ServiceRuntime

ARTICLE = ExcuseReason.DIRECTOR.article
STATUS_TITLES = {"pending": "Чака решение на директора", "granted": "Разрешено", "refused": "Отказано"}
#: The reasons are "described in detail" (подробно се описват): fewer characters than this are no description.
MIN_REASONS_CHARS = 20


def _not_prior(field: str, submitted: Any, first_day: Any) -> InvalidInputError:
    return InvalidInputError({field: (
        f"Заявлението за разрешение на директора се подава преди отсъствието: подадено е на "
        f"{format_date(submitted)}, а отсъствието започва на {format_date(first_day)} ({ARTICLE}).")})


def _pending_days(s: Session, student_id: int, school_year: str) -> int:
    return application_rows.pending_days(s, DirectorPermission, student_id, school_year)


def _check(s: Session, rt: ServiceRuntime, student: Student, calendar: SchoolCalendar, data: dict[str, Any],
           decided_on: Any, *, extra_used: int) -> int:
    """School days of the permission, if the quota of т. 4 allows them; 422 naming the field otherwise."""
    used = excusing.used_days(s, student.id, calendar.label)
    used[ExcuseReason.DIRECTOR] = used.get(ExcuseReason.DIRECTOR, 0) + extra_used
    try:
        decision = check_excuse(ExcuseReason.DIRECTOR, data["from"], data["to"], data["submitted_on"],
                                calendar=calendar, used_days_this_year=used, director_permission_on=decided_on,
                                policy=rt.components.excuse_policy)
    except ExcuseRefusedError as exc:
        field = {"from_": "from", "director_permission_on": "from", "submitted_on": "submitted_on"}.get(
            exc.field, exc.field)
        raise InvalidInputError({field: exc.message}) from exc
    return len(decision.school_days)


def submit(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> int:
    """Store the application as pending: the parent's own, or one on paper that the office records."""
    if who.role != "parent" and who.role not in OFFICE:
        raise NotAllowedError(f"Заявлението за разрешение на директора се подава от родителя ({ARTICLE}).")
    today = rt.clock.today()
    on_paper = who.role != "parent"
    submitted = (data.get("submitted_on") or today) if on_paper else today
    if submitted > today:
        raise InvalidInputError({"submitted_on": "Датата на подаване е в бъдещето."})
    if len(data["reasons"].strip()) < MIN_REASONS_CHARS:
        raise InvalidInputError({"reasons": (
            f"Причините за отсъствието се описват подробно в заявлението ({ARTICLE}).")})
    if submitted >= data["from"]:
        raise _not_prior("submitted_on" if on_paper else "from", submitted, data["from"])
    with rt.db.transaction() as s:
        student = check_may_see_student(s, who, data["student_id"])
        calendar = calendar_for(s, data["from"])
        if calendar is None:
            raise InvalidInputError({"from": "Няма въведена учебна година за тази дата."})
        overlapping = s.scalar(sa.select(DirectorPermission).where(
            DirectorPermission.student_id == student.id, DirectorPermission.status.in_(("pending", "granted")),
            DirectorPermission.date_from <= data["to"], DirectorPermission.date_to >= data["from"]).limit(1))
        if overlapping is not None:
            raise ConflictError(
                f"За дните {format_date(overlapping.date_from)} – {format_date(overlapping.date_to)} вече има "
                f"заявление до директора ({STATUS_TITLES[overlapping.status].lower()}).", "from")
        # What waits for the director counts too, or two applications could together pass the quota.
        days = _check(s, rt, student, calendar, {**data, "submitted_on": submitted}, submitted,
                      extra_used=_pending_days(s, student.id, calendar.label))
        row = DirectorPermission(student_id=student.id, school_year=calendar.label, date_from=data["from"],
                                 date_to=data["to"], reasons=data["reasons"].strip(), school_days=days,
                                 status="pending", on_paper=on_paper, submitted_by=who.id, submitted_on=submitted)
        s.add(row)
        s.flush()
        audit.record(s, TABLES, who, "director_permission.submit", "director_permission", row.id, after={
            "student_id": student.id, "from": data["from"].isoformat(), "to": data["to"].isoformat(),
            "school_days": days, "on_paper": on_paper, "submitted_on": submitted.isoformat()})
        return row.id


def visible(session: Session, who: Principal, student_id: int | None, status: str | None = None
            ) -> list[DirectorPermission]:
    """The applications the caller may see, the newest first (the same scope as the parents' applications)."""
    return application_rows.visible(session, who, student_id, status, model=DirectorPermission)


def _pending_for_decision(s: Session, who: Principal, permission_id: int) -> tuple[DirectorPermission, Student]:
    if who.role != "director":
        raise NotAllowedError(f"Предварителното разрешение дава директорът ({ARTICLE}).")
    row = s.get(DirectorPermission, permission_id, with_for_update=True)
    if row is None:
        raise NotFoundError("Няма такова заявление.")
    if row.status != "pending":
        raise ConflictError(f"Заявлението вече е решено: {STATUS_TITLES[row.status].lower()}.")
    return row, s.get(Student, row.student_id)


def grant(rt: ServiceRuntime, who: Principal, permission_id: int) -> tuple[DirectorPermission, int]:
    """Разреши: the excuse of its days, made now; returns (row, hours excused at once).

    What makes the permission prior is the application recorded before the absence (issue 19): the
    rulebook sets the director no term to decide, so a decision on or after the first day still
    grants the days applied for; absences already recorded on them are excused now, later ones as
    they are recorded.
    """
    today = rt.clock.today()
    with rt.db.transaction() as s:
        row, student = _pending_for_decision(s, who, permission_id)
        calendar = calendar_for(s, row.date_from)
        data = {"from": row.date_from, "to": row.date_to, "submitted_on": row.submitted_on}
        # This application's own days are pending until now: the others still count against the quota.
        _check(s, rt, student, calendar, data, row.submitted_on,
               extra_used=_pending_days(s, student.id, calendar.label) - row.school_days)
        decision = check_excuse(ExcuseReason.DIRECTOR, row.date_from, row.date_to, row.submitted_on,
                                calendar=calendar, used_days_this_year={}, director_permission_on=row.submitted_on,
                                policy=rt.components.excuse_policy)
        evidence = (f"Разрешение на директора от {format_date(today)} по заявление № {row.id} от "
                    f"{format_date(row.submitted_on)}: {row.reasons}")[:2000]
        excuse_id, hours = excusing.store(s, rt, who, student, calendar, decision, {
            **data, "student_id": student.id, "reason": ExcuseReason.DIRECTOR.value, "evidence": evidence})
        application_rows.decide(s, who, row, "granted", "director_permission.grant",
                                {"excuse_id": excuse_id, "excused_hours": hours}, excuse_id=excuse_id)
        return row, hours


def refuse(rt: ServiceRuntime, who: Principal, permission_id: int, reason: str) -> DirectorPermission:
    """Откажи: the application stays on the card, refused, with the director's reason."""
    with rt.db.transaction() as s:
        row, _student = _pending_for_decision(s, who, permission_id)
        application_rows.decide(s, who, row, "refused", "director_permission.refuse", {"reason": reason},
                                refusal_reason=reason)
        return row


def as_dict(row: DirectorPermission) -> dict[str, Any]:
    return {**application_rows.as_dict(row, ARTICLE), "reasons": row.reasons, "on_paper": row.on_paper}
