"""Forming term grades: minimum, 25 % absences, PE exemption, the window (Чл. 137; Чл. 27)."""

from __future__ import annotations

from datetime import date

import pytest

from services.register.assessment.rules.findings import AssessmentError
from services.register.assessment.rules.grades import GradeKind
from services.register.assessment.rules.minimums import AssessmentRegime, SubjectCategory, minimum_current_grades
from services.register.assessment.rules.term_grades import (
    PeExemption,
    check_can_form_term_grade,
    check_term_extension,
    check_term_grade_date,
    second_exam_latest,
    term_grade_window,
)

ORAL, W, P = GradeKind.ORAL, GradeKind.WRITTEN, GradeKind.PRACTICAL
TERM = {"term_start": date(2026, 2, 9), "term_end": date(2026, 6, 30)}
TWO_HOURS = minimum_current_grades(2, AssessmentRegime.LEGACY)


def check(kinds, *, absent: int = 0, hours: int = 36, **kwargs):
    return check_can_form_term_grade(TWO_HOURS, kinds, subject_hours=hours, absent_hours=absent, **TERM, **kwargs)


def test_term_grade_may_be_formed_with_the_minimum_and_few_absences() -> None:
    result = check([ORAL, ORAL, W], absent=9)
    assert result.ok
    assert result.reasons == ()
    assert not result.exam_required


def test_without_the_minimum_the_student_is_listed_for_an_exam() -> None:
    result = check([ORAL, W])
    assert not result.ok
    assert result.exam_required
    (reason,) = result.reasons
    assert reason.article == "Чл. 137, ал. 1"
    assert "има 1 от минимум 2 оценки от устно изпитване" in reason.message
    assert "изпит за определяне на срочна оценка" in reason.message


def test_more_than_a_quarter_of_the_hours_missed_blocks_the_term_grade() -> None:
    assert check([ORAL, ORAL, W], absent=9, hours=36).ok  # exactly 25 % is not "повече от"
    result = check([ORAL, ORAL, W], absent=10, hours=36)
    assert not result.ok
    assert result.exam_required
    (reason,) = result.reasons
    assert reason.article == "Чл. 137, ал. 2"
    assert "10 от 36 часа" in reason.message
    assert "27,8 %" in reason.message


def test_literal_reading_needs_the_minimum_to_be_missing_too() -> None:
    assert check([ORAL, ORAL, W], absent=20, absence_requires_shortfall=True).ok
    assert not check([ORAL, W], absent=20, absence_requires_shortfall=True).ok


def test_every_reason_is_listed() -> None:
    result = check([ORAL], absent=20)
    assert [r.article for r in result.reasons] == ["Чл. 137, ал. 1", "Чл. 137, ал. 2"]


def test_absence_threshold_is_a_parameter() -> None:
    assert not check([ORAL, ORAL, W], absent=8, absence_threshold_percent=20).ok


def test_pe_exemption_that_prevents_the_minimum_records_exempt() -> None:
    pe = minimum_current_grades(2, AssessmentRegime.LEGACY, SubjectCategory.PHYSICAL_EDUCATION)
    exemption = PeExemption("s1", date(2026, 3, 1), date(2026, 5, 31), "Заповед № 12/27.02.2026")
    result = check_can_form_term_grade(pe, [P], subject_hours=36, absent_hours=0, pe_exemption=exemption, **TERM)
    assert not result.ok
    assert result.record == "освободен"
    assert not result.exam_required
    (reason,) = result.reasons
    assert reason.article == "Чл. 137, ал. 3"
    assert "01.03.2026" in reason.message


def test_pe_exemption_outside_the_term_or_with_the_minimum_changes_nothing() -> None:
    pe = minimum_current_grades(2, AssessmentRegime.LEGACY, SubjectCategory.PHYSICAL_EDUCATION)
    autumn = PeExemption("s1", date(2025, 10, 1), date(2025, 12, 1))
    outside = check_can_form_term_grade(pe, [P], subject_hours=36, absent_hours=0, pe_exemption=autumn, **TERM)
    assert outside.exam_required
    assert outside.record is None
    spring = PeExemption("s1", date(2026, 6, 1), date(2026, 6, 30))
    assert check_can_form_term_grade(pe, [P, P, P], subject_hours=36, absent_hours=0, pe_exemption=spring, **TERM).ok


def test_pe_exemption_period_must_be_ordered() -> None:
    with pytest.raises(AssessmentError) as caught:
        PeExemption("s1", date(2026, 3, 1), date(2026, 2, 1))
    assert caught.value.article == "Чл. 27, ал. 3"


def test_production_practice_never_gets_a_term_grade() -> None:
    practice = minimum_current_grades(8, AssessmentRegime.ZPUO, SubjectCategory.PRODUCTION_PRACTICE)
    result = check_can_form_term_grade(practice, [P, P, P], subject_hours=100, absent_hours=0, **TERM)
    assert not result.ok
    assert not result.exam_required
    assert result.reasons[0].article == "Чл. 137, ал. 7"


def test_window_runs_from_one_school_week_to_two_school_days_before_the_end(calendar) -> None:
    window = term_grade_window(calendar, date(2026, 1, 30))
    assert (window.start, window.end) == (date(2026, 1, 26), date(2026, 1, 28))
    assert window.display == "от 26.01.2026 до 28.01.2026"


def test_window_counts_school_days_from_the_calendar(make_calendar) -> None:
    with_holiday = make_calendar(date(2026, 1, 27))
    window = term_grade_window(with_holiday, date(2026, 1, 30))
    assert (window.start, window.end) == (date(2026, 1, 23), date(2026, 1, 28))
    weekend_end = term_grade_window(with_holiday, date(2026, 1, 31))
    assert weekend_end == window


def test_forming_outside_the_window_is_refused(calendar) -> None:
    term_end = date(2026, 1, 30)
    assert check_term_grade_date(calendar, term_end, date(2026, 1, 27)) == ()
    for day in (date(2026, 1, 23), date(2026, 1, 29)):
        (refusal,) = check_term_grade_date(calendar, term_end, day)
        assert refusal.article == "Чл. 137, ал. 5"
        assert "от 26.01.2026 до 28.01.2026" in refusal.message
    assert check_term_grade_date(calendar, term_end, date(2026, 2, 20), extended_until=date(2026, 2, 27)) == ()


def test_pc_extension_needs_medical_grounds_and_at_most_a_month(calendar) -> None:
    window = term_grade_window(calendar, date(2026, 1, 30))
    ok = check_term_extension(window, date(2026, 2, 28), has_medical_document=True, absence_over_threshold=True)
    assert ok == ()
    (grounds,) = check_term_extension(
        window, date(2026, 2, 20), has_medical_document=False, absence_over_threshold=True
    )
    assert grounds.code == "term.extension_grounds"
    (too_long,) = check_term_extension(window, date(2026, 3, 2), has_medical_document=True, absence_over_threshold=True)
    assert too_long.article == "Чл. 137, ал. 6"
    assert "28.02.2026" in too_long.message


def test_second_exam_date_is_at_most_two_weeks_after_the_term() -> None:
    assert second_exam_latest(date(2026, 1, 30)) == date(2026, 2, 13)
