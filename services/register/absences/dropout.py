"""The early warning of dropout (ранно предупреждение за отпадане, Чл. 97, т. 17), run by a daily sweep.

One month before each term ends (per grade: a XII class's second term ends with its classes), the
students whose unexcused absences of the year reach the rule pack's ``dropout_risk_report``
threshold are put in their class teacher's report to the director. For each class with any, one
transaction stores the firings (the unique key of ``rule_firings`` makes a second run silent),
registers each letter to the parents in the class register (:class:`ClassRegisterEntry`), and
publishes ``register.dropout_report_due`` (documents draws up the report and the letters, the
parents are told) and ``procedure.deadline_set`` (the class teacher's duty in planning).
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.firings import half_hours
from services.register.absences.rules.counting import UnexcusedTotal
from services.register.absences.rules.rulepack import BeforeTermEndCondition, RulePack
from services.register.absences.rules.scheduled import dropout_report_date, due_dropout_reports
from services.register.absences.sweep_runs import done_today, mark_run
from services.register.models.absences import Absence, RuleFiring
from services.register.models.dropout import ClassRegisterEntry
from services.register.models.people import SchoolClass, Student
from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.years import calendar_for
from shared.runtime import ServiceRuntime

NAME = "dropout_reports"
ARTICLE = "Чл. 97, т. 17"
ENTRY_KIND = "dropout_letter"


def _totals(session: Session, rt: ServiceRuntime, ids: list[int], start: dt.date,
            today: dt.date) -> dict[str, UnexcusedTotal]:
    """The school-year unexcused totals of these students up to today, a lateness as the school counts it."""
    halves: dict[str, int] = {str(i): 0 for i in ids}
    for student_id, kind, count in session.execute(
            sa.select(Absence.student_id, Absence.kind, sa.func.count()).where(
                Absence.student_id.in_(ids), Absence.date >= start, Absence.date <= today)
            .group_by(Absence.student_id, Absence.kind)):
        halves[str(student_id)] += half_hours(kind, rt.settings.late_half_hours) * count
    return {sid: UnexcusedTotal(h) for sid, h in halves.items()}


def _fired(session: Session, rule_ids: list[str], ids: list[int]) -> dict[str, set]:
    fired: dict[str, set] = {}
    for sid, rule_id, threshold, period in session.execute(
            sa.select(RuleFiring.student_id, RuleFiring.rule_id, RuleFiring.threshold, RuleFiring.period)
            .where(RuleFiring.student_id.in_(ids), RuleFiring.rule_id.in_(rule_ids))):
        fired.setdefault(str(sid), set()).add((rule_id, threshold, period))
    return fired


def activities(session: Session, pack: RulePack, student_id: int, since: dt.date, skip: str) -> list[str]:
    """What was done so far for the student this year: the rules that fired for him, with their dates."""
    titles = {rule.id: rule.title for rule in pack.rules}
    rows = session.scalars(sa.select(RuleFiring).where(
        RuleFiring.student_id == student_id, RuleFiring.rule_id != skip, RuleFiring.counted_to >= since)
        .order_by(RuleFiring.fired_at, RuleFiring.id))
    return [f"{titles.get(f.rule_id, f.rule_id)} при {f.threshold} отсъствия – {f.fired_at:%d.%m.%Y} г. ({f.article})"
            for f in rows]


def _next_number(session: Session, class_code: str, year: str) -> int:
    return (session.scalar(sa.select(sa.func.max(ClassRegisterEntry.number)).where(
        ClassRegisterEntry.class_code == class_code, ClassRegisterEntry.school_year == year)) or 0) + 1


def _report_class(session: Session, rt: ServiceRuntime, school_class: SchoolClass, calendar: SchoolCalendar,
                  today: dt.date) -> int:
    """The class's due firings stored, letters registered and the report announced; returns the students."""
    pack: RulePack = rt.components.rule_pack
    students = {s.id: s for s in session.scalars(sa.select(Student).where(
        Student.class_code == school_class.code, Student.active.is_(True)))}
    if not students:
        return 0
    ids = list(students)
    rules = [r for r in pack.rules if isinstance(r.condition, BeforeTermEndCondition)]
    due = due_dropout_reports(pack, calendar, today, _totals(session, rt, ids, calendar.year_start, today),
                              fired=_fired(session, [r.id for r in rules], ids))
    if not due:
        return 0
    event_id = str(uuid.uuid4())
    term = int(due[0].firing.period_key.rsplit("/", 1)[1])
    rule = pack.rule(due[0].firing.rule_id)
    assert isinstance(rule.condition, BeforeTermEndCondition)
    listed = []
    number = _next_number(session, school_class.code, calendar.label)
    for found in due:
        student = students[int(found.student_id)]
        firing = found.firing
        session.add(RuleFiring(student_id=student.id, rule_id=firing.rule_id, article=firing.article,
                               action=str(firing.action.kind), threshold=firing.threshold, count=firing.count,
                               period=firing.period_key, message=firing.message, counted_to=today,
                               event_id=event_id))
        entry = ClassRegisterEntry(student_id=student.id, class_code=school_class.code, school_year=calendar.label,
                                   number=number, date=today, kind=ENTRY_KIND, article=firing.article,
                                   text=f"Уведомително писмо до родителите за риск от отпадане ({firing.article})")
        session.add(entry)
        number += 1
        listed.append({
            "student_id": student.id, "name": student.full_name, "unexcused": firing.count,
            "reasons": f"{firing.count} отсъствия по неуважителни причини от началото на учебната година "
                       f"(към {today:%d.%m.%Y} г.)",
            "activities": activities(session, pack, student.id, calendar.year_start, firing.rule_id),
            "register_entry": entry.label, "register_entry_date": today.isoformat()})
    session.flush()
    report_on = dropout_report_date(calendar, term, rule.condition.months_before)
    term_end = calendar.terms[term - 1].end
    period = due[0].firing.period_key
    rt.publish(session, "register.dropout_report_due", {
        "class_code": school_class.code, "school_year": calendar.label, "term": term, "period": period,
        "report_on": report_on.isoformat(), "term_end": term_end.isoformat(), "article": ARTICLE,
        "students": listed}, event_id)
    names = ", ".join(s["name"] for s in listed)
    rt.publish(session, "procedure.deadline_set", {
        "source": "register", "key": f"dropout_report:{period}:{school_class.code}",
        "title": f"Доклад до директора за застрашените от отпадане ученици от {school_class.code} клас "
                 f"({term}. срок на {calendar.label} г.): {names}",
        "due": max(report_on, today).isoformat(), "responsible_roles": ["class_teacher"], "article": ARTICLE,
        "details": {"class_code": school_class.code, "term": term, "students": [s["student_id"] for s in listed]}})
    return len(listed)


def report_due(rt: ServiceRuntime) -> int:
    """Sweep: each class's students at risk, once per term, from a month before its end; returns how many.

    One full pass per school day: a student who reaches the threshold later that day is reported by
    the next day's pass, still within the month before the term ends.
    """
    today = rt.clock.today()
    reported = 0
    with rt.db.transaction() as s:
        if done_today(s, NAME, today):
            mark_run(s, NAME)
            return 0
        calendar = calendar_for(s, today)
        if calendar is not None:
            for school_class in s.scalars(sa.select(SchoolClass).order_by(SchoolClass.code)):
                reported += _report_class(s, rt, school_class, calendar.for_grade(school_class.grade), today)
        mark_run(s, NAME, today)
    return reported
