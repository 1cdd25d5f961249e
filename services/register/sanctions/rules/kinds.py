"""Sanction types, roles, day types and the per-school policy (Чл. 52–59; spec §3, §10).

Every value the правилник leaves open is a field of :class:`SanctionPolicy` whose default is
the reading documented next to it, so a school can change it without touching the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from services.register.sanctions.rules.ports import SanctionCalendar


class SanctionType(StrEnum):
    """Sanction (санкция) under Чл. 52, ал. 1, т. 1–5."""

    REMARK = "remark"
    WARNING_TRANSFER = "warning_transfer"
    TRANSFER = "transfer"
    WARNING_SELF_STUDY = "warning_self_study"
    SELF_STUDY = "self_study"

    @property
    def name_bg(self) -> str:
        return _NAMES[self]

    @property
    def article(self) -> str:
        return f"Чл. 52, ал. 1, т. {list(SanctionType).index(self) + 1}"

    @property
    def proposer(self) -> Role:
        """Remark: the class teacher's motivated written proposal; others: the PC (Чл. 56, ал. 1)."""
        return Role.CLASS_TEACHER if self is SanctionType.REMARK else Role.PEDAGOGICAL_COUNCIL

    @property
    def takes_effect_next_year_if_late(self) -> bool:
        """Types that start next school year when imposed late in term 2 (Чл. 55, ал. 3)."""
        return self in _HEAVY

    @property
    def blocks_excellence_scholarship(self) -> bool:
        """Types that take away the scholarship for excellent results while in force (Чл. 59, ал. 3)."""
        return self in _HEAVY


_HEAVY = frozenset({SanctionType.WARNING_TRANSFER, SanctionType.TRANSFER, SanctionType.SELF_STUDY})

_NAMES = {
    SanctionType.REMARK: "забележка",
    SanctionType.WARNING_TRANSFER: "предупреждение за преместване в друго училище",
    SanctionType.TRANSFER: "преместване в друго училище",
    SanctionType.WARNING_SELF_STUDY: "предупреждение за преместване от дневна форма в самостоятелна форма на обучение",
    SanctionType.SELF_STUDY: "преместване от дневна форма в самостоятелна форма на обучение",
}


class Role(StrEnum):
    """Who owns a step or must be present (роля)."""

    CLASS_TEACHER = "class_teacher"  # класен ръководител
    PEDAGOGICAL_COUNCIL = "pedagogical_council"  # педагогически съвет
    DIRECTOR = "director"  # директор
    PSYCHOLOGIST = "psychologist"  # училищен психолог
    TEACHER = "teacher"  # учител
    PARENT = "parent"  # родител

    @property
    def name_bg(self) -> str:
        return _ROLE_NAMES[self][0]

    @property
    def definite_bg(self) -> str:
        """With the object form of the definite article, for "от класния ръководител"."""
        return _ROLE_NAMES[self][1]


_ROLE_NAMES = {
    Role.CLASS_TEACHER: ("класен ръководител", "класния ръководител"),
    Role.PEDAGOGICAL_COUNCIL: ("педагогически съвет", "педагогическия съвет"),
    Role.DIRECTOR: ("директор", "директора"),
    Role.PSYCHOLOGIST: ("училищен психолог", "училищния психолог"),
    Role.TEACHER: ("учител", "учителя"),
    Role.PARENT: ("родител", "родителя"),
}


class DayKind(StrEnum):
    """How a deadline counts days (spec §10.C)."""

    CALENDAR = "calendar"  # календарни дни
    WORK = "work"  # работни дни
    SCHOOL = "school"  # учебни дни

    @property
    def name_bg(self) -> str:
        return {"calendar": "календарни дни", "work": "работни дни", "school": "учебни дни"}[self.value]


def add_days(calendar: SanctionCalendar, day: date, n: int, kind: DayKind) -> date:
    """``day`` plus ``n`` days of the given kind."""
    if kind is DayKind.SCHOOL:
        return calendar.add_school_days(day, n)
    if kind is DayKind.WORK:
        return calendar.add_work_days(day, n)
    return day + timedelta(days=n)


@dataclass(frozen=True)
class SanctionPolicy:
    """Per-school settings of the sanction procedure; defaults are the правилник's values.

    Parameters:
      order_deadline_days, order_day_kind: the order comes within 14 days of the proposal or PC
        decision (Чл. 58, ал. 1). The text says "14-дневен срок" without a day type (§10.B-29);
        in Bulgarian law untyped days are calendar days, hence the default.
      letter_deadline_days, letter_day_kind: letter to the parents within 3 days of the order
        (Чл. 58, ал. 3, "тридневен срок", untyped as well).
      appeal_days, appeal_day_kind: the order may be appealed under the АПК (Чл. 58, ал. 4); the
        правилник gives no term (spec §3.3, step 9), the АПК's is 14 days from the notification
        (АПК чл. 149, ал. 1), calendar days as the АПК counts them.
      ruo_same_deadline: the notice to the head of РУО for a transfer shares the 3 days (§10.B-8).
      late_window_school_days: heavy sanctions imposed within the last 30 school days of term 2
        take effect next school year (Чл. 55, ал. 3; reading "within the last N", §10.B-6).
      self_study_min_age: minimum age for the move to self-study (Чл. 53, ал. 1).
      warning_self_study_min_age: the warning has no age limit in the text (§10.B-4); ``None``.
      child_protection_types: types whose opening is also notified to child protection
        (Чл. 57, ал. 1 cites ЗПУО чл. 199, ал. 1, т. 3–5; mapping per spec §10.A-6).
    """

    order_deadline_days: int = 14
    order_day_kind: DayKind = DayKind.CALENDAR
    letter_deadline_days: int = 3
    letter_day_kind: DayKind = DayKind.CALENDAR
    appeal_days: int = 14
    appeal_day_kind: DayKind = DayKind.CALENDAR
    ruo_same_deadline: bool = True
    late_window_school_days: int = 30
    self_study_min_age: int = 16
    warning_self_study_min_age: int | None = None
    child_protection_types: frozenset[SanctionType] = field(default=_HEAVY)

    def min_age(self, sanction_type: SanctionType) -> int | None:
        if sanction_type is SanctionType.SELF_STUDY:
            return self.self_study_min_age
        if sanction_type is SanctionType.WARNING_SELF_STUDY:
            return self.warning_self_study_min_age
        return None


def age_on(birth_date: date, day: date) -> int:
    """Completed years of age on ``day`` (навършени години)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
