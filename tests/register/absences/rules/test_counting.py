from __future__ import annotations

import re
from datetime import date
from fractions import Fraction

import pytest

from services.register.absences.rules.counting import (
    AbsenceMark,
    MarkKind,
    UnexcusedTotal,
    excused_hours,
    planned_hours,
    subject_share,
    subjects_over_threshold,
    unexcused_total,
)
from services.register.school.rules.errors import RuleViolation

DAY = date(2025, 10, 6)


def marks(*kinds: MarkKind, subject: str = "Математика", day: date = DAY) -> list[AbsenceMark]:
    return [AbsenceMark(day, lesson, subject, kind) for lesson, kind in enumerate(kinds, start=1)]


def test_two_latenesses_make_one_unexcused_absence():
    total = unexcused_total(marks(MarkKind.LATE, MarkKind.LATE))
    assert total == UnexcusedTotal(2)
    assert total.absences == 1
    assert str(total) == "1"


def test_a_single_lateness_is_half_and_not_yet_an_absence():
    total = unexcused_total(marks(MarkKind.UNEXCUSED, MarkKind.LATE))
    assert total.absences == 1
    assert str(total) == "1,5"


def test_excused_hours_never_count_as_unexcused():
    recorded = marks(MarkKind.EXCUSED, MarkKind.EXCUSED, MarkKind.EXCUSED)
    assert unexcused_total(recorded).absences == 0
    assert excused_hours(recorded) == 3


def test_lateness_weight_is_a_parameter():
    recorded = marks(MarkKind.LATE, MarkKind.LATE)
    assert unexcused_total(recorded, late_half_hours=2).absences == 2
    assert unexcused_total(recorded, late_half_hours=0).absences == 0
    with pytest.raises(RuleViolation):
        unexcused_total(recorded, late_half_hours=-1)


def test_many_latenesses_sum_exactly():
    recorded = [AbsenceMark(date(2025, 10, d), 1, "Физика", MarkKind.LATE) for d in range(6, 11)]
    recorded += [AbsenceMark(date(2025, 10, d), 1, "Физика", MarkKind.LATE) for d in range(13, 18)]
    assert unexcused_total(recorded).half_hours == 10


def test_two_marks_for_the_same_lesson_are_refused():
    twice = [AbsenceMark(DAY, 2, "Химия", MarkKind.UNEXCUSED), AbsenceMark(DAY, 2, "Химия", MarkKind.LATE)]
    with pytest.raises(RuleViolation, match=re.escape("повече от една отметка за 2. час на 06.10.2025")):
        unexcused_total(twice)


def test_planned_hours_use_teaching_weeks_of_the_term(four_week_calendar):
    assert planned_hours(2, 1, four_week_calendar) == 8
    assert planned_hours(Fraction(5, 2), 1, four_week_calendar) == 10
    with pytest.raises(RuleViolation):
        planned_hours(0, 1, four_week_calendar)


def _missed(n: int, kind: MarkKind = MarkKind.UNEXCUSED) -> list[AbsenceMark]:
    return [AbsenceMark(date(2025, 10, 6 + i), 1, "Математика", kind) for i in range(n)]


def test_exactly_25_percent_is_not_over_the_threshold(four_week_calendar):
    share = subject_share(
        _missed(2), subject="Математика", term=1, weekly_hours=2, calendar=four_week_calendar
    )
    assert share.share == Fraction(1, 4)
    assert not share.exceeded
    assert share.article == "Чл. 137, ал. 2"


def test_over_25_percent_counts_excused_and_unexcused(four_week_calendar):
    recorded = [*_missed(2), AbsenceMark(date(2025, 10, 20), 3, "Математика", MarkKind.EXCUSED)]
    share = subject_share(recorded, subject="Математика", term=1, weekly_hours=2, calendar=four_week_calendar)
    assert share.missed_hours == 3
    assert share.exceeded
    assert share.percent_text == "37,5 %"


def test_latenesses_do_not_count_for_the_share_unless_asked(four_week_calendar):
    recorded = [*_missed(2), AbsenceMark(date(2025, 10, 20), 3, "Математика", MarkKind.LATE)]
    plain = subject_share(recorded, subject="Математика", term=1, weekly_hours=2, calendar=four_week_calendar)
    with_late = subject_share(
        recorded,
        subject="Математика",
        term=1,
        weekly_hours=2,
        calendar=four_week_calendar,
        counted=frozenset(MarkKind),
    )
    assert not plain.exceeded
    assert with_late.missed_hours == Fraction(5, 2)
    assert with_late.exceeded


def test_only_excused_for_the_chl_61_variant_and_threshold_parameter(four_week_calendar):
    recorded = _missed(3)
    excused_only = subject_share(
        recorded,
        subject="Математика",
        term=1,
        weekly_hours=2,
        calendar=four_week_calendar,
        counted=frozenset({MarkKind.EXCUSED}),
    )
    assert excused_only.missed_hours == 0
    lenient = subject_share(
        recorded,
        subject="Математика",
        term=1,
        weekly_hours=2,
        calendar=four_week_calendar,
        threshold_percent=40,
    )
    assert not lenient.exceeded


def test_absences_of_other_terms_and_subjects_are_ignored(four_week_calendar):
    recorded = [*_missed(3), AbsenceMark(date(2025, 11, 3), 1, "Математика", MarkKind.UNEXCUSED)]
    recorded.append(AbsenceMark(date(2025, 10, 6), 2, "История", MarkKind.UNEXCUSED))
    over = subjects_over_threshold(
        recorded, weekly_hours={"Математика": 2, "История": 1}, term=1, calendar=four_week_calendar
    )
    assert [s.subject for s in over] == ["Математика"]
    second = subject_share(
        recorded, subject="Математика", term=2, weekly_hours=2, calendar=four_week_calendar
    )
    assert second.missed_hours == 1
