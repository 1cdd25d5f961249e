"""The child-benefit list (Чл. 97, т. 15) and the РУО monthly report as .xlsx (openpyxl)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import sqlalchemy as sa
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from services.register.exports.benefit import BenefitCriterion, whole_unexcused
from services.register.exports.neispuo import calendar_month
from services.register.models.absences import Absence, RuleFiring
from services.register.models.people import Student

LADDER = "parent_notification_ladder"
#: Unexcused hours a year from which a student counts as at risk of dropping out (the ladder's rung
#: where Чл. 97, т. 8 speaks of students at risk: 20).
AT_RISK_FROM = 20


def benefit_students(session: Session, school_year: int, month: int, *, criterion: BenefitCriterion | None,
                     late_half_hours: int) -> list[dict]:
    """The students on the month's list (the rule pack's ``child_benefit_list``), and whether their parents were told.

    Counted as the rule counts (:mod:`services.register.exports.benefit`): whole unexcused absences,
    two latenesses making one (Чл. 61, ал. 5). ``criterion`` None: the school's pack has no such rule.
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
    notified = dict(session.execute(sa.select(RuleFiring.student_id, sa.func.max(RuleFiring.fired_at)).where(
        RuleFiring.rule_id == LADDER, RuleFiring.student_id.in_(chosen)).group_by(RuleFiring.student_id)).all())
    return [{"student_id": st.id, "name": st.full_name, "class_name": st.class_code, "unexcused": chosen[st.id],
             "parents_notified_on": notified[st.id].date() if st.id in notified else None} for st in students]


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


def benefit_workbook(rows: list[dict], school_year: int, month: int, criterion: str) -> bytes:
    """``criterion`` is the school's threshold in words (e.g. „повече от 5“), as the list states it."""
    first, _last = calendar_month(school_year, month)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Справка ЗАС"
    _sheet_header(sheet, f"Ученици с {criterion} неизвинени отсъствия през {first:%m.%Y} г. (Чл. 97, т. 15)",
                  ["№", "Ученик", "Паралелка", "Неизвинени отсъствия (Чл. 61, ал. 5)", "Родителите уведомени на"])
    for number, row in enumerate(rows, start=1):
        told = row["parents_notified_on"]
        sheet.append([number, row["name"], row["class_name"], row["unexcused"],
                      f"{told:%d.%m.%Y}" if told else "НЕ СА УВЕДОМЕНИ"])
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
