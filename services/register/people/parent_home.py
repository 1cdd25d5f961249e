"""What the register shows a parent on the home page (начална страница на родителя), and the class
teacher's count of parents' applications waiting for a decision.

Each linked child with this school year's absences (excused, unexcused with halves, late), the
letters of the ladder the register sent for (its rule firings that tell the parent, Чл. 97, т. 8;
their delivery lives in notifications, which shows it on its own card), the grades by subject as
``GET /students/{id}/grades`` gives them, the sanctions with their procedure's state as
``GET /sanctions`` gives them, and the applications to excuse still pending. Only the parent's own
children: the ids come from the signed-in user, never from the request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.rulepack import RulePack
from services.register.absences.summaries import summaries_of
from services.register.assessment import grading, term_results
from services.register.models.absences import ExcuseApplication, RuleFiring
from services.register.models.assessment import Grade
from services.register.models.people import Student
from services.register.sanctions.procedures import sanctions_visible_to
from services.register.sanctions.rules.kinds import SanctionPolicy
from services.register.school.years import calendar_for
from shared.auth.principal import Principal
from shared.errors import InvalidInputError

#: Grades shown per child, the newest first.
LATEST_GRADES = 5


@dataclasses.dataclass
class ChildSummary:
    student: Student
    totals: dict
    #: The newest grades, whatever the subject.
    grades: list[Grade]
    #: The term's grades by subject: ``{subject: {"current": [...], "term": x | None, ...}}``.
    subjects: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    term: int | None = None
    #: The ladder's rungs that wrote to the parent this school year (Чл. 97, т. 8), the oldest first.
    letters: list[RuleFiring] = dataclasses.field(default_factory=list)
    #: The sanction procedures as ``GET /sanctions`` gives them, each with its steps.
    sanctions: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    #: Applications to excuse (Чл. 61, ал. 1, т. 3) waiting for the class teacher.
    pending_applications: int = 0


def parent_home(session: Session, who: Principal, today: dt.date, late_half_hours: int, pack: RulePack, *,
                absence_alone: bool = False, policy: SanctionPolicy | None = None) -> list[ChildSummary]:
    """The parent's children with this school year's absences, letters, grades, sanctions and applications.

    ``policy`` is the school's sanction policy (``policy_of(settings)``): its appeal days
    (``SCHOOL_SANCTION_APPEAL_DAYS``, Чл. 58, ал. 4) give the deadlines the parent reads, as ``GET /sanctions``.
    """
    if who.role != "parent" or not who.student_ids:
        return []
    ids = list(who.student_ids)
    children = session.scalars(sa.select(Student).where(Student.id.in_(ids))
                               .order_by(Student.last_name, Student.first_name)).all()
    calendar = calendar_for(session, today)
    start, end = (calendar.year_start, calendar.year_end) if calendar else (None, None)
    totals = summaries_of(session, ids, start, end, late_half_hours)
    latest = _latest_grades(session, ids)
    letters: dict[int, list[RuleFiring]] = {}
    query = sa.select(RuleFiring).where(RuleFiring.student_id.in_(ids),
                                        RuleFiring.rule_id.in_(sorted(pack.parents_rule_ids)))
    if start is not None:
        query = query.where(RuleFiring.counted_to >= start)
    for firing in session.scalars(query.order_by(RuleFiring.fired_at, RuleFiring.id)):
        letters.setdefault(firing.student_id, []).append(firing)
    pending = dict(session.execute(sa.select(ExcuseApplication.student_id, sa.func.count()).where(
        ExcuseApplication.student_id.in_(ids), ExcuseApplication.status == "pending")
        .group_by(ExcuseApplication.student_id)).all())
    try:
        year, term = grading.year_and_term(session, today, None)
    except InvalidInputError:  # no school year entered yet: no term to show grades of
        year, term = None, None
    found = []
    for child in children:
        subjects = (term_results.student_grades(session, child, term, year, absence_alone=absence_alone)
                    if year else {})
        found.append(ChildSummary(
            child, totals[child.id], latest.get(child.id, []), subjects, term, letters.get(child.id, []),
            sanctions_visible_to(session, who, child.id, today, policy), pending.get(child.id, 0)))
    return found


def _latest_grades(session: Session, ids: list[int]) -> dict[int, list[Grade]]:
    newest = sa.func.row_number().over(partition_by=Grade.student_id,
                                       order_by=(Grade.date.desc(), Grade.id.desc())).label("newest")
    ranked = sa.select(Grade.id, newest).where(Grade.student_id.in_(ids)).subquery()
    grades: dict[int, list[Grade]] = {}
    for grade in session.scalars(sa.select(Grade).join(ranked, ranked.c.id == Grade.id)
                                 .where(ranked.c.newest <= LATEST_GRADES).order_by(Grade.date.desc(), Grade.id.desc())):
        grades.setdefault(grade.student_id, []).append(grade)
    return grades


def pending_for_class_teacher(session: Session, who: Principal,
                              led: list[str]) -> list[tuple[ExcuseApplication, Student]]:
    """The parents' applications waiting in the classes the class teacher leads, the oldest first."""
    if who.role != "class_teacher" or not led:
        return []
    return [(row, student) for row, student in session.execute(
        sa.select(ExcuseApplication, Student).join(Student, Student.id == ExcuseApplication.student_id)
        .where(Student.class_code.in_(led), ExcuseApplication.status == "pending")
        .order_by(ExcuseApplication.id)).all()]
