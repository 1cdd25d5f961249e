"""Term grades (срочни оценки): when one may be formed, and when (Чл. 137; PE exemptions, Чл. 27).

The 25 % rule of Чл. 137, ал. 2: "a term grade is not formed without the minimum number of current
assessments because of absence from more than 25 % of the hours". The register reads it as the text
says (``absence_requires_shortfall=True``, setting ``term_grade_absence_alone=false``): the absences
withhold the grade when the minimum is missing. The stricter reading of spec §0.2/§4.6, where more
than 25 % missed hours alone withholds it, is the setting ``term_grade_absence_alone=true``
(``absence_requires_shortfall=False``, this function's default for its callers of old).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from services.register.assessment.rules.findings import AssessmentError, Violation
from services.register.assessment.rules.grades import GradeKind
from services.register.assessment.rules.minimums import MinimumRequirement, shortfall
from services.register.assessment.rules.ports import SchoolDayCalendar
from services.register.school.rules.dates import add_months, format_date

MINIMUM_ARTICLE = "Чл. 137, ал. 1"
ABSENCE_ARTICLE = "Чл. 137, ал. 2"
PE_EXEMPT_ARTICLE = "Чл. 137, ал. 3"
SECOND_DATE_ARTICLE = "Чл. 137, ал. 4"
WINDOW_ARTICLE = "Чл. 137, ал. 5"
EXTENSION_ARTICLE = "Чл. 137, ал. 6"
PE_EXEMPTION_ARTICLE = "Чл. 27, ал. 3"

#: The record written against PE for an exempted student (Чл. 137, ал. 3).
EXEMPT_LABEL = "освободен"
#: Share of the subject's hours a student may miss before the term grade is blocked, in percent.
ABSENCE_THRESHOLD_PERCENT = 25
#: School days in the "one school week" that opens the term-grade window (Чл. 137, ал. 5).
WINDOW_OPENS_SCHOOL_DAYS = 5
#: School days before the end of term by which term grades are formed (Чл. 137, ал. 5).
WINDOW_CLOSES_SCHOOL_DAYS = 2
#: Weeks after the end of term for the second date of a term-grade exam (Чл. 137, ал. 4).
SECOND_DATE_WEEKS = 2
#: Longest extension of the window a PC decision may grant, in months (Чл. 137, ал. 6).
EXTENSION_MAX_MONTHS = 1


@dataclass(frozen=True)
class PeExemption:
    """Exemption from physical education (освобождаване от ФВС), ordered by the director (Чл. 27).

    Parameters:
      start, end: the exemption period set in the order (Чл. 27, ал. 3), inclusive.
      order_ref: number and date of the director's order.
      activity: what the student does during PE hours (Чл. 27, ал. 4).
    """

    student_id: str
    start: date
    end: date
    order_ref: str = ""
    activity: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise AssessmentError(
                "end",
                f"Срокът на освобождаването не може да завършва ({format_date(self.end)}) преди да е "
                f"започнал ({format_date(self.start)}) ({PE_EXEMPTION_ARTICLE}).",
                PE_EXEMPTION_ARTICLE,
            )

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and start <= self.end

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class TermGradeCheck:
    """Whether a term grade may be formed.

    Parameters:
      ok: the teacher may form the term grade.
      reasons: why not, each with its article.
      exam_required: the student is listed for an exam for a term grade (Чл. 137, ал. 1–2).
      record: what to write instead of a grade, e.g. ``освободен`` (Чл. 137, ал. 3).
    """

    ok: bool
    reasons: tuple[Violation, ...] = ()
    exam_required: bool = False
    record: str | None = None


def absence_exceeds(absent_hours: int, subject_hours: int, *, threshold_percent: int) -> bool:
    """More than ``threshold_percent`` of the subject's hours missed (strictly more, "повече от")."""
    if subject_hours <= 0:
        return False
    return Fraction(absent_hours, subject_hours) > Fraction(threshold_percent, 100)


def check_can_form_term_grade(
    requirement: MinimumRequirement,
    grade_kinds: Sequence[GradeKind],
    *,
    subject_hours: int,
    absent_hours: int,
    term_start: date,
    term_end: date,
    pe_exemption: PeExemption | None = None,
    absence_threshold_percent: int = ABSENCE_THRESHOLD_PERCENT,
    absence_requires_shortfall: bool = False,
) -> TermGradeCheck:
    """Can the term grade be formed from these current grades and absences (Чл. 137, ал. 1–3, 7)?

    Parameters:
      requirement: the minimum for the subject (:func:`minimum_current_grades`).
      grade_kinds: kinds of the current grades the student has in the term.
      subject_hours: hours of the subject held in the term; absent_hours: of those, missed.
      pe_exemption: a PE exemption of the student, if any; it counts only if it overlaps the term.
    """
    if requirement.annual_only:
        reason = Violation(
            "term.production_practice",
            f"По производствена практика не се оформя срочна оценка, а само годишна ({requirement.article}).",
            requirement.article,
        )
        return TermGradeCheck(ok=False, reasons=(reason,))
    missing = shortfall(requirement, grade_kinds)
    if missing and pe_exemption is not None and pe_exemption.overlaps(term_start, term_end):
        reason = Violation(
            "term.pe_exempt",
            f"Ученикът е освободен от {format_date(pe_exemption.start)} до {format_date(pe_exemption.end)} "
            f"и не може да има минималния брой текущи изпитвания; записва се „{EXEMPT_LABEL}“ "
            f"({PE_EXEMPT_ARTICLE}).",
            PE_EXEMPT_ARTICLE,
        )
        return TermGradeCheck(ok=False, reasons=(reason,), record=EXEMPT_LABEL)
    reasons = []
    if missing:
        reasons.append(
            Violation(
                "term.minimum_missing",
                f"Няма минималния брой текущи оценки ({requirement.article}): {'; '.join(missing)}. "
                f"Срочна оценка не се поставя; ученикът полага изпит за определяне на срочна оценка "
                f"({MINIMUM_ARTICLE}).",
                MINIMUM_ARTICLE,
            )
        )
    over = absence_exceeds(absent_hours, subject_hours, threshold_percent=absence_threshold_percent)
    if over and (missing or not absence_requires_shortfall):
        percent = Fraction(100 * absent_hours, subject_hours)
        shown = f"{float(percent):.1f}".replace(".", ",")
        reasons.append(
            Violation(
                "term.absence_over_threshold",
                f"Ученикът е отсъствал в {absent_hours} от {subject_hours} часа по предмета ({shown} %), "
                f"повече от {absence_threshold_percent} %. Срочна оценка не се формира; ученикът полага "
                f"изпит за определяне на срочна оценка ({ABSENCE_ARTICLE}).",
                ABSENCE_ARTICLE,
            )
        )
    if reasons:
        return TermGradeCheck(ok=False, reasons=tuple(reasons), exam_required=True)
    return TermGradeCheck(ok=True)


@dataclass(frozen=True)
class DateWindow:
    """An inclusive range of dates in which something is allowed."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def display(self) -> str:
        return f"от {format_date(self.start)} до {format_date(self.end)}"


def term_grade_window(
    calendar: SchoolDayCalendar,
    term_end: date,
    *,
    opens_school_days: int = WINDOW_OPENS_SCHOOL_DAYS,
    closes_school_days: int = WINDOW_CLOSES_SCHOOL_DAYS,
) -> DateWindow:
    """Days on which term grades are formed (Чл. 137, ал. 5).

    "Not earlier than one school week" opens the window on the first of the term's last five
    school days; "not later than two school days before the end" closes it on the day before the
    last two school days. A term ending on Friday 30.01 gives Monday 26.01 … Wednesday 28.01.
    """
    last = term_end if calendar.is_school_day(term_end) else calendar.add_school_days(term_end, -1)
    return DateWindow(
        calendar.add_school_days(last, -(opens_school_days - 1)),
        calendar.add_school_days(last, -closes_school_days),
    )


def check_term_grade_date(
    calendar: SchoolDayCalendar,
    term_end: date,
    formed_on: date,
    *,
    extended_until: date | None = None,
    opens_school_days: int = WINDOW_OPENS_SCHOOL_DAYS,
    closes_school_days: int = WINDOW_CLOSES_SCHOOL_DAYS,
) -> tuple[Violation, ...]:
    """Refusals for forming a term grade on ``formed_on``; ``extended_until`` is a PC extension."""
    window = term_grade_window(
        calendar, term_end, opens_school_days=opens_school_days, closes_school_days=closes_school_days
    )
    if formed_on in window or (extended_until and window.start <= formed_on <= extended_until):
        return ()
    return (
        Violation(
            "term.outside_window",
            f"Срочната оценка се оформя не по-рано от една учебна седмица и не по-късно от два учебни дни "
            f"преди края на срока, т.е. {window.display}; датата {format_date(formed_on)} е извън този "
            f"период ({WINDOW_ARTICLE}).",
            WINDOW_ARTICLE,
        ),
    )


def check_term_extension(
    window: DateWindow,
    extended_until: date,
    *,
    has_medical_document: bool,
    absence_over_threshold: bool,
    max_months: int = EXTENSION_MAX_MONTHS,
) -> tuple[Violation, ...]:
    """A PC extension: at most a month, only for long illness proven by a medical document (ал. 6)."""
    found = []
    if not (has_medical_document and absence_over_threshold):
        found.append(
            Violation(
                "term.extension_grounds",
                "Удължаване на срока за срочна оценка се допуска само за ученик с отсъствия над 25 % "
                f"поради продължителни здравословни проблеми, удостоверени с медицински документ "
                f"({EXTENSION_ARTICLE}).",
                EXTENSION_ARTICLE,
            )
        )
    latest = add_months(window.end, max_months)
    if extended_until > latest:
        found.append(
            Violation(
                "term.extension_too_long",
                f"Срокът може да се удължи с не повече от един месец, т.е. до {format_date(latest)}; "
                f"{format_date(extended_until)} е след това ({EXTENSION_ARTICLE}).",
                EXTENSION_ARTICLE,
            )
        )
    return tuple(found)


def second_exam_latest(term_end: date, *, weeks: int = SECOND_DATE_WEEKS) -> date:
    """Latest second date for a missed term-grade exam: two weeks after the term (Чл. 137, ал. 4)."""
    return term_end + timedelta(weeks=weeks)
