"""Current grades (текущи оценки): the scale, the kinds of assessment and the entry rules.

Articles: Чл. 127 (scale), Чл. 130, 133, 134 (kinds), Чл. 139 (who enters a grade and by when).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum, StrEnum

from services.register.assessment.rules.findings import AssessmentError, Violation
from services.register.school.rules.dates import format_date

SCALE_ARTICLE = "Чл. 127, ал. 2"
ENTRY_BY_TEACHER_ARTICLE = "Чл. 139, ал. 1"
ENTRY_SAME_DAY_ARTICLE = "Чл. 139, ал. 2, т. 1"
ENTRY_WRITTEN_ARTICLE = "Чл. 139, ал. 2, т. 2"
ENTRY_FORMED_ARTICLE = "Чл. 139, ал. 2, т. 3"
ENTRY_LEVEL_ARTICLE = "Чл. 128, ал. 2"
EXIT_LEVEL_ARTICLE = "Чл. 128, ал. 4"

#: Calendar days after a written assessment by which its grade must be entered ("до една седмица").
WRITTEN_ENTRY_DAYS = 7
#: Weeks from the school year's start within which the entry-level test is held (Чл. 128, ал. 2).
ENTRY_LEVEL_WEEKS = 3
#: Weeks before the annual grade is formed (the last day of classes) that hold the exit-level test (Чл. 128, ал. 4).
EXIT_LEVEL_WEEKS = 2

_COUNT_WORDS = {1: "една", 2: "две", 3: "три", 4: "четири"}


def weeks_text(weeks: int) -> str:
    """„три седмици“, „една седмица“: a window of the rulebook as it words it, whatever the school set."""
    return f"{_COUNT_WORDS.get(weeks, weeks)} {'седмица' if weeks == 1 else 'седмици'}"


def days_text(days: int) -> str:
    """Whole weeks as weeks („една седмица“, the rulebook's 7 days), other counts in days."""
    if days % 7 == 0:
        return weeks_text(days // 7)
    return f"{days} {'ден' if days == 1 else 'дни'}"


_GRADE_NAMES = {2: "слаб", 3: "среден", 4: "добър", 5: "много добър", 6: "отличен"}


class GradeValue(IntEnum):
    """A grade on the six-point scale (оценка), Чл. 127, ал. 2; 1 does not exist in school."""

    POOR = 2
    SATISFACTORY = 3
    GOOD = 4
    VERY_GOOD = 5
    EXCELLENT = 6

    @property
    def name_bg(self) -> str:
        """The qualitative indicator (качествен показател): ``слаб`` … ``отличен``."""
        return _GRADE_NAMES[self.value]

    @property
    def display(self) -> str:
        """As printed in documents: ``много добър (5)``."""
        return f"{self.name_bg} ({self.value})"

    @classmethod
    def parse(cls, value: object) -> GradeValue:
        """Accept an int 2–6 (also ``"5"``); anything else is refused with the article."""
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if str(number) != str(value).strip() or number not in _GRADE_NAMES:
            raise AssessmentError(
                "value",
                f"Оценката „{value}“ е невалидна: допустими са цели числа от 2 до 6 ({SCALE_ARTICLE}).",
                SCALE_ARTICLE,
            )
        return cls(number)


class GradeKind(StrEnum):
    """Kind of current assessment (вид текущо изпитване), Чл. 130, ал. 1; Чл. 133; Чл. 134; Чл. 128.

    The entry-level test (входно равнище) is written and counts towards the minimum number of current
    grades (Чл. 128, ал. 2; Чл. 129, ал. 3). For the exit-level test (изходно ниво, Чл. 128, ал. 4) the
    правилник gives neither form nor a place in the minimum: it is kept as written (the week to enter
    it) and, since only the entry test is named in Чл. 129, ал. 3, not counted towards the minimum.
    """

    ORAL = "oral"
    WRITTEN = "written"
    PRACTICAL = "practical"
    CONTROL = "control"
    CLASSWORK = "classwork"
    ENTRY_LEVEL = "entry"
    EXIT_LEVEL = "exit"

    @property
    def name_bg(self) -> str:
        return _KIND_NAMES[self]

    @property
    def is_written(self) -> bool:
        """Control and class works are group written assessments (Чл. 133, ал. 1; Чл. 134, ал. 1)."""
        return self in {GradeKind.WRITTEN, GradeKind.CONTROL, GradeKind.CLASSWORK, GradeKind.ENTRY_LEVEL,
                        GradeKind.EXIT_LEVEL}

    @property
    def counts_toward_minimum(self) -> bool:
        """Counted in the minimum of Чл. 129: all but the exit-level test (ал. 3 names only the entry one)."""
        return self is not GradeKind.EXIT_LEVEL


_KIND_NAMES = {
    GradeKind.ORAL: "устно изпитване",
    GradeKind.WRITTEN: "писмено изпитване",
    GradeKind.PRACTICAL: "практическо изпитване",
    GradeKind.CONTROL: "контролна работа",
    GradeKind.CLASSWORK: "класна работа",
    GradeKind.ENTRY_LEVEL: "входно равнище",
    GradeKind.EXIT_LEVEL: "изходно ниво",
}


def check_exit_level_subject(kind: GradeKind, *, has_term_paper: bool) -> tuple[Violation, ...]:
    """The exit-level test is for subjects with no term paper (класна работа) and no external assessment
    (Чл. 128, ал. 4); the register knows the term papers of the class's schedule (Чл. 136)."""
    if kind is not GradeKind.EXIT_LEVEL or not has_term_paper:
        return ()
    return (Violation("grade.exit_level.term_paper",
                      "Изходно ниво се провежда само по предмети без класна работа и без външно оценяване "
                      f"({EXIT_LEVEL_ARTICLE}); по този предмет в паралелката има класна работа.", EXIT_LEVEL_ARTICLE),)


def check_level_test_date(kind: GradeKind, day: date, *, year_start: date, classes_end: date,
                          entry_weeks: int = ENTRY_LEVEL_WEEKS, exit_weeks: int = EXIT_LEVEL_WEEKS
                          ) -> tuple[Violation, ...]:
    """The entry-level test in the year's first ``entry_weeks`` (three, Чл. 128, ал. 2); the exit-level one in
    the ``exit_weeks`` (two) before the annual grade, i.e. before the class's last day of classes (Чл. 128, ал. 4).
    The rulebook's weeks are the defaults of ``SCHOOL_ENTRY_LEVEL_WEEKS`` and ``SCHOOL_EXIT_LEVEL_WEEKS``."""
    if kind is GradeKind.ENTRY_LEVEL:
        last = year_start + timedelta(weeks=entry_weeks) - timedelta(days=1)
        if year_start <= day <= last:
            return ()
        return (Violation("grade.entry_level.late",
                          f"Входното равнище се провежда до {weeks_text(entry_weeks)} от началото на учебната "
                          "година, т.е. "
                          f"от {format_date(year_start)} до {format_date(last)} ({ENTRY_LEVEL_ARTICLE}).",
                          ENTRY_LEVEL_ARTICLE),)
    if kind is GradeKind.EXIT_LEVEL:
        first = classes_end - timedelta(weeks=exit_weeks) + timedelta(days=1)
        if first <= day <= classes_end:
            return ()
        return (Violation("grade.exit_level.outside",
                          f"Изходното ниво се провежда {weeks_text(exit_weeks)} преди оформянето на годишната "
                          "оценка, т.е. "
                          f"от {format_date(first)} до {format_date(classes_end)} ({EXIT_LEVEL_ARTICLE}).",
                          EXIT_LEVEL_ARTICLE),)
    return ()


@dataclass(frozen=True)
class TeachingAssignment:
    """Who teaches which subject to which class (преподаващ учител), from the timetable."""

    teacher_id: str
    subject_id: str
    class_id: str


@dataclass(frozen=True)
class GradeEntry:
    """A current grade a teacher wants to enter (вписване на текуща оценка)."""

    student_id: str
    subject_id: str
    class_id: str
    teacher_id: str
    value: GradeValue
    kind: GradeKind
    assessed_on: date


def entry_deadline(kind: GradeKind, assessed_on: date, *, written_entry_days: int = WRITTEN_ENTRY_DAYS) -> date:
    """Last day to enter a current grade: same day for oral and practical, a week for written ones."""
    if kind.is_written:
        return assessed_on + timedelta(days=written_entry_days)
    return assessed_on


def check_entry_deadline(
    kind: GradeKind, assessed_on: date, entered_on: date, *, written_entry_days: int = WRITTEN_ENTRY_DAYS
) -> tuple[Violation, ...]:
    """Refusals for entering a current grade too early or too late (Чл. 139, ал. 2, т. 1–2)."""
    article = ENTRY_WRITTEN_ARTICLE if kind.is_written else ENTRY_SAME_DAY_ARTICLE
    if entered_on < assessed_on:
        return (
            Violation(
                "grade.entry.before_assessment",
                f"Оценката не може да бъде вписана на {format_date(entered_on)}, преди изпитването "
                f"на {format_date(assessed_on)} ({article}).",
                article,
            ),
        )
    deadline = entry_deadline(kind, assessed_on, written_entry_days=written_entry_days)
    if entered_on <= deadline:
        return ()
    if kind.is_written:
        rule = f"до {days_text(written_entry_days)} след изпитването, т.е. до {format_date(deadline)} включително"
    else:
        rule = f"в деня на изпитването, {format_date(deadline)}"
    return (
        Violation(
            "grade.entry.late",
            f"Оценката от {kind.name_bg} на {format_date(assessed_on)} трябва да бъде вписана {rule} "
            f"({article}); вписването на {format_date(entered_on)} е закъсняло.",
            article,
        ),
    )


def check_formed_grade_entry(formed_on: date, entered_on: date) -> tuple[Violation, ...]:
    """Term and annual grades are entered on the day they are formed (Чл. 139, ал. 2, т. 3)."""
    if entered_on == formed_on:
        return ()
    return (
        Violation(
            "grade.entry.formed_not_same_day",
            f"Срочната и годишната оценка се вписват в деня на оформянето им ({format_date(formed_on)}), "
            f"а не на {format_date(entered_on)} ({ENTRY_FORMED_ARTICLE}).",
            ENTRY_FORMED_ARTICLE,
        ),
    )


def check_may_enter_grade(
    teacher_id: str, subject_id: str, class_id: str, assignments: Iterable[TeachingAssignment]
) -> tuple[Violation, ...]:
    """Only the subject's teacher of that class enters its grades, personally (Чл. 139, ал. 1)."""
    if TeachingAssignment(teacher_id, subject_id, class_id) in set(assignments):
        return ()
    return (
        Violation(
            "grade.entry.not_subject_teacher",
            "Оценката може да бъде вписана само лично от учителя, който преподава предмета в тази "
            f"паралелка и е поставил оценката ({ENTRY_BY_TEACHER_ARTICLE}).",
            ENTRY_BY_TEACHER_ARTICLE,
        ),
    )


def validate_grade_entry(
    entry: GradeEntry,
    assignments: Iterable[TeachingAssignment],
    entered_on: date,
    *,
    written_entry_days: int = WRITTEN_ENTRY_DAYS,
) -> tuple[Violation, ...]:
    """All refusals for one current-grade entry: author, then deadline; empty when it may be saved."""
    return check_may_enter_grade(entry.teacher_id, entry.subject_id, entry.class_id, assignments) + (
        check_entry_deadline(entry.kind, entry.assessed_on, entered_on, written_entry_days=written_entry_days)
    )
