"""The absence rule pack (пакет правила за отсъствия) as frozen data.

Every rule carries the правилник article it implements, a condition and an action; the values
come from ``services/register/absences/rulepacks/default.yaml`` (the rulebook's defaults) or a school's
own pack, parsed and checked by :mod:`services.register.absences.rules.rulepack_loader`.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from enum import StrEnum

from services.register.absences.rules.periods import PeriodKind


class Comparison(StrEnum):
    """How a count is compared with a threshold: "5 и повече" vs "повече от 5" (§10.B-1)."""

    AT_LEAST = "at_least"  # ≥
    MORE_THAN = "more_than"  # >

    def holds(self, count: int, threshold: int) -> bool:
        return count >= threshold if self is Comparison.AT_LEAST else count > threshold

    @property
    def symbol(self) -> str:
        return "≥" if self is Comparison.AT_LEAST else ">"


class ActionKind(StrEnum):
    """What a firing asks people to do."""

    NOTIFY_PARENT = "notify_parent"  # писмено уведомяване на родителя
    SUGGEST_SANCTION = "suggest_sanction"  # предложение за санкция (a person still decides, §10.B-3)
    SUSPEND_SCHOLARSHIP = "suspend_scholarship"  # спиране на стипендия
    BENEFIT_LIST = "benefit_list"  # поименна справка до ЗАС за детските добавки
    DROPOUT_REPORT = "dropout_report"  # доклад за застрашените от отпадане
    DEREGISTRATION_REVIEW = "deregistration_review"  # преглед за отписване


class Audience(StrEnum):
    """Who may read a rule's firings (кой вижда сработването): the school's staff, and the family too.

    A firing that speaks to the family (the ladder's letters, Чл. 97, т. 8) is shown to the parent;
    the staff's own work (a sanction suggestion, the scholarship stop, the ЗАС list) is not, so a rule
    without a declared audience is for the staff alone.
    """

    STAFF = "staff"  # персонал
    PARENTS = "parents"  # родителите на ученика


@dataclass(frozen=True)
class CounterCondition:
    """Fires when the unexcused count of a period crosses a threshold (each threshold once).

    ``period=None`` means the pack's ``threshold_counting_period`` (spec §10.B-2).
    ``band_max`` is the top of a sanction band ("5 и повече (до 10)"), kept for the message.
    """

    thresholds: tuple[int, ...]
    comparison: Comparison = Comparison.AT_LEAST
    period: PeriodKind | None = None
    band_max: int | None = None


@dataclass(frozen=True)
class BeforeTermEndCondition:
    """Fires once per term, ``months_before`` the term ends, for students at risk of dropping out.

    The правилник does not define "застрашен от отпадане"; ``min_unexcused`` (default 20, the rung
    at which Чл. 97, т. 8 speaks of students at risk) is the school-year count that qualifies.
    """

    months_before: int
    min_unexcused: int


@dataclass(frozen=True)
class NonAttendanceCondition:
    """Fires when a student of ``education_form`` has not attended, unexcused, for ``months``."""

    months: int
    comparison: Comparison = Comparison.MORE_THAN
    education_form: str = "daily"


Condition = CounterCondition | BeforeTermEndCondition | NonAttendanceCondition


@dataclass(frozen=True)
class Sanction:
    """A sanction (санкция, Чл. 52, ал. 1) a firing may suggest."""

    code: str
    name: str


@dataclass(frozen=True)
class Action:
    """What to do when a rule fires.

    ``message`` is a Bulgarian template with ``{count}``, ``{threshold}``, ``{period}`` and
    ``{article}``; ``notes`` add text for particular thresholds (the ladder's psychologist tasks).
    """

    kind: ActionKind
    message: str
    recipients: tuple[str, ...] = ()
    notes: tuple[tuple[int, str], ...] = ()
    sanctions: tuple[Sanction, ...] = ()
    due_day_of_next_month: int | None = None

    def note_for(self, threshold: int) -> str | None:
        return dict(self.notes).get(threshold)


@dataclass(frozen=True)
class Rule:
    """One rule of the pack; ``article`` is cited exactly as printed, e.g. ``Чл. 97, т. 8``."""

    id: str
    article: str
    title: str
    condition: Condition
    action: Action
    #: Who reads its firings; the staff always, the parents only where the pack says so.
    audience: frozenset[Audience] = frozenset({Audience.STAFF})


@dataclass(frozen=True)
class RulePack:
    """A validated, immutable rule pack."""

    version: int
    threshold_counting_period: PeriodKind
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @functools.cached_property
    def parents_rule_ids(self) -> frozenset[str]:
        """The rules whose firings a parent reads (``audience`` includes ``parents``)."""
        return frozenset(rule.id for rule in self.rules if Audience.PARENTS in rule.audience)

    def period_of(self, condition: CounterCondition) -> PeriodKind:
        return condition.period or self.threshold_counting_period

    @functools.cached_property
    def _counter_rules_by_period(self) -> dict[PeriodKind, tuple[Rule, ...]]:
        # Asked for on every recorded mark; the pack is immutable, so it is worked out once.
        return {kind: tuple(rule for rule in self.rules if isinstance(rule.condition, CounterCondition)
                            and self.period_of(rule.condition) is kind) for kind in PeriodKind}

    def counter_rules(self, period: PeriodKind) -> tuple[Rule, ...]:
        """Counter rules that count over ``period`` kind."""
        return self._counter_rules_by_period[period]

    @functools.cached_property
    def _thresholds_by_period(self) -> dict[PeriodKind, tuple[int, ...]]:
        return {kind: tuple(sorted({t for rule in rules for t in rule.condition.thresholds}))
                for kind, rules in self._counter_rules_by_period.items()}

    def may_cross(self, period: PeriodKind, old: float, new: float) -> bool:
        """Whether a count going ``old`` → ``new`` can cross any threshold of the period's rules.

        Both comparisons are monotone: "≥ t" starts to hold between ``old < t ≤ new``, "> t" between
        ``old ≤ t < new``; so a threshold in ``[old, new]`` is needed.  Most recorded marks cross none.
        """
        thresholds = self._thresholds_by_period[period]
        index = bisect.bisect_left(thresholds, old)
        return index < len(thresholds) and thresholds[index] <= new

    def periods_in_use(self) -> tuple[PeriodKind, ...]:
        """The period kinds some counter rule counts over, in a stable order."""
        return tuple(kind for kind, rules in self._counter_rules_by_period.items() if rules)
