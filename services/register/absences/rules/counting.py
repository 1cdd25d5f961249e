"""Absence counting (отчитане на отсъствия): per-lesson marks, unexcused totals, the 25 % rule.

Totals are kept as integer half-hours: a lateness (закъснение) weighs half an absence
(Чл. 61, ал. 5: two latenesses of up to 20 minutes are one unexcused absence), and integers
never drift the way repeated 0.5 floats can in long sums.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.rules.dates import format_date
from services.register.school.rules.errors import RuleViolation

#: Half-hours in one whole absence (one class hour, учебен час; Чл. 61, ал. 4).
HALF_HOURS_PER_ABSENCE = 2
#: Weight of one lateness in half-hours: 1 = half an absence (Чл. 61, ал. 5).
LATE_HALF_HOURS = 1
#: Share of a subject's hours above which no term grade is formed (Чл. 137, ал. 2), in percent.
SUBJECT_THRESHOLD_PERCENT = 25

LATENESS_ARTICLE = "Чл. 61, ал. 5"
SUBJECT_SHARE_ARTICLE = "Чл. 137, ал. 2"


class MarkKind(StrEnum):
    """What the teacher marked for a student in one lesson."""

    UNEXCUSED = "unexcused"  # отсъствие по неуважителни причини (Чл. 61, ал. 4)
    EXCUSED = "excused"  # отсъствие по уважителни причини (Чл. 61, ал. 1)
    LATE = "late"  # закъснение до 20 минути (Чл. 61, ал. 5)


@dataclass(frozen=True)
class AbsenceMark:
    """One mark in the class register (дневник на класа): a student's state in one lesson."""

    day: date
    lesson: int  # the lesson's number in the school day, 1-based
    subject: str
    kind: MarkKind


@dataclass(frozen=True, order=True)
class UnexcusedTotal:
    """Unexcused absences in half-hours; ``absences`` is what thresholds compare against."""

    half_hours: int

    @property
    def absences(self) -> int:
        """Whole absences: a single unpaired lateness is not yet an absence (Чл. 61, ал. 5)."""
        return self.half_hours // HALF_HOURS_PER_ABSENCE

    def __str__(self) -> str:
        whole, rest = divmod(self.half_hours, HALF_HOURS_PER_ABSENCE)
        return f"{whole},5" if rest else str(whole)


def _check_one_mark_per_lesson(marks: Iterable[AbsenceMark]) -> list[AbsenceMark]:
    seen: set[tuple[date, int]] = set()
    result = list(marks)
    for mark in result:
        slot = (mark.day, mark.lesson)
        if slot in seen:
            raise RuleViolation(
                "marks", f"Има повече от една отметка за {mark.lesson}. час на {format_date(mark.day)}."
            )
        seen.add(slot)
    return result


def mark_half_hours(mark: AbsenceMark, *, late_half_hours: int = LATE_HALF_HOURS) -> int:
    """Half-hours one mark adds to the unexcused total; excused absences add nothing."""
    if mark.kind is MarkKind.UNEXCUSED:
        return HALF_HOURS_PER_ABSENCE
    if mark.kind is MarkKind.LATE:
        return late_half_hours
    return 0


def unexcused_total(
    marks: Iterable[AbsenceMark], *, late_half_hours: int = LATE_HALF_HOURS
) -> UnexcusedTotal:
    """Sum of unexcused absences and latenesses (Чл. 61, ал. 4–5).

    Parameters:
      late_half_hours: weight of one lateness; 1 (half an absence) per Чл. 61, ал. 5.
    """
    if late_half_hours < 0:
        raise RuleViolation("late_half_hours", "Тежестта на закъснението не може да е отрицателна.")
    checked = _check_one_mark_per_lesson(marks)
    return UnexcusedTotal(sum(mark_half_hours(m, late_half_hours=late_half_hours) for m in checked))


def excused_hours(marks: Iterable[AbsenceMark]) -> int:
    """Number of excused class hours."""
    return sum(1 for m in _check_one_mark_per_lesson(marks) if m.kind is MarkKind.EXCUSED)


@dataclass(frozen=True)
class SubjectShare:
    """A subject's missed share in a term, checked against the 25 % rule (Чл. 137, ал. 2)."""

    subject: str
    term: int
    missed_hours: Fraction
    planned_hours: Fraction
    share: Fraction
    threshold: Fraction
    exceeded: bool
    article: str = SUBJECT_SHARE_ARTICLE

    @property
    def percent_text(self) -> str:
        """The share as Bulgarian text with a decimal comma, e.g. ``26,7 %``."""
        tenths = round(self.share * 1000)
        return f"{tenths // 10},{tenths % 10} %"


def planned_hours(weekly_hours: Fraction | int, term: int, calendar: SchoolCalendar) -> Fraction:
    """Curriculum hours of a subject in a term: weekly hours × teaching weeks from the calendar."""
    weekly = Fraction(weekly_hours)
    if weekly <= 0:
        raise RuleViolation("weekly_hours", "Седмичният брой часове трябва да е положително число.")
    return weekly * calendar.teaching_weeks(term)


def subject_share(
    marks: Iterable[AbsenceMark],
    *,
    subject: str,
    term: int,
    weekly_hours: Fraction | int,
    calendar: SchoolCalendar,
    threshold_percent: Fraction | int = SUBJECT_THRESHOLD_PERCENT,
    counted: frozenset[MarkKind] = frozenset({MarkKind.UNEXCUSED, MarkKind.EXCUSED}),
    late_half_hours: int = LATE_HALF_HOURS,
) -> SubjectShare:
    """The share of a subject's term hours the student missed, against the 25 % rule.

    Parameters:
      counted: which marks count as missed hours. Чл. 137, ал. 2 counts every absence
        (the default); Чл. 61, ал. 2 counts excused ones only. Whether latenesses count is not
        stated (spec §1.4 ⚠), so they count only if ``MarkKind.LATE`` is added, at
        ``late_half_hours``.
      threshold_percent: exceeded means strictly "more than" this (повече от 25 %).
    """
    chosen = calendar.terms[term - 1]
    # An excused hour is missed as much as an unexcused one, hence not mark_half_hours() for those.
    missed_half = sum(
        late_half_hours if m.kind is MarkKind.LATE else HALF_HOURS_PER_ABSENCE
        for m in _check_one_mark_per_lesson(marks)
        if m.subject == subject and m.day in chosen and m.kind in counted
    )
    missed = Fraction(missed_half, HALF_HOURS_PER_ABSENCE)
    planned = planned_hours(weekly_hours, term, calendar)
    share = missed / planned if planned else Fraction(0)
    threshold = Fraction(threshold_percent) / 100
    return SubjectShare(subject, term, missed, planned, share, threshold, exceeded=share > threshold)


def subjects_over_threshold(
    marks: Iterable[AbsenceMark],
    *,
    weekly_hours: Mapping[str, Fraction | int],
    term: int,
    calendar: SchoolCalendar,
    threshold_percent: Fraction | int = SUBJECT_THRESHOLD_PERCENT,
) -> tuple[SubjectShare, ...]:
    """Every subject of the curriculum whose missed share exceeds the threshold, by subject name."""
    all_marks = _check_one_mark_per_lesson(marks)
    shares = (
        subject_share(all_marks, subject=name, term=term, weekly_hours=hours, calendar=calendar,
                      threshold_percent=threshold_percent)
        for name, hours in sorted(weekly_hours.items())
    )
    return tuple(share for share in shares if share.exceeded)
