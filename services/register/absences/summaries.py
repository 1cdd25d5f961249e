"""Absence summaries, the stored rule firings and the rule dry run (справки): read-only, nothing is stored or sent."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.counting import UnexcusedTotal
from services.register.absences.rules.evaluator import dry_run
from services.register.absences.rules.rulepack import ActionKind, CounterCondition, RulePack
from services.register.models.absences import Absence, RuleFiring
from services.register.models.people import Student, full_name
from services.register.people.access import check_may_see_student
from services.register.school.years import calendar_for
from shared.auth.principal import Principal
from shared.errors import NotAllowedError
from shared.runtime import ServiceRuntime


def summary(session: Session, student_id: int, start: dt.date | None, end: dt.date | None,
            late_half_hours: int) -> dict:
    """Marks by kind in the range; ``unexcused_total`` counts a lateness as its weight (0.5 by default)."""
    return summaries_of(session, [student_id], start, end, late_half_hours)[student_id]


def summaries_of(session: Session, student_ids: list[int], start: dt.date | None, end: dt.date | None,
                 late_half_hours: int) -> dict[int, dict]:
    """:func:`summary` of several students in one query (a parent's children, a class), by student id."""
    query = (sa.select(Absence.student_id, Absence.kind, sa.func.count()).where(Absence.student_id.in_(student_ids))
             .group_by(Absence.student_id, Absence.kind))
    if start is not None:
        query = query.where(Absence.date >= start)
    if end is not None:
        query = query.where(Absence.date <= end)
    counts = {student_id: {"excused": 0, "unexcused": 0, "late": 0} for student_id in student_ids}
    for student_id, kind, count in session.execute(query).all():
        counts[student_id][kind] = count
    return {student_id: {**c, "unexcused_total": c["unexcused"] + c["late"] * late_half_hours / 2}
            for student_id, c in counts.items()}


def _with_total(by_kind: dict[str, int], late_half_hours: int) -> dict:
    counts = {"excused": 0, "unexcused": 0, "late": 0, **by_kind}
    return {**counts, "unexcused_total": counts["unexcused"] + counts["late"] * late_half_hours / 2}


def ladder_rule_ids(pack: RulePack) -> tuple[str, ...]:
    """The ladder (стълбица): counter rules whose rungs each tell the parent (Чл. 97, т. 8 by default)."""
    return tuple(rule.id for rule in pack.rules if isinstance(rule.condition, CounterCondition)
                 and rule.action.kind is ActionKind.NOTIFY_PARENT)


def class_month(session: Session, class_code: str, first: dt.date, last: dt.date, late_half_hours: int,
                ladder: tuple[str, ...], year_start: dt.date) -> list[dict]:
    """Each active student of the class with the month's marks by kind (as :func:`summary` counts them)
    and the highest rung of the ladder passed in the school year by the month's end, with its article.

    Three queries whatever the size of the class.
    """
    students = session.execute(sa.select(Student.id, Student.first_name, Student.middle_name, Student.last_name)
                               .where(Student.class_code == class_code, Student.active.is_(True))
                               .order_by(Student.last_name, Student.first_name, Student.id)).all()
    ids = [row.id for row in students]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for student_id, kind, count in session.execute(
            sa.select(Absence.student_id, Absence.kind, sa.func.count()).where(
                Absence.student_id.in_(ids), Absence.date >= first, Absence.date <= last)
            .group_by(Absence.student_id, Absence.kind)):
        counts[student_id][kind] = count
    rungs: dict[int, RuleFiring] = {}
    for firing in session.scalars(sa.select(RuleFiring).where(
            RuleFiring.student_id.in_(ids), RuleFiring.rule_id.in_(ladder), RuleFiring.counted_to >= year_start,
            RuleFiring.counted_to <= last)
            .order_by(RuleFiring.threshold)):
        rungs[firing.student_id] = firing  # ordered by threshold: the highest one stays
    return [{"student_id": row.id, "name": full_name(row.first_name, row.middle_name, row.last_name),
             **_with_total(counts[row.id], late_half_hours), "rung": rungs.get(row.id)} for row in students]


def dry_run_month(session: Session, rt: ServiceRuntime, year: int, month: int) -> list[dict]:
    """What the counter rules would have fired in the month, replaying its marks day by day."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, month_calendar.monthrange(year, month)[1])
    calendar = calendar_for(session, first) or calendar_for(session, last)
    if calendar is None:
        return []
    pack = rt.components.rule_pack
    daily: dict[str, dict[dt.date, UnexcusedTotal]] = defaultdict(dict)
    weights = {"unexcused": 2, "late": rt.settings.late_half_hours}
    rows = session.execute(sa.select(Absence.student_id, Absence.date, Absence.kind, sa.func.count()).where(
        Absence.date >= first, Absence.date <= last, Absence.kind.in_(tuple(weights)),
    ).group_by(Absence.student_id, Absence.date, Absence.kind)).all()
    for student_id, day, kind, count in rows:
        previous = daily[str(student_id)].get(day, UnexcusedTotal(0)).half_hours
        daily[str(student_id)][day] = UnexcusedTotal(previous + weights[kind] * count)
    opening = _opening(session, calendar, pack, first, daily.keys(), weights)
    result = dry_run(pack, calendar, daily, opening=opening)
    return [{"student_id": int(f.student_id), "day": f.day, "rule_id": f.firing.rule_id,
             "article": f.firing.article, "threshold": f.firing.threshold, "count": f.firing.count,
             "period": f.firing.period_key, "message": f.firing.message} for f in result]


def _opening(session, calendar, pack, first: dt.date, students, weights) -> dict:
    """Each student's totals of every counting period from its start up to the month's first day."""
    opening: dict = defaultdict(dict)
    for kind in pack.periods_in_use():
        term = calendar.term_of(first)
        start = {"month": first, "term": term.start if term else first}.get(str(kind), calendar.year_start)
        if start >= first:
            continue  # the period begins with the month: nothing carried in
        rows = session.execute(sa.select(Absence.student_id, Absence.kind, sa.func.count()).where(
            Absence.date >= start, Absence.date < first, Absence.kind.in_(tuple(weights)),
            Absence.student_id.in_([int(s) for s in students]),
        ).group_by(Absence.student_id, Absence.kind)).all()
        for student_id, mark_kind, count in rows:
            before = opening[str(student_id)].get(kind, UnexcusedTotal(0)).half_hours
            opening[str(student_id)][kind] = UnexcusedTotal(before + weights[mark_kind] * count)
    return opening


def firings(session: Session, who: Principal, student_id: int | None, rule_id: str | None,
            pack: RulePack) -> list[RuleFiring]:
    """The stored firings the caller may see: of one student, or of every student they may see.

    A parent must name their child and reads only the firings of the rules the pack declares for
    parents (``audience: [staff, parents]``, the ladder's letters): a sanction suggestion or the
    scholarship stop is the staff's work until a person decides. A teacher sees the classes they
    teach; the office everything; the IT administrator, who keeps the system and not the students'
    files (Чл. 151), nothing.
    """
    stmt = sa.select(RuleFiring).order_by(RuleFiring.id)
    if student_id is not None:
        check_may_see_student(session, who, student_id, refuse_it_admin=True)
        stmt = stmt.where(RuleFiring.student_id == student_id)
        if who.role == "parent":
            stmt = stmt.where(RuleFiring.rule_id.in_(sorted(pack.parents_rule_ids)))
    elif who.role == "parent":
        raise NotAllowedError("Родителят вижда само данните на своето дете.")
    elif who.role == "it_admin":
        raise NotAllowedError("Ролята няма достъп до данните на учениците.")
    elif who.role in ("teacher", "class_teacher"):
        stmt = stmt.where(RuleFiring.student_id.in_(
            sa.select(Student.id).where(Student.class_code.in_(who.class_codes))))
    if rule_id:
        stmt = stmt.where(RuleFiring.rule_id == rule_id)
    return list(session.scalars(stmt).all())
