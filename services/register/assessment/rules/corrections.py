"""Correction exams (поправителни изпити) and their sessions, Чл. 143.

The director fixes the exact dates by order; this module gives the windows the order must fit.
For XII self-study students the правилник disagrees with itself (Чл. 143, ал. 6: April–May;
Чл. 121, ал. 6, т. 6.3: May; spec §10.B-14), so the months are a parameter.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from services.register.assessment.rules.findings import AssessmentError
from services.register.assessment.rules.grades import GradeValue
from services.register.assessment.rules.results import Mark
from services.register.school.rules.dates import add_months, format_date

#: Weeks after classes end / before the next year starts that hold the regular sessions (ал. 4).
SESSION_WEEKS = 2
#: Day and month by which the additional (medical) session ends (ал. 7).
MEDICAL_SESSION_LATEST = (10, 10)
#: Months of the first regular session for XII self-study students (ал. 6; Чл. 121 says (5,)).
XII_SELF_STUDY_FIRST_MONTHS = (4, 5)
FINAL_CLASS = 12


class EducationForm(StrEnum):
    """Form of education (форма на обучение), Чл. 118–123."""

    DAILY = "daily"  # дневна
    INDIVIDUAL = "individual"  # индивидуална
    SELF_STUDY = "self_study"  # самостоятелна


@dataclass(frozen=True)
class SessionWindow:
    """A correction session: the director's order sets its dates inside ``start``…``end``."""

    name_bg: str
    start: date
    end: date
    article: str

    @property
    def display(self) -> str:
        return f"{self.name_bg}: от {format_date(self.start)} до {format_date(self.end)} ({self.article})"


@dataclass(frozen=True)
class CorrectionPlan:
    """One student on the correction-exam list (Чл. 143, ал. 1)."""

    student_id: str
    subjects: tuple[str, ...]
    sessions: tuple[SessionWindow, ...]
    summer_tuition_required: bool  # Чл. 143, ал. 10: everyone except self-study students


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, _stdlib_calendar.monthrange(year, month)[1])


def _window(name: str, start: date, end: date, article: str) -> SessionWindow:
    if end < start:
        raise AssessmentError(
            "classes_end",
            f"{name}: периодът от {format_date(start)} до {format_date(end)} е празен; проверете датите "
            f"на учебната година ({article}).",
            article,
        )
    return SessionWindow(name, start, end, article)


def correction_sessions(
    grade_level: int,
    form: EducationForm,
    *,
    classes_end: date,
    next_year_start: date,
    session_weeks: int = SESSION_WEEKS,
    medical_latest: tuple[int, int] = MEDICAL_SESSION_LATEST,
    xii_self_study_first_months: tuple[int, ...] = XII_SELF_STUDY_FIRST_MONTHS,
) -> tuple[SessionWindow, ...]:
    """Regular and additional session windows for a class (Чл. 143, ал. 4–8).

    Parameters:
      grade_level: 8–12 (VIII–XII).
      classes_end: last day of classes of that class (XII ends in May).
      next_year_start: first day of the next school year.
    """
    span = timedelta(weeks=session_weeks)
    day, month = medical_latest
    medical_end = date(next_year_start.year, month, day)
    if grade_level < FINAL_CLASS:
        first = _window("Първа редовна сесия", classes_end + timedelta(1), classes_end + span, "Чл. 143, ал. 4")
        second = _window(
            "Втора редовна сесия", next_year_start - span, next_year_start - timedelta(1), "Чл. 143, ал. 4"
        )
        medical = _window("Допълнителна сесия", next_year_start, medical_end, "Чл. 143, ал. 7")
        return first, second, medical
    july_start, july_end = _month(classes_end.year, 7)
    second = _window(
        "Втора редовна сесия", july_start, min(july_end, add_months(next_year_start, -1)), "Чл. 143, ал. 5"
    )
    if form is EducationForm.SELF_STUDY:
        months = sorted(xii_self_study_first_months)
        first = _window(
            "Първа редовна сесия",
            _month(classes_end.year, months[0])[0],
            _month(classes_end.year, months[-1])[1],
            "Чл. 143, ал. 6",
        )
        second = SessionWindow(second.name_bg, second.start, second.end, "Чл. 143, ал. 6")
    else:
        may_start, may_end = _month(classes_end.year, 5)
        first = _window(
            "Първа редовна сесия",
            max(classes_end + timedelta(1), may_start),
            min(classes_end + span, may_end),
            "Чл. 143, ал. 5",
        )
    medical = _window("Допълнителна сесия", july_end + timedelta(1), medical_end, "Чл. 143, ал. 7")
    january = _window("Януарска сесия", *_month(next_year_start.year + 1, 1), "Чл. 143, ал. 8")
    return first, second, medical, january


def correction_exam_list(
    annual_marks: Mapping[str, Mapping[str, Mark | None]],
    grade_level: int,
    form: EducationForm,
    *,
    classes_end: date,
    next_year_start: date,
    xii_self_study_first_months: tuple[int, ...] = XII_SELF_STUDY_FIRST_MONTHS,
) -> tuple[CorrectionPlan, ...]:
    """Students with an annual „слаб“ (2) in some subject, sorted by id (Чл. 143, ал. 1, ал. 10).

    Parameters:
      annual_marks: student id → subject name → annual grade of one class.
    """
    sessions = correction_sessions(
        grade_level,
        form,
        classes_end=classes_end,
        next_year_start=next_year_start,
        xii_self_study_first_months=xii_self_study_first_months,
    )
    plans = []
    for student_id in sorted(annual_marks):
        failed = tuple(subject for subject, mark in annual_marks[student_id].items() if mark is GradeValue.POOR)
        if failed:
            plans.append(CorrectionPlan(student_id, failed, sessions, form is not EducationForm.SELF_STUDY))
    return tuple(plans)
