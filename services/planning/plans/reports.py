"""The end-of-year report on the plan's execution (отчет за изпълнението на годишния план, Чл. 20, ал. 1, т. 5).

Planning sends documents the template key and a context built from its own data; the context has
the shape of the ``plan_execution_report`` template (school, school_year, prepared_on,
council_protocol, activities with number, text, deadline, responsible, status, note).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.models import TABLES, Activity, Evidence, Plan, PlanReport, SchoolCopy
from services.planning.plans.overview import plan_or_404
from services.planning.tracking.items import current_activities
from shared import audit
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError
from shared.runtime import ServiceRuntime

TEMPLATE = "plan_execution_report"
#: activity status → the report's wording: in progress at the year's end is "partially done"
REPORT_STATUS = {"done": "done", "in_progress": "partial", "planned": "not_done", "cancelled": "cancelled"}
SCHOOL_FIELDS = ("name", "address", "town", "phone", "email", "neispuo_code", "director_name")
#: Characters; the council's protocol as the report cites it (the API's schema says the same).
PROTOCOL_MAX = 100


def _clip(text: str, limit: int, empty: str) -> str:
    text = " ".join(text.split())
    if not text:
        return empty
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _note(session: Session, row: Activity) -> str | None:
    parts = []
    if row.current:
        parts.append(f"Постигнато: {row.current}" + (f" (цел: {row.target})" if row.target else ""))
    notes = session.scalars(sa.select(Evidence.note).where(Evidence.activity_id == row.id, Evidence.note != "")
                            .order_by(Evidence.id.desc()).limit(1)).all()
    parts.extend(notes)
    return _clip("; ".join(parts), 1000, "") or None


def context(session: Session, plan: Plan, *, council_protocol: str, prepared_on: dt.date) -> dict:
    school = session.get(SchoolCopy, 1)
    if school is None:
        # register has not announced the school's identity (letterhead) yet
        raise ConflictError(
            "Данните на училището (бланката) още не са въведени в дневника (PUT /api/register/school).")
    activities = []
    for row in current_activities(session, plan.id):
        activities.append({
            "number": _clip(f"{row.priority}/{row.number}", 20, "—"),
            "text": _clip(row.text, 2000, "—"),
            "deadline": _clip(row.deadline_text or (f"{row.due:%d.%m.%Y}" if row.due else ""), 100, "без срок"),
            "responsible": _clip(", ".join(p["title"] for p in row.responsible) or row.responsible_raw, 300,
                                 "не е посочен"),
            "status": REPORT_STATUS[row.status],
            "note": _note(session, row),
        })
    return {"school": {field: school.data.get(field, "") for field in SCHOOL_FIELDS},
            "school_year": plan.school_year, "prepared_on": prepared_on.isoformat(),
            "council_protocol": council_protocol, "activities": activities}


def request(rt: ServiceRuntime, session: Session, who: Principal, plan_id: int, *, council_protocol: str,
            prepared_on: dt.date | None) -> PlanReport:
    """Ask documents for the report (``documents.document_requested``); its document arrives by
    ``documents.document_ready`` (``handlers.py``), which fills the row's ``document_id`` and ``number``."""
    protocol = council_protocol.strip()
    if not protocol or len(protocol) > PROTOCOL_MAX:
        raise InvalidInputError({"council_protocol": [
            "Посочете протокола на педагогическия съвет, приел отчета (до 100 знака), например „протокол № 14 "
            "от 28.06.2024 г.“."]})
    plan = plan_or_404(session, plan_id)
    data = context(session, plan, council_protocol=protocol, prepared_on=prepared_on or rt.clock.today())
    message_id = rt.publish(session, "documents.document_requested", {
        "template": TEMPLATE, "context": data,
        "reason": f"Отчет за изпълнението на годишния план за {plan.school_year} г."})
    report = PlanReport(plan_id=plan.id, requested_by=who.id, message_id=message_id, requested_at=rt.clock.now())
    session.add(report)
    session.flush()
    audit.record(session, TABLES, who, "plan.report", "plan", plan.id, after={"report_id": report.id})
    return report


def reports_of(session: Session, plan_id: int) -> list[PlanReport]:
    """The plan's requested reports, the oldest first; ``document_id`` is None until documents has drawn it up."""
    plan_or_404(session, plan_id)
    return list(session.scalars(sa.select(PlanReport).where(PlanReport.plan_id == plan_id).order_by(PlanReport.id)))
