"""Storing an imported annual plan (внасяне на годишния план): upsert by natural keys.

The same file imported twice gives the same plan and the same activity ids: priorities are keyed
by numeral, goals and activities by the parser's keys ("II/1.9/<hex>"), which survive a re-import.
What people entered (status, progress, evidence, a manual due date) is never overwritten by it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.models import Activity, Goal, Plan, PriorityArea, SchoolYearCopy
from services.planning.plans.rules import Activity as ParsedActivity
from services.planning.plans.rules import DeadlineStatus, Indicator, ParsedPlan, Value, parse_plan_upload
from shared.platform_models import utcnow
from shared.settings import Settings

_SCHOOL_YEAR = re.compile(r"^(\d{4})/(\d{4})$")


def school_year_start(value: str) -> int | None:
    """2023 for "2023/2024"; None when the text is not a school year."""
    match = _SCHOOL_YEAR.match(value.strip())
    if not match or int(match[2]) != int(match[1]) + 1:
        return None
    return int(match[1])


def parse_upload(session: Session, settings: Settings, data: bytes, filename: str, school_year: str) -> ParsedPlan:
    """The uploaded file read with the school year's dates: register's calendar if known, else the settings."""
    start_year = school_year_start(school_year)
    calendar = session.get(SchoolYearCopy, school_year)
    if calendar is not None:
        first_day, end = calendar.start, calendar.end
    else:
        first_day = None
        end = dt.date.fromisoformat(f"{start_year + 1}-{settings.school_year_end}")
    return parse_plan_upload(data, filename=filename, school_year_start=start_year, school_year_end=end,
                             school_year_first_day=first_day)


def warnings_of(parsed: ParsedPlan, decided: frozenset[str] = frozenset()) -> list[str]:
    """The parser's warnings, then one for every deadline a person still has to turn into a date."""
    messages = [warning.message for warning in parsed.warnings]
    for activity in parsed.activities:
        if activity.deadline.status is DeadlineStatus.NEEDS_DATE and activity.key not in decided:
            why = f" ({activity.deadline.reason})" if activity.deadline.reason else ""
            messages.append(f"Дейност {activity.priority}/{activity.number}: срокът „{activity.deadline.text}“ "
                            f"не е дата; въведете срока ръчно{why}.")
    return messages


def store(session: Session, parsed: ParsedPlan, *, data: bytes, filename: str, who_id: int,
          decisions: dict[str, dt.date | None] | None = None) -> Plan:
    """Create or update the plan of ``parsed.school_year`` with everything the parser read.

    ``decisions`` are the preview's: an undated activity's key with the date the director set, or
    None when they accepted it as undated.
    """
    decisions = decisions or {}
    label = parsed.school_year.label
    plan = session.scalar(sa.select(Plan).where(Plan.school_year == label))
    if plan is None:
        plan = Plan(school_year=label, imports=0)
        session.add(plan)
    plan.declared_school_year = parsed.declared_school_year
    plan.source_filename = filename[:300]
    plan.source_sha256 = hashlib.sha256(data).hexdigest()
    plan.warnings = warnings_of(parsed, frozenset(decisions))
    plan.unparsed = [{"rows": list(ref.rows), "cells": list(cells)} for ref, cells in parsed.unparsed]
    plan.imported_at = utcnow()
    plan.imported_by = who_id
    plan.imports = (plan.imports or 0) + 1
    session.flush()

    areas = {a.numeral: a for a in session.scalars(sa.select(PriorityArea).where(PriorityArea.plan_id == plan.id))}
    goals = {g.key: g for g in session.scalars(sa.select(Goal).where(Goal.plan_id == plan.id))}
    activities = {a.key: a for a in session.scalars(sa.select(Activity).where(Activity.plan_id == plan.id))}
    seen: set[str] = set()
    ordinal = 0
    for area in parsed.priorities:
        area_row = areas.get(area.numeral) or PriorityArea(plan_id=plan.id, numeral=area.numeral)
        area_row.ordinal, area_row.title, area_row.title_raw = area.ordinal, area.title, area.title_raw
        session.add(area_row)
        session.flush()
        for goal_ordinal, goal in enumerate(area.goals, start=1):
            goal_row = goals.get(goal.key) or Goal(plan_id=plan.id, key=goal.key)
            goal_row.priority_id = area_row.id
            goal_row.number, goal_row.number_raw, goal_row.ordinal = goal.number, goal.number_raw, goal_ordinal
            goal_row.text, goal_row.text_raw = goal.text, goal.text_raw
            goal_row.measures = [{"text": m.text, "text_raw": m.text_raw} for m in goal.measures]
            session.add(goal_row)
            session.flush()
            for parsed_activity in goal.activities:
                ordinal += 1
                row = activities.get(parsed_activity.key)
                if row is None:
                    row = Activity(plan_id=plan.id, key=parsed_activity.key, status="planned")
                    activities[parsed_activity.key] = row
                    session.add(row)
                _fill(row, parsed_activity, goal_row.id, ordinal)
                if parsed_activity.key in decisions:
                    row.due_manual = decisions[parsed_activity.key]
                    row.undated_accepted = decisions[parsed_activity.key] is None
                if parsed_activity.parent_key:
                    row.parent_id = activities[parsed_activity.parent_key].id
                session.flush()
                seen.add(parsed_activity.key)
    for key, row in activities.items():
        row.removed = key not in seen
    return plan


def _fill(row: Activity, parsed: ParsedActivity, goal_id: int, ordinal: int) -> None:
    deadline = parsed.deadline
    row.goal_id, row.ordinal, row.priority = goal_id, ordinal, parsed.priority
    row.number, row.number_raw, row.level = parsed.number, parsed.number_raw, parsed.level
    row.text, row.text_raw = parsed.text, parsed.text_raw
    row.deadline_raw, row.deadline_text, row.deadline_kind = deadline.raw, deadline.text, str(deadline.kind)
    row.start, row.plan_due = deadline.start, deadline.due
    row.milestones = [day.isoformat() for day in deadline.milestones]
    row.unit_raw, row.unit, row.unit_kind = parsed.unit.raw, parsed.unit.text, str(parsed.unit.kind)
    row.baseline_raw, row.baseline = parsed.current.raw, parsed.current.text
    row.target_raw, row.target, row.target_kind = parsed.target.raw, parsed.target.text, str(parsed.target.kind)
    row.indicators = [_indicator(indicator) for indicator in parsed.indicators]
    row.responsible_raw = parsed.responsible_raw
    row.responsible = [{"role": p.role, "title": p.title, "subject": p.subject, "external": p.external}
                       for p in parsed.responsible]
    row.responsible_roles = list(parsed.responsible_roles)
    row.note = parsed.note
    row.source_rows, row.source_lines = list(parsed.source.rows), list(parsed.source.lines)
    row.removed = False


def _value(value: Value) -> dict[str, Any]:
    return {"raw": value.raw, "text": value.text, "kind": str(value.kind),
            "number": None if value.number is None else str(value.number),
            "low": None if value.low is None else str(value.low),
            "high": None if value.high is None else str(value.high), "qualifier": value.qualifier}


def _indicator(indicator: Indicator) -> dict[str, Any]:
    deadline = indicator.deadline
    return {"unit": {"raw": indicator.unit.raw, "text": indicator.unit.text, "kind": str(indicator.unit.kind),
                     "counted": indicator.unit.counted},
            "current": _value(indicator.current), "target": _value(indicator.target),
            "deadline": None if deadline is None else {
                "raw": deadline.raw, "text": deadline.text, "kind": str(deadline.kind),
                "due": deadline.due.isoformat() if deadline.due else None, "qualifier": deadline.qualifier}}
