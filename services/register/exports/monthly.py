"""The month's exports, prepared and kept: on the 1st by the scheduler, or on request by the office.

A preparation makes the НЕИСПУО file (Чл. 97, т. 10), the ЗАС list (Чл. 97, т. 15) and the РУО
report, keeps them with their checksums, and in the same transaction announces them: the office is
told (notifications), the class teachers' Word lists for ЗАС are drawn up (documents), and
"submitted by the 5th" becomes a tracked procedure (planning) until someone marks the month
submitted here.  A month with problems (a name Windows-1251 cannot hold, an invalid ЕГН) keeps its
two workbooks, withholds the НЕИСПУО file, and names every problem.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from sqlalchemy.orm import Session

from services.register.exports import neispuo, workbooks
from services.register.exports.benefit import BenefitCriterion, criterion_of
from services.register.models import TABLES
from services.register.models.exports import ExportFile, MonthlyExport
from services.register.models.school import School
from shared import audit
from shared.auth.principal import Principal
from shared.dates import MONTH_NAMES
from shared.runtime import ServiceRuntime

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEISPUO_MIMETYPE = "text/plain; charset=windows-1251"
#: The day of the month by which the previous month is handed in (Чл. 97, т. 10 и т. 15).
SUBMIT_BY_DAY = 5
#: Months with no lessons: nothing to hand in for them (the catalogue's D06 skips them too).
NO_LESSON_MONTHS = (7, 8)
#: Who is told that the month's files are ready.
EXPORT_RECIPIENTS = ("secretary", "director")


@dataclasses.dataclass(frozen=True)
class ExportMonth:
    """A month as НЕИСПУО names it: the school year's first year and the calendar month."""

    school_year: int
    month: int

    @property
    def first(self) -> dt.date:
        return neispuo.calendar_month(self.school_year, self.month)[0]

    @property
    def last(self) -> dt.date:
        return neispuo.calendar_month(self.school_year, self.month)[1]

    @property
    def key(self) -> str:
        return f"{self.first:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.first.year}"

    @property
    def submit_by(self) -> dt.date:
        following = (self.first + dt.timedelta(days=32)).replace(day=1)
        return following.replace(day=SUBMIT_BY_DAY)


def previous_month(today: dt.date) -> ExportMonth | None:
    """The month to hand in during ``today``'s month, or None after a month without lessons."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    if last.month in NO_LESSON_MONTHS:
        return None
    return ExportMonth(last.year if last.month >= 9 else last.year - 1, last.month)


def criterion_words(criterion: BenefitCriterion | None) -> str:
    """The list's criterion as the letter says it: „повече от 5“ or „5 и повече“ (from the rule pack)."""
    return criterion.words if criterion is not None else "(правилото за справката до ЗАС не е в пакета с правила)"


def prepare(session: Session, rt: ServiceRuntime, month: ExportMonth, *, who: Principal,
            schedule_key: str | None = None) -> MonthlyExport:
    """Make, keep and announce the month's files; raises ExportProblemsError if the school is unknown."""
    settings = rt.settings
    if session.get(School, 1) is None:
        raise neispuo.ExportProblemsError({"school": ["Данните на училището (код по НЕИСПУО) не са въведени."]})
    files: list[tuple[str, str, str, bytes]] = []
    problems: dict[str, list[str]] = {}
    try:
        month_file = neispuo.build(session, month.school_year, month.month, late_half_hours=settings.late_half_hours)
        files.append(("neispuo", month_file.name, NEISPUO_MIMETYPE, month_file.content))
    except neispuo.ExportProblemsError as exc:
        problems = exc.problems
    chosen = criterion_of(rt.components.rule_pack)
    criterion = criterion_words(chosen)
    rows = workbooks.benefit_students(session, month.school_year, month.month, criterion=chosen,
                                      late_half_hours=settings.late_half_hours, listed_on=rt.clock.today())
    files.append(("benefit", f"zas_{month.key}.xlsx", XLSX,
                  workbooks.benefit_workbook(rows, month.school_year, month.month, criterion)))
    files.append(("ruo", f"ruo_{month.key}.xlsx", XLSX,
                  workbooks.ruo_workbook(session, month.school_year, month.month, settings.late_half_hours)))
    export = MonthlyExport(school_year=month.school_year, month=month.month, schedule_key=schedule_key,
                           status="problems" if problems else "ready", problems=problems,
                           benefit_rows=[_json_row(r) for r in rows], prepared_by=who.id)
    session.add(export)
    session.flush()
    for kind, name, mimetype, content in files:
        session.add(ExportFile(export_id=export.id, kind=kind, name=name, mimetype=mimetype, content=content,
                               sha256=hashlib.sha256(content).hexdigest()))
    audit.record(session, TABLES, who, "export.prepare", "monthly_export", export.id,
                 after={"month": month.key, "status": export.status, "files": [f[0] for f in files],
                        "problems": len(problems)})
    _announce(session, rt, export, month, criterion)
    return export


def _json_row(row: dict) -> dict:
    return {**row, **{key: row[key].isoformat() if row[key] else None
                      for key in ("parents_notified_on", "notice_sent_on")}}


def _announce(session: Session, rt: ServiceRuntime, export: MonthlyExport, month: ExportMonth,
              criterion: str) -> None:
    rt.publish(session, "register.monthly_exports_ready", {
        "export_id": export.id, "school_year": month.school_year, "month": month.month, "label": month.label,
        "status": export.status, "problems": [text for texts in export.problems.values() for text in texts],
        "submit_by": month.submit_by.isoformat(), "criterion": criterion, "benefit": export.benefit_rows,
        "recipients": list(EXPORT_RECIPIENTS),
    })
    duties = [("D06", f"Месечна справка за отсъствията за {month.label} г. (НЕИСПУО)", "Чл. 97, т. 10")]
    if export.benefit_rows:
        duties.append(("D07", f"Поименна справка до ЗАС за {month.label} г.", "Чл. 97, т. 15; Чл. 61, ал. 6"))
    for code, title, article in duties:
        rt.publish(session, "procedure.deadline_set", {
            "source": "register", "key": f"{code}:{month.key}", "title": title, "due": month.submit_by.isoformat(),
            "responsible_roles": ["class_teacher", "secretary"], "article": article,
            "details": {"export_id": export.id},
        })


def mark_submitted(session: Session, rt: ServiceRuntime, export: MonthlyExport, who: Principal,
                   submitted_on: dt.date) -> None:
    """The office handed the month in: the month's procedures close in planning."""
    before = {"submitted_on": export.submitted_on}
    export.submitted_on, export.submitted_by = submitted_on, who.id
    audit.record(session, TABLES, who, "export.submitted", "monthly_export", export.id, before=before,
                 after={"submitted_on": submitted_on})
    key = ExportMonth(export.school_year, export.month).key
    for code in ("D06", "D07"):
        rt.publish(session, "procedure.deadline_closed",
                   {"source": "register", "key": f"{code}:{key}", "done_on": submitted_on.isoformat()})
