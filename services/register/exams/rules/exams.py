"""When an exam may be held, who examines and what its result means (Чл. 126; Чл. 137; Чл. 143).

Two kinds are kept: the exam for a term grade (изпит за определяне на срочна оценка, Чл. 125, ал. 3,
т. 2) of a student who could not get one (Чл. 137, ал. 1–2), and the correction exam (поправителен
изпит, Чл. 125, ал. 3, т. 3; Чл. 143) of a student with an annual „слаб (2)“. The правилник names
no rule on who sits in the commission beyond its being a commission (Чл. 126, ал. 1), so only a
chair and at least one other member, all distinct, are required.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from services.register.assessment.rules.corrections import SessionWindow
from services.register.assessment.rules.findings import Violation
from services.register.assessment.rules.grades import GradeValue
from services.register.school.rules.dates import add_months, format_date

COMMISSION_ARTICLE = "Чл. 126, ал. 1"
SECOND_DATE_ARTICLE = "Чл. 137, ал. 4"
EXTENSION_ARTICLE = "Чл. 137, ал. 6"
TERM_EXAM_ARTICLE = "Чл. 137, ал. 1–2"
CORRECTION_ARTICLE = "Чл. 143, ал. 1"
REPEATS_ARTICLE = "Чл. 143, ал. 9"
SUMMER_TUITION_ARTICLE = "Чл. 143, ал. 10"
#: Sessions after which a failed or missed correction exam means repeating the class (Чл. 143, ал. 9):
#: the last regular session. The additional session (ал. 7) is for those kept away by illness and the
#: January one (ал. 8) for XII, so both are named in the outcome, not counted as a further chance.
LAST_REGULAR_SESSION = "Втора редовна сесия"
#: Days after a term's end for the second date of a term-grade exam (Чл. 137, ал. 4).
SECOND_DATE_DAYS = 14
#: Months a term-grade exam may be put off by a PC decision (Чл. 137, ал. 6).
EXTENSION_MONTHS = 1


class ExamKind(StrEnum):
    """Kind of exam held by the school's commission (вид изпит), Чл. 125, ал. 3."""

    TERM_GRADE = "term_grade"
    CORRECTION = "correction"

    @property
    def name_bg(self) -> str:
        return {"term_grade": "изпит за определяне на срочна оценка", "correction": "поправителен изпит"}[self]

    @property
    def article(self) -> str:
        return {"term_grade": "Чл. 125, ал. 3, т. 2; Чл. 137", "correction": "Чл. 125, ал. 3, т. 3; Чл. 143"}[self]


class Outcome(StrEnum):
    """What a result means for the student (последица от изпита)."""

    TERM_GRADE = "term_grade"  # the grade is the term grade (Чл. 137)
    SECOND_DATE = "second_date"  # missed: a second date (Чл. 137, ал. 4)
    ANNUAL_EXAM = "annual_exam"  # missed the second date too: no term grade, exam for the annual one
    ANNUAL_GRADE = "annual_grade"  # passed a correction exam: the grade is the annual grade
    NEXT_SESSION = "next_session"  # failed or missed a correction exam before the last session
    REPEATS_CLASS = "repeats_class"  # failed or missed the last session (Чл. 143, ал. 9)


@dataclass(frozen=True)
class Window:
    """The days an exam may be held on, with the article that gives them."""

    start: dt.date
    end: dt.date
    article: str

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def term_exam_window(term_start: dt.date, term_end: dt.date, *, pc_decision: bool,
                     second_date_days: int = SECOND_DATE_DAYS,
                     extension_months: int = EXTENSION_MONTHS) -> Window:
    """Days for an exam for a term grade: from the term's start to two weeks after its end (Чл. 137,
    ал. 4), or to a month after it when the pedagogical council has put it off (Чл. 137, ал. 6)."""
    if pc_decision:
        return Window(term_start, add_months(term_end, extension_months), EXTENSION_ARTICLE)
    return Window(term_start, term_end + dt.timedelta(days=second_date_days), SECOND_DATE_ARTICLE)


def check_term_exam_date(day: dt.date, window: Window) -> tuple[Violation, ...]:
    if window.holds(day):
        return ()
    return (Violation(
        "exam.date.outside_term_window",
        f"Изпитът за срочна оценка се провежда от {format_date(window.start)} до {format_date(window.end)} "
        f"({window.article}); {format_date(day)} е извън този период.", window.article),)


def session_of(day: dt.date, sessions: Sequence[SessionWindow]) -> SessionWindow | None:
    """The correction session whose window holds ``day``, if any."""
    return next((w for w in sessions if w.start <= day <= w.end), None)


def check_correction_date(day: dt.date, sessions: Sequence[SessionWindow]) -> tuple[Violation, ...]:
    """A correction exam falls inside one of the class's sessions (Чл. 143, ал. 4–8)."""
    if session_of(day, sessions) is not None:
        return ()
    listed = "; ".join(w.display for w in sessions)
    return (Violation("exam.date.outside_sessions",
                      f"{format_date(day)} не е в поправителна сесия за този клас. Сесиите са: {listed}.",
                      "Чл. 143, ал. 4–8"),)


def check_commission(chair_id: int, member_ids: Iterable[int], staff_ids: Iterable[int]) -> tuple[Violation, ...]:
    """A commission (комисия): a chair and at least one other member, distinct, all of the school's staff."""
    members = list(member_ids)
    staff = set(staff_ids)
    found = []
    if not members:
        found.append(Violation("exam.commission.too_small",
                               "Комисията се състои от председател и поне един член (изпитът се оценява от "
                               f"комисия, {COMMISSION_ARTICLE}).", COMMISSION_ARTICLE))
    if chair_id in members or len(set(members)) != len(members):
        found.append(Violation("exam.commission.repeated",
                               "Всеки член на комисията се посочва веднъж и председателят не е и член.",
                               COMMISSION_ARTICLE))
    strangers = [m for m in [chair_id, *members] if m not in staff]
    if strangers:
        found.append(Violation("exam.commission.not_staff",
                               "В комисията участват само служители на училището; непознати: "
                               + ", ".join(str(m) for m in strangers) + ".", COMMISSION_ARTICLE))
    return tuple(found)


def term_exam_outcome(value: GradeValue | None, *, missed_before: bool, term: int,
                      second_date_by: dt.date) -> tuple[Outcome, str]:
    """What the exam for a term grade gives (Чл. 137, ал. 4)."""
    if value is not None:
        return Outcome.TERM_GRADE, f"Срочна оценка за {term}. срок: {value.display} (Чл. 137)."
    if not missed_before:
        return Outcome.SECOND_DATE, (
            f"Не се е явил: определя се втора дата не по-късно от {format_date(second_date_by)} "
            f"({SECOND_DATE_ARTICLE}).")
    return Outcome.ANNUAL_EXAM, (
        f"Не се е явил и на втората дата: не получава срочна оценка за {term}. срок и полага изпит "
        f"за определяне на годишна оценка ({SECOND_DATE_ARTICLE}).")


def correction_outcome(value: GradeValue | None, session: SessionWindow,
                       sessions: Sequence[SessionWindow]) -> tuple[Outcome, str]:
    """What a correction exam gives: the annual grade, the next session, or repeating the class (Чл. 143)."""
    if value is not None and value > GradeValue.POOR:
        return Outcome.ANNUAL_GRADE, f"Годишна оценка след поправителен изпит: {value.display} (Чл. 143, ал. 1)."
    what = "Не се е явил" if value is None else "Не е положил успешно изпита"
    later = [w for w in sessions if w.start > session.end]
    regular = next((w for w in later if w.name_bg == LAST_REGULAR_SESSION), None)
    if regular is not None:
        return Outcome.NEXT_SESSION, (f"{what}: явява се на втората редовна сесия – от {format_date(regular.start)} "
                                      f"до {format_date(regular.end)} ({regular.article}).")
    extra = " ".join(f"{w.name_bg}: до {format_date(w.end)} ({w.article})." for w in later)
    return Outcome.REPEATS_CLASS, (
        f"{what} на поправителния изпит в последната редовна сесия: повтаря класа ({REPEATS_ARTICLE})."
        + (f" Възможни са още: {extra}" if extra else ""))
