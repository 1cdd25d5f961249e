"""Correction-exam list and session windows (Чл. 143)."""

from __future__ import annotations

from datetime import date

import pytest

from services.register.assessment.rules.corrections import EducationForm, correction_exam_list, correction_sessions
from services.register.assessment.rules.findings import AssessmentError
from services.register.assessment.rules.grades import GradeValue
from services.register.assessment.rules.results import EXEMPT

NEXT_YEAR = date(2026, 9, 15)


def spans(sessions):
    return [(s.start, s.end, s.article) for s in sessions]


def test_sessions_for_classes_eight_to_eleven() -> None:
    sessions = correction_sessions(10, EducationForm.DAILY, classes_end=date(2026, 6, 30), next_year_start=NEXT_YEAR)
    assert spans(sessions) == [
        (date(2026, 7, 1), date(2026, 7, 14), "Чл. 143, ал. 4"),
        (date(2026, 9, 1), date(2026, 9, 14), "Чл. 143, ал. 4"),
        (date(2026, 9, 15), date(2026, 10, 10), "Чл. 143, ал. 7"),
    ]
    assert sessions[0].display == "Първа редовна сесия: от 01.07.2026 до 14.07.2026 (Чл. 143, ал. 4)"


def test_sessions_for_class_twelve_in_may_july_and_january() -> None:
    sessions = correction_sessions(12, EducationForm.DAILY, classes_end=date(2026, 5, 15), next_year_start=NEXT_YEAR)
    assert spans(sessions) == [
        (date(2026, 5, 16), date(2026, 5, 29), "Чл. 143, ал. 5"),
        (date(2026, 7, 1), date(2026, 7, 31), "Чл. 143, ал. 5"),
        (date(2026, 8, 1), date(2026, 10, 10), "Чл. 143, ал. 7"),
        (date(2027, 1, 1), date(2027, 1, 31), "Чл. 143, ал. 8"),
    ]


def test_may_session_of_class_twelve_stays_in_may() -> None:
    (first, *_) = correction_sessions(12, EducationForm.DAILY, classes_end=date(2026, 5, 22), next_year_start=NEXT_YEAR)
    assert (first.start, first.end) == (date(2026, 5, 23), date(2026, 5, 31))


def test_self_study_twelve_uses_april_may_by_default_and_is_configurable() -> None:
    kwargs = {"classes_end": date(2026, 5, 15), "next_year_start": NEXT_YEAR}
    first = correction_sessions(12, EducationForm.SELF_STUDY, **kwargs)[0]
    assert (first.start, first.end, first.article) == (date(2026, 4, 1), date(2026, 5, 31), "Чл. 143, ал. 6")
    per_121 = correction_sessions(12, EducationForm.SELF_STUDY, xii_self_study_first_months=(5,), **kwargs)[0]
    assert (per_121.start, per_121.end) == (date(2026, 5, 1), date(2026, 5, 31))


def test_list_holds_students_with_a_poor_annual_grade() -> None:
    marks = {
        "s2": {"математика": GradeValue.POOR, "химия": GradeValue.POOR, "история": GradeValue.GOOD},
        "s1": {"математика": GradeValue.SATISFACTORY, "физическо възпитание и спорт": EXEMPT},
        "s3": {"физика": GradeValue.POOR, "химия": None},
    }
    plans = correction_exam_list(
        marks, 9, EducationForm.DAILY, classes_end=date(2026, 6, 30), next_year_start=NEXT_YEAR
    )
    assert [(p.student_id, p.subjects) for p in plans] == [("s2", ("математика", "химия")), ("s3", ("физика",))]
    assert all(p.summer_tuition_required for p in plans)
    assert len(plans[0].sessions) == 3


def test_self_study_students_get_no_summer_tuition() -> None:
    (plan,) = correction_exam_list(
        {"s1": {"математика": GradeValue.POOR}},
        12,
        EducationForm.SELF_STUDY,
        classes_end=date(2026, 5, 15),
        next_year_start=NEXT_YEAR,
    )
    assert not plan.summer_tuition_required


def test_an_impossible_session_window_is_refused() -> None:
    with pytest.raises(AssessmentError) as caught:
        correction_sessions(12, EducationForm.DAILY, classes_end=date(2026, 5, 31), next_year_start=NEXT_YEAR)
    assert caught.value.article == "Чл. 143, ал. 5"
    assert "от 01.06.2026 до 31.05.2026 е празен" in caught.value.message
