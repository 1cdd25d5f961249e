"""Who goes on the list to ЗАС (поименна справка, Чл. 97, т. 15; Чл. 61, ал. 6): one definition.

The rule pack's ``child_benefit_list`` rule says it: its threshold and comparison („повече от 5“ as
Чл. 97, т. 15 says, or „5 и повече“ where a school reads Чл. 61, ал. 6 so; spec §10.B-1). The rule
that fires for a student, the month's .xlsx list and the class teachers' Word lists all read it
from here, and count alike: whole unexcused absences, where two latenesses make one absence and a
single lateness none yet (Чл. 61, ал. 5; the weight of a lateness is ``SCHOOL_LATE_HALF_HOURS``).
So five absences and one lateness are five, not on a „повече от 5“ list, for the rule and the lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.counting import HALF_HOURS_PER_ABSENCE, UnexcusedTotal
from services.register.absences.rules.rulepack import Comparison, CounterCondition, RulePack
from services.register.models.absences import Absence

RULE_ID = "child_benefit_list"


@dataclass(frozen=True)
class BenefitCriterion:
    """The list's criterion from the rule pack, with the rule's article."""

    threshold: int
    comparison: Comparison
    article: str

    def lists(self, absences: int) -> bool:
        return self.comparison.holds(absences, self.threshold)

    @property
    def words(self) -> str:
        """As the list states it: „повече от 5“ or „5 и повече“."""
        if self.comparison is Comparison.MORE_THAN:
            return f"повече от {self.threshold}"
        return f"{self.threshold} и повече"


def criterion_of(pack: RulePack) -> BenefitCriterion | None:
    """The school's criterion, or None when its rule pack has no ``child_benefit_list`` rule."""
    try:
        rule = pack.rule(RULE_ID)
    except KeyError:
        return None
    condition = rule.condition
    if not isinstance(condition, CounterCondition) or not condition.thresholds:
        return None
    return BenefitCriterion(min(condition.thresholds), condition.comparison, rule.article)


def whole_unexcused(session: Session, first: dt.date, last: dt.date, late_half_hours: int) -> dict[int, int]:
    """``{student: whole unexcused absences}`` between the dates, latenesses paired (Чл. 61, ал. 5)."""
    half_hours: dict[int, int] = {}
    for student_id, kind, count in session.execute(
            sa.select(Absence.student_id, Absence.kind, sa.func.count()).where(
                Absence.date >= first, Absence.date <= last, Absence.kind.in_(("unexcused", "late")))
            .group_by(Absence.student_id, Absence.kind)):
        weight = HALF_HOURS_PER_ABSENCE if kind == "unexcused" else late_half_hours
        half_hours[student_id] = half_hours.get(student_id, 0) + count * weight
    return {sid: UnexcusedTotal(total).absences for sid, total in half_hours.items()}
