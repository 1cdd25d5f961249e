"""The import's preview and the import itself (issue 21, item 3), shared by the API and the page.

Before anything is stored, the preview says what the importer understood: the columns it
recognised, each activity with its date, every undated row with the reason. The director then
sets a date for an undated row, or accepts it as undated, and imports: ``decisions`` maps an
activity's key to the date set (or None: accepted as undated).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.planning.models import TABLES
from services.planning.plans import importing
from services.planning.plans.rules import DeadlineStatus, ParsedPlan, PlanFormatError
from shared import audit
from shared.auth.principal import Principal
from shared.errors import InvalidInputError
from shared.runtime import ServiceRuntime

#: Bytes; an annual plan is a few hundred kilobytes even as .docx with pictures.
MAX_PLAN_BYTES = 20 * 1024 * 1024
#: what a decision says instead of a date: the row is accepted without one
UNDATED = "undated"


def check_upload(filename: str, data: bytes, school_year: str) -> None:
    """The file and the school year as the form sends them; InvalidInputError names each field."""
    errors: dict[str, list[str]] = {}
    if not filename:
        errors["file"] = ["Изберете файла на годишния план (текст или .docx)."]
    elif not data:
        errors["file"] = ["Файлът е празен."]
    elif len(data) > MAX_PLAN_BYTES:
        errors["file"] = ["Файлът е по-голям от 20 MB."]
    if not school_year:
        errors["school_year"] = ["Посочете учебната година, например 2023/2024."]
    elif importing.school_year_start(school_year) is None:
        errors["school_year"] = ["Учебната година се пише във вида 2023/2024 (две поредни години)."]
    if errors:
        raise InvalidInputError(errors)


def parse(rt: ServiceRuntime, data: bytes, filename: str, school_year: str) -> ParsedPlan:
    """The plan read from the upload, or a 422 naming the file when it holds no activities."""
    with rt.db.sessions() as s:
        try:
            parsed = importing.parse_upload(s, rt.settings, data, filename, school_year)
        except PlanFormatError as exc:
            raise InvalidInputError({"file": [str(exc)]}) from exc
    if not parsed.activities:
        raise InvalidInputError({"file": ["В таблицата на плана не е намерена нито една дейност."]})
    return parsed


def view(parsed: ParsedPlan) -> dict[str, Any]:
    """What the preview shows: columns, activities with their dates, undated rows with reasons, warnings."""
    sections = {area.numeral: area.title for area in parsed.priorities}
    activities = []
    for activity in parsed.activities:
        deadline = activity.deadline
        activities.append({
            "key": activity.key, "priority": activity.priority, "section": sections.get(activity.priority, ""),
            "number": activity.number, "text": activity.text, "deadline_text": deadline.text,
            "start": deadline.start, "due": deadline.due, "milestones": list(deadline.milestones),
            "status": str(deadline.status), "reason": _reason(activity.deadline) if deadline.due is None else "",
            "rows": list(activity.source.rows)})
    return {"school_year": parsed.school_year.label, "declared_school_year": parsed.declared_school_year,
            "columns": [{"heading": heading, "meaning": meaning} for heading, meaning in parsed.columns],
            "activities": activities,
            "undated": [a for a in activities if a["status"] == str(DeadlineStatus.NEEDS_DATE)],
            "warnings": [warning.message for warning in parsed.warnings]}


def _reason(deadline) -> str:
    reasons = [part.reason for part in (*deadline.parts, deadline) if part.reason]
    return reasons[0] if reasons else "срокът не е дата"


def decisions_of(parsed: ParsedPlan, given: dict[str, str]) -> dict[str, dt.date | None]:
    """``{key: "2024-05-31" | "undated"}`` checked against the plan's undated rows; 422 names each key."""
    undated = {a.key for a in parsed.activities if a.deadline.status is DeadlineStatus.NEEDS_DATE}
    decisions: dict[str, dt.date | None] = {}
    errors: dict[str, list[str]] = {}
    for key, written in given.items():
        value = (written or "").strip()
        if key not in undated:
            errors[f"dates.{key}"] = ["В плана няма дейност без срок с този ключ."]
        elif value == UNDATED:
            decisions[key] = None
        elif value:
            try:
                decisions[key] = dt.date.fromisoformat(value)
            except ValueError:
                errors[f"dates.{key}"] = ["Датата се пише във вида ГГГГ-ММ-ДД, например 2024-05-31."]
    if errors:
        raise InvalidInputError(errors)
    return decisions


def import_plan(rt: ServiceRuntime, who: Principal, data: bytes, filename: str, school_year: str,
                given: dict[str, str] | None = None) -> dict[str, Any]:
    """Read, apply the director's decisions, store and audit: ``{"plan_id", "activities", "warnings"}``."""
    check_upload(filename, data, school_year)
    parsed = parse(rt, data, filename, school_year)
    decisions = decisions_of(parsed, given or {})
    with rt.db.transaction() as s:
        plan = importing.store(s, parsed, data=data, filename=filename, who_id=who.id, decisions=decisions)
        audit.record(s, TABLES, who, "plan.import", "plan", plan.id,
                     after={"school_year": plan.school_year, "file": plan.source_filename,
                            "activities": len(parsed.activities), "warnings": len(plan.warnings),
                            "dates_set": sorted(k for k, v in decisions.items() if v is not None),
                            "accepted_undated": sorted(k for k, v in decisions.items() if v is None)})
        return {"plan_id": plan.id, "activities": len(parsed.activities), "warnings": plan.warnings}
