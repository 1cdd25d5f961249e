"""Date-driven rules checked by a daily sweep: dropout-risk report and deregistration review.

Both are safe to run twice: a firing is keyed like counter firings, and a sweep that finds the
key in ``fired`` stays silent. A missed day is caught up by the next sweep, because each rule
fires "on or after" its date rather than "on" it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from services.register.absences.rules.counting import UnexcusedTotal
from services.register.absences.rules.evaluator import FiredKey, Firing, StudentFiring, render_message
from services.register.absences.rules.periods import PeriodKind
from services.register.absences.rules.rulepack import (
    BeforeTermEndCondition,
    Comparison,
    NonAttendanceCondition,
    RulePack,
)
from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.rules.dates import add_months, format_date


@dataclass(frozen=True)
class NonAttendance:
    """An unbroken unexcused non-attendance (непосещаване) since ``since``, its first missed day."""

    student_id: str
    since: date
    education_form: str = "daily"


def dropout_report_date(calendar: SchoolCalendar, term: int, months_before: int = 1) -> date:
    """The day the dropout-risk report is due: ``months_before`` before the term ends (Чл. 97, т. 17)."""
    return add_months(calendar.terms[term - 1].end, -months_before)


def due_dropout_reports(
    pack: RulePack,
    calendar: SchoolCalendar,
    today: date,
    unexcused_this_year: Mapping[str, UnexcusedTotal],
    *,
    fired: Mapping[str, Collection[FiredKey]] | None = None,
) -> tuple[StudentFiring, ...]:
    """Students to put in the dropout-risk report of the current term, once per term.

    Parameters:
      unexcused_this_year: the school-year unexcused total of every student to consider.
    """
    result: list[StudentFiring] = []
    for rule in pack.rules:
        condition = rule.condition
        if not isinstance(condition, BeforeTermEndCondition):
            continue
        for term in calendar.terms:
            if not dropout_report_date(calendar, term.number, condition.months_before) <= today <= term.end:
                continue
            key = f"{calendar.label}/{term.number}"
            for student, total in sorted(unexcused_this_year.items()):
                count = total.absences
                already = (fired or {}).get(student, ())
                if count < condition.min_unexcused or (rule.id, condition.min_unexcused, key) in already:
                    continue
                period = f"{'I' * term.number} срок на {calendar.label}, до {format_date(today)}"
                message = render_message(rule, threshold=condition.min_unexcused, count=count, period=period)
                firing = Firing(rule.id, rule.article, condition.min_unexcused, Comparison.AT_LEAST, count,
                                PeriodKind.TERM, key, rule.action, message)
                result.append(StudentFiring(student, today, firing))
    return tuple(result)


def due_deregistration_reviews(
    pack: RulePack,
    today: date,
    streaks: Iterable[NonAttendance],
    *,
    fired: Mapping[str, Collection[FiredKey]] | None = None,
) -> tuple[StudentFiring, ...]:
    """Students whose unexcused non-attendance has lasted past the limit (Чл. 25, ал. 4, т. 2).

    The count of a firing is the number of calendar days since ``since``, inclusive; the
    period key is the streak's first day, so a new streak after a return is a new period.
    """
    result: list[StudentFiring] = []
    for rule in pack.rules:
        condition = rule.condition
        if not isinstance(condition, NonAttendanceCondition):
            continue
        for streak in sorted(streaks, key=lambda s: s.student_id):
            if streak.education_form != condition.education_form:
                continue
            # "longer than two months" from 01.10 is first met on 01.12; "at least" on 30.11.
            last_day_within = add_months(streak.since, condition.months) - timedelta(days=1)
            if not condition.comparison.holds(today.toordinal(), last_day_within.toordinal()):
                continue
            key = streak.since.isoformat()
            if (rule.id, condition.months, key) in (fired or {}).get(streak.student_id, ()):
                continue
            days = (today - streak.since).days + 1
            period = f"от {format_date(streak.since)} до {format_date(today)}"
            message = render_message(rule, threshold=condition.months, count=days, period=period)
            firing = Firing(rule.id, rule.article, condition.months, condition.comparison, days,
                            None, key, rule.action, message)
            result.append(StudentFiring(streak.student_id, today, firing))
    return tuple(result)
