"""The pure rules of exams and of the entry- and exit-level tests, each with its article."""

from __future__ import annotations

import datetime as dt

from services.register.assessment.rules.corrections import EducationForm, correction_sessions
from services.register.assessment.rules.grades import (
    GradeKind,
    GradeValue,
    check_exit_level_subject,
    check_level_test_date,
)
from services.register.assessment.rules.minimums import MinimumRequirement, shortfall
from services.register.exams.rules.exams import (
    Outcome,
    check_commission,
    check_correction_date,
    correction_outcome,
    term_exam_outcome,
    term_exam_window,
)

TERM_START, TERM_END = dt.date(2023, 9, 15), dt.date(2024, 2, 2)
NEXT_YEAR = dt.date(2024, 9, 15)


def test_term_exam_second_date_within_two_weeks_chl_137_al_4():
    window = term_exam_window(TERM_START, TERM_END, pc_decision=False)
    assert (window.end, window.article) == (dt.date(2024, 2, 16), "Чл. 137, ал. 4")
    assert window.holds(dt.date(2024, 2, 16))
    assert not window.holds(dt.date(2024, 2, 17))


def test_term_exam_put_off_by_the_council_at_most_a_month_chl_137_al_6():
    window = term_exam_window(TERM_START, TERM_END, pc_decision=True)
    assert (window.end, window.article) == (dt.date(2024, 3, 2), "Чл. 137, ал. 6")


def test_missed_term_exam_twice_means_the_annual_exam_chl_137_al_4():
    first = term_exam_outcome(None, missed_before=False, term=1, second_date_by=dt.date(2024, 2, 16))
    second = term_exam_outcome(None, missed_before=True, term=1, second_date_by=dt.date(2024, 2, 16))
    passed = term_exam_outcome(GradeValue.GOOD, missed_before=True, term=1, second_date_by=dt.date(2024, 2, 16))
    assert first[0] is Outcome.SECOND_DATE
    assert "16.02.2024" in first[1]
    assert second[0] is Outcome.ANNUAL_EXAM
    assert passed == (Outcome.TERM_GRADE, "Срочна оценка за 1. срок: добър (4) (Чл. 137).")


def test_commission_is_a_chair_and_members_of_the_staff_chl_126_al_1():
    assert check_commission(1, [2], {1, 2}) == ()
    assert [v.code for v in check_commission(1, [], {1})] == ["exam.commission.too_small"]
    assert [v.code for v in check_commission(1, [1, 2], {1, 2})] == ["exam.commission.repeated"]
    assert [v.code for v in check_commission(1, [9], {1})] == ["exam.commission.not_staff"]


def test_correction_exam_outcomes_and_repeating_the_class_chl_143_al_1_and_9():
    sessions = correction_sessions(10, EducationForm.DAILY, classes_end=dt.date(2024, 6, 30),
                                   next_year_start=NEXT_YEAR)
    first, second, _medical = sessions
    assert correction_outcome(GradeValue.SATISFACTORY, first, sessions)[0] is Outcome.ANNUAL_GRADE
    failed_first = correction_outcome(GradeValue.POOR, first, sessions)
    assert failed_first[0] is Outcome.NEXT_SESSION
    assert "01.09.2024" in failed_first[1]
    missed_second = correction_outcome(None, second, sessions)
    assert missed_second[0] is Outcome.REPEATS_CLASS
    assert "повтаря класа (Чл. 143, ал. 9)" in missed_second[1]
    assert "Допълнителна сесия: до 10.10.2024 (Чл. 143, ал. 7)" in missed_second[1]


def test_xii_correction_exams_in_may_and_july_not_june_chl_143_al_5():
    sessions = correction_sessions(12, EducationForm.DAILY, classes_end=dt.date(2024, 5, 15),
                                   next_year_start=NEXT_YEAR)
    assert check_correction_date(dt.date(2024, 5, 20), sessions) == ()
    assert check_correction_date(dt.date(2024, 7, 10), sessions) == ()
    [refused] = check_correction_date(dt.date(2024, 6, 20), sessions)
    assert "Чл. 143, ал. 5" in refused.message
    assert check_correction_date(dt.date(2025, 1, 20), sessions) == ()  # the January session (ал. 8)


def test_entry_level_test_in_the_first_three_weeks_chl_128_al_2():
    start, end = dt.date(2023, 9, 15), dt.date(2024, 6, 30)
    assert check_level_test_date(GradeKind.ENTRY_LEVEL, dt.date(2023, 10, 5), year_start=start, classes_end=end) == ()
    [late] = check_level_test_date(GradeKind.ENTRY_LEVEL, dt.date(2023, 10, 6), year_start=start, classes_end=end)
    assert late.article == "Чл. 128, ал. 2"
    assert "05.10.2023" in late.message


def test_exit_level_test_two_weeks_before_the_annual_grade_chl_128_al_4():
    start, end = dt.date(2023, 9, 15), dt.date(2024, 6, 30)
    assert check_level_test_date(GradeKind.EXIT_LEVEL, dt.date(2024, 6, 17), year_start=start, classes_end=end) == ()
    [early] = check_level_test_date(GradeKind.EXIT_LEVEL, dt.date(2024, 6, 16), year_start=start, classes_end=end)
    assert early.article == "Чл. 128, ал. 4"
    assert check_level_test_date(GradeKind.ORAL, dt.date(2024, 1, 1), year_start=start, classes_end=end) == ()


def test_entry_level_counts_towards_the_minimum_exit_level_does_not_chl_129_al_3():
    two = MinimumRequirement(total=2, article="Чл. 129, ал. 2")
    assert shortfall(two, [GradeKind.ORAL, GradeKind.ENTRY_LEVEL]) == ()
    assert shortfall(two, [GradeKind.ORAL, GradeKind.EXIT_LEVEL]) == ("има 1 от минимум 2 текущи оценки",)
    assert GradeKind.ENTRY_LEVEL.name_bg == "входно равнище"
    assert GradeKind.EXIT_LEVEL.is_written


def test_exit_level_test_only_in_subjects_without_a_term_paper_chl_128_al_4():
    assert check_exit_level_subject(GradeKind.EXIT_LEVEL, has_term_paper=False) == ()
    [refused] = check_exit_level_subject(GradeKind.EXIT_LEVEL, has_term_paper=True)
    assert refused.article == "Чл. 128, ал. 4"
    assert check_exit_level_subject(GradeKind.CLASSWORK, has_term_paper=True) == ()
