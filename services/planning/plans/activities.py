"""Activities (дейности) as the API shows them, found by id, and their progress applied."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.planning.models import Activity, Goal
from services.planning.tracking.items import activity_item, display_status
from shared.errors import InvalidInputError, NotFoundError


def activity_view(row: Activity, today: dt.date, goal: Goal | None = None) -> dict:
    item = activity_item(row)
    return {
        "id": row.id, "priority": row.priority, "number": row.number, "text": row.text,
        "deadline_text": row.deadline_text, "due": row.due, "unit": row.unit,
        "current": row.current if row.current is not None else row.baseline, "target": row.target,
        "responsible": list(row.responsible_roles or ()), "status": display_status(row, today),
        "key": row.key, "plan_id": row.plan_id, "goal": goal.text if goal else "", "level": row.level,
        "parent_id": row.parent_id, "number_raw": row.number_raw, "text_raw": row.text_raw,
        "deadline_raw": row.deadline_raw, "deadline_kind": row.deadline_kind, "start": row.start,
        "milestones": row.milestones, "needs_date": item.needs_date, "unit_raw": row.unit_raw,
        "baseline": row.baseline, "baseline_raw": row.baseline_raw, "target_raw": row.target_raw,
        "indicators": row.indicators, "responsible_raw": row.responsible_raw,
        "responsible_titles": list(item.titles), "assignee_ids": list(row.assignee_ids or ()),
        "done_on": row.done_on, "overdue_since": row.overdue_since,
    }


def activity_or_404(session: Session, activity_id: int) -> Activity:
    row = session.get(Activity, activity_id)
    if row is None or row.removed:
        raise NotFoundError("Няма такава дейност.")
    return row


def apply_progress(row: Activity, body: dict, today: dt.date) -> dict[str, list]:
    """Put the reported progress on the activity; returns ``{field: [before, after]}`` of what changed."""
    changes: dict[str, list] = {}

    def put(field: str, value) -> None:
        before = getattr(row, field)
        if before != value:
            changes[field] = [_plain(before), _plain(value)]
            setattr(row, field, value)

    if "current" in body:
        current = str(body["current"]).strip()
        if row.unit_kind == "percent" and _percent_over_100(current):
            raise InvalidInputError({"current": ["Стойността е процент и не може да е над 100."]})
        put("current", current)
    if "status" in body:
        put("status", body["status"])
        put("done_on", today if body["status"] == "done" else None)
    if "due" in body:
        put("due_manual", body["due"])
        row.overdue_since = None
    if "assignee_ids" in body:
        put("assignee_ids", sorted(set(body["assignee_ids"])))
    return changes


def _percent_over_100(text: str) -> bool:
    try:
        return float(text.rstrip("%").replace(",", ".").strip()) > 100
    except ValueError:
        return False


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
