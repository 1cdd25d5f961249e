"""The child-benefit list (Чл. 97, т. 15) and the РУО monthly report as .xlsx (openpyxl)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import sqlalchemy as sa
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from services.register.exports import notices
from services.register.exports.benefit import BenefitCriterion, whole_unexcused
from services.register.exports.neispuo import calendar_month
from services.register.models.absences import Absence
from services.register.models.people import Student

#: Unexcused hours a year from which a student counts as at risk of dropping out (the ladder's rung
#: where Чл. 97, т. 8 speaks of students at risk: 20).
AT_RISK_FROM = 20


def benefit_students(session: Session, school_year: int, month: int, *, criterion: BenefitCriterion | None,
                     late_half_hours: int, listed_on: dt.date) -> list[dict]:
    """The students on the month's list (the rule pack's ``child_benefit_list``), each with their L7.

    Counted as the rule counts (:mod:`services.register.exports.benefit`): whole unexcused absences,
    two latenesses making one (Чл. 61, ал. 5). ``criterion`` None: the school's pack has no such rule.
    Each row cites the parents' prior notice (L7, Чл. 97, т. 15) by its outgoing number and date;
    ``parents_notified_on`` is that date only when the notice went out on or before ``listed_on``,
    the list's date — otherwise the student is not yet to be reported (:func:`benefit_workbook`).
    """
    if criterion is None:
        return []
    first, last = calendar_month(school_year, month)
    chosen = {sid: absences for sid, absences in
              whole_unexcused(session, first, last, late_half_hours).items() if criterion.lists(absences)}
    if not chosen:
        return []
    students = session.scalars(sa.select(Student).where(Student.id.in_(chosen))
                               .order_by(Student.class_code, Student.last_name, Student.first_name)).all()
    sent = notices.notices_of(session, f"{first:%Y-%m}", chosen)
    rows = []
    for st in students:
        notice = sent.get(st.id)
        rows.append({"student_id": st.id, "name": st.full_name, "class_name": st.class_code, "unexcused": chosen[st.id],
                     "notice_number": notice.number if notice else None,
                     "notice_sent_on": notice.sent_on if notice else None,
                     "parents_notified_on": notice.sent_on if notice and notice.sent_on <= listed_on else None})
    return rows


def _sheet_header(sheet, title: str, columns: list[str]) -> None:
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(columns)
    for cell in sheet[2]:
        cell.font = Font(bold=True)


def _save(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: What the list says of a student whose L7 did not go out before the list's date.
NOT_NOTIFIED = "НЕ Е ИЗПРАТЕНО ПРЕДИ СПРАВКАТА"


def notice_cell(row: dict) -> str:
    """The L7 as the list cites it: „Изх. № 318/20.10.2023 г.“, or that none went out in time."""
    if row["parents_notified_on"] is not None:
        return f"Изх. № {row['notice_number']} г."
    if row.get("notice_number"):
        return f"{NOT_NOTIFIED} (Изх. № {row['notice_number']} г.)"
    return NOT_NOTIFIED


def benefit_workbook(rows: list[dict], school_year: int, month: int, criterion: str) -> bytes:
    """The ЗАС list (L8) with each student's prior notice to the parents (L7), both Чл. 97, т. 15.

    ``criterion`` is the school's threshold in words (e.g. „повече от 5“), as the list states it.
    A student whose L7 was not sent before the list's date is listed with „НЕ Е ИЗПРАТЕНО ПРЕДИ
    СПРАВКАТА“ and left off the class teacher's Word list: the rulebook makes the written notice a
    precondition. The office then has the notice sent (documents draws it up when the rule fires;
    a missing one the class teacher draws up from the template „child_benefit_notice“), and prepares
    the month again once it has gone out (``POST /exports/monthly``): the student is listed then,
    citing it, and the list is handed in by the 5th.
    """
    first, _last = calendar_month(school_year, month)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Справка ЗАС"
    _sheet_header(sheet, f"Ученици с {criterion} неизвинени отсъствия през {first:%m.%Y} г. (Чл. 97, т. 15)",
                  ["№", "Ученик", "Паралелка", "Неизвинени отсъствия (Чл. 61, ал. 5)",
                   "Писмено уведомление до родителите (Чл. 97, т. 15)"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, row["name"], row["class_name"], row["unexcused"], notice_cell(row)])
    return _save(book)


def ruo_workbook(session: Session, school_year: int, month: int, late_half_hours: int) -> bytes:
    """Per class and per student: excused, unexcused and late for the month and the year to date."""
    first, last = calendar_month(school_year, month)
    year_start = dt.date(school_year, 9, 1)
    counts = {}
    for label, start in (("month", first), ("year", year_start)):
        for sid, kind, n in session.execute(sa.select(Absence.student_id, Absence.kind, sa.func.count()).where(
                Absence.date >= start, Absence.date <= last).group_by(Absence.student_id, Absence.kind)):
            counts.setdefault(sid, {}).setdefault(label, {})[kind] = n
    students = session.scalars(sa.select(Student).order_by(Student.class_code, Student.last_name,
                                                           Student.first_name)).all()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "По ученици"
    _sheet_header(sheet, f"Отсъствия за {first:%m.%Y} г. и от началото на учебната {school_year}/{school_year + 1} г.",
                  ["Паралелка", "Ученик", "Извинени (месец)", "Неизвинени (месец)", "Закъснения (месец)",
                   "Извинени (година)", "Неизвинени (година)", "Закъснения (година)", "Застрашен от отпадане"])
    per_class: dict[str, list[float]] = {}
    for st in students:
        month_counts = counts.get(st.id, {}).get("month", {})
        year_counts = counts.get(st.id, {}).get("year", {})
        values = [month_counts.get(k, 0) for k in ("excused", "unexcused", "late")]
        values += [year_counts.get(k, 0) for k in ("excused", "unexcused", "late")]
        year_unexcused = values[4] + values[5] * late_half_hours / 2
        sheet.append([st.class_code, st.full_name, *values, "да" if year_unexcused >= AT_RISK_FROM else ""])
        totals = per_class.setdefault(st.class_code, [0] * 6)
        per_class[st.class_code] = [a + b for a, b in zip(totals, values, strict=True)]
    classes = book.create_sheet("По паралелки")
    _sheet_header(classes, "Обобщено по паралелки", ["Паралелка", "Извинени (месец)", "Неизвинени (месец)",
                  "Закъснения (месец)", "Извинени (година)", "Неизвинени (година)", "Закъснения (година)"])
    for code in sorted(per_class):
        classes.append([code, *per_class[code]])
    return _save(book)
