"""Incremental evaluation of counter rules and a dry run over a month of daily counts.

A firing is remembered by ``(rule_id, threshold, period_key)`` per student: once a threshold
fired in a period it never fires again there, even if absences are excused below it and the
count climbs back. A jump over several thresholds fires each of them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from services.register.absences.rules.counting import UnexcusedTotal
from services.register.absences.rules.periods import PeriodKind, period_key
from services.register.absences.rules.rulepack import Action, Comparison, CounterCondition, Rule, RulePack
from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.rules.dates import format_date
from services.register.school.rules.errors import RuleViolation

#: ``(rule_id, threshold, period_key)``: what has already fired for one student.
FiredKey = tuple[str, int, str]


class Firing(NamedTuple):
    """A rule fired (сработило правило): the article, threshold and count travel with it.

    A named tuple rather than a frozen dataclass: a bulk import makes tens of thousands of them,
    and a frozen dataclass is several times slower to build.
    """

    rule_id: str
    article: str
    threshold: int
    comparison: Comparison
    count: int
    period_kind: PeriodKind | None  # None for a non-attendance streak, keyed by its first day
    period_key: str
    action: Action
    message: str

    @property
    def key(self) -> FiredKey:
        return (self.rule_id, self.threshold, self.period_key)


@dataclass(frozen=True)
class StudentFiring:
    """A firing for a named student on a day, as batch functions (dry run, sweeps) return them."""

    student_id: str
    day: date
    firing: Firing


def period_label(kind: PeriodKind, key: str) -> str:
    """Bulgarian label of a period key: ``учебна 2025/2026 година``, ``I срок на 2025/2026``, ``м. 10.2025``.
    """
    if kind is PeriodKind.MONTH:
        year, month = key.split("-")
        return f"м. {month}.{year}"
    if kind is PeriodKind.TERM:
        label, number = key.rsplit("/", 1)
        return f"{'I' * int(number)} срок на {label}"
    return f"учебна {key} година"


def render_message(rule: Rule, *, threshold: int, count: int, period: str) -> str:
    """The rule's Bulgarian message for a firing, with the threshold's note appended."""
    text = rule.action.message.format(count=count, threshold=threshold, period=period, article=rule.article)
    note = rule.action.note_for(threshold)
    return f"{text} {note}" if note else text


def evaluate_change(
    pack: RulePack,
    *,
    before: UnexcusedTotal,
    after: UnexcusedTotal,
    period_key: str,
    period: PeriodKind = PeriodKind.SCHOOL_YEAR,
    fired: Collection[FiredKey] = frozenset(),
) -> tuple[Firing, ...]:
    """New firings for one student when the unexcused total of one period goes ``before`` → ``after``.

    Parameters:
      period: which counting period the totals are for; only rules counting over it are checked.
      period_key: the concrete period (see :func:`services.register.absences.rules.periods.period_key`).
      fired: keys already fired for this student; they never fire again.
    """
    old, new = before.absences, after.absences
    if not pack.may_cross(period, old, new):
        return ()
    result: list[Firing] = []
    for rule in pack.counter_rules(period):
        condition = rule.condition
        assert isinstance(condition, CounterCondition)  # counter_rules only returns these
        for threshold in condition.thresholds:
            holds = condition.comparison.holds
            crossed = holds(new, threshold) and not holds(old, threshold)
            if not crossed or (rule.id, threshold, period_key) in fired:
                continue
            label = period_label(period, period_key)
            message = render_message(rule, threshold=threshold, count=new, period=label)
            result.append(Firing(rule.id, rule.article, threshold, condition.comparison, new, period,
                                 period_key, rule.action, message))
    return tuple(result)


def dry_run(
    pack: RulePack,
    calendar: SchoolCalendar,
    daily: Mapping[str, Mapping[date, UnexcusedTotal]],
    *,
    opening: Mapping[str, Mapping[PeriodKind, UnexcusedTotal]] | None = None,
    fired: Mapping[str, Collection[FiredKey]] | None = None,
) -> tuple[StudentFiring, ...]:
    """What would have fired if the daily unexcused counts had been recorded day by day.

    Parameters:
      daily: per student, the unexcused total added on each school day (usually one month).
      opening: per student and period kind, the total before the first day of ``daily``
        (e.g. the school year so far); absent means zero.
      fired: per student, keys that fired before the run.
    Returns the firings in order of day, then student.
    """
    opening = opening or {}
    result: list[StudentFiring] = []
    for student in sorted(daily):
        days = sorted(daily[student])
        for day in days:
            if not calendar.is_school_day(day):
                raise RuleViolation("daily", f"{format_date(day)} не е учебен ден, а за него има отсъствия.")
        already = set((fired or {}).get(student, ()))
        totals: dict[tuple[PeriodKind, str], int] = {}
        for day in days:
            for kind in pack.periods_in_use():
                key = period_key(kind, day, calendar)
                # The opening balance belongs to the period the run starts in; later periods start at 0.
                start = opening.get(student, {}).get(kind, UnexcusedTotal(0)).half_hours
                if key != period_key(kind, days[0], calendar):
                    start = 0
                before = totals.get((kind, key), start)
                after = before + daily[student][day].half_hours
                totals[(kind, key)] = after
                new = evaluate_change(pack, before=UnexcusedTotal(before), after=UnexcusedTotal(after),
                                      period_key=key, period=kind, fired=already)
                already.update(f.key for f in new)
                result.extend(StudentFiring(student, day, f) for f in new)
    return tuple(sorted(result, key=lambda s: (s.day, s.student_id)))
