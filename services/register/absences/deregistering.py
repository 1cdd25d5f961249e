"""The director's decision to deregister a student (отписване, Чл. 25, ал. 4).

The student leaves the class lists (``active`` is false, as every list reads it) but keeps his
absences, grades and letters; ``deregistered_on`` puts him in the month's НЕИСПУО file. The
decision closes the open reviews of his non-attendance in planning, and for a student of
compulsory school age deregistered under т. 2 or т. 3 documents draws up the notices of ал. 5.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.deregistration import review_key
from services.register.absences.rules.deregistration import Ground, decide
from services.register.absences.rules.rulepack import ActionKind
from services.register.models import TABLES
from services.register.models.absences import RuleFiring
from services.register.models.dropout import ClassRegisterEntry
from services.register.models.people import Guardian, Student
from services.register.people.access import check_may_see_student
from services.register.people.students import student_payload
from shared import audit
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError, NotFoundError
from shared.runtime import ServiceRuntime


def deregister(rt: ServiceRuntime, who: Principal, student_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Record the decision; returns what the API answers (the article, age and whether ал. 5 applies)."""
    ground, on = Ground(data["ground"]), data["date"]
    today = rt.clock.today()
    if on > today:
        raise InvalidInputError({"date": "Отписването не може да е с бъдеща дата."})
    with rt.db.transaction() as s:
        student = s.get(Student, student_id)
        if student is None:
            raise NotFoundError("Няма такъв ученик.")
        if not student.active:
            raise ConflictError("Ученикът вече е отписан.", "student_id")
        try:
            decision = decide(ground, student.birth_date, on, rt.settings.compulsory_school_age)
        except ValueError as refused:
            raise InvalidInputError({"ground": str(refused)}) from None
        before = {"active": True, "deregistered_on": None}
        student.active, student.deregistered_on, student.deregistration_ground = False, on, ground.value
        guardians = list(s.scalars(sa.select(Guardian).where(Guardian.student_id == student.id)))
        rt.publish(s, "register.student_saved", student_payload(student, guardians))
        streaks = list(s.scalars(sa.select(RuleFiring.period).where(
            RuleFiring.student_id == student.id, RuleFiring.action == ActionKind.DEREGISTRATION_REVIEW.value)))
        for since in streaks:
            rt.publish(s, "procedure.deadline_closed", {"source": "register", "key": review_key(student.id, since),
                                                        "done_on": on.isoformat()})
        rt.publish(s, "register.student_deregistered", {
            "student_id": student.id, "student_name": student.full_name, "class_code": student.class_code,
            "ground": ground.value, "article": decision.article, "date": on.isoformat(),
            "compulsory_age": decision.compulsory_age, "age": decision.age,
            "nonattendance_since": max(streaks) if streaks and ground is Ground.NONATTENDANCE else None})
        answer = {"student_id": student.id, "ground": ground.value, "article": decision.article, "date": on,
                  "age": decision.age, "compulsory_age": decision.compulsory_age,
                  "authorities_notified": decision.notify_authorities}
        audit.record(s, TABLES, who, "student.deregister", "student", student.id, before=before,
                     after={"ground": ground.value, "date": on.isoformat(), "article": decision.article})
    return answer


def entries(rt: ServiceRuntime, who: Principal, student_id: int) -> list[dict[str, Any]]:
    """The student's entries in the class register (the dropout letters, Чл. 97, т. 17), oldest first."""
    with rt.db.sessions() as s:
        check_may_see_student(s, who, student_id, refuse_it_admin=True)
        return register_entries(s, student_id)


def register_entries(session: Session, student_id: int) -> list[dict[str, Any]]:
    """The entries of one student, for the API and the card (the caller has checked the scope)."""
    rows = session.scalars(sa.select(ClassRegisterEntry).where(ClassRegisterEntry.student_id == student_id)
                           .order_by(ClassRegisterEntry.date, ClassRegisterEntry.id))
    return [{"id": e.id, "number": e.label, "date": e.date, "kind": e.kind, "article": e.article,
             "text": e.text, "school_year": e.school_year} for e in rows]

