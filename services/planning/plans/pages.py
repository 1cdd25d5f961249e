"""The plan's pages (``/planning/plans/{id}`` and below): activities by priority, progress, the report.

The list of plans and their import (``/planning/plans``) are ``import_pages.py``'s. Every handler
calls the functions the API calls (``overview``, ``progress``, ``reports``): the same statuses and
filters, the same checks of who may report, the same audit. A refused form comes back with each
problem next to its field (422); a stored one redirects (303). The forms are plain posts.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from services.planning.access import PLAN_MANAGERS
from services.planning.models import Activity, Goal
from services.planning.plans import overview, progress, reports
from services.planning.plans.activities import activity_or_404, activity_view
from services.planning.plans.schemas import ACTIVITY_STATUSES, ActivityPatchSchema
from shared.auth.flask_auth import require_roles
from shared.errors import ConflictError, InvalidInputError, NotFoundError
from shared.web.context import current_runtime
from shared.web.pages import current_user

plan_pages = Blueprint("plan_pages", __name__, template_folder="templates")

#: An activity's status as people read it (the stored four and the derived two).
STATUS_TITLES = {"planned": "Планирана", "in_progress": "В изпълнение", "done": "Изпълнена",
                 "cancelled": "Отменена", "overdue": "Просрочена", "needs_date": "Няма дата"}
#: The history's fields as people read them.
CHANGE_TITLES = {"status": "Статус", "current": "Достигната стойност", "done_on": "Изпълнена на",
                 "due_manual": "Срок", "assignee_ids": "Определени изпълнители", "evidence": "Бележка",
                 "evidence_file": "Доказателство (файл)"}
#: The form's fields for the API's (``PATCH /activities/{id}``) field paths.
FORM_FIELD = {"evidence": "note", "_schema": "_schema"}
#: Seconds between looks at a requested report until documents has drawn it up.
REPORT_POLL_SECONDS = 2


@plan_pages.context_processor
def _names() -> dict:
    return {"status_titles": STATUS_TITLES, "statuses": ACTIVITY_STATUSES, "change_lines": change_lines}


def change_lines(changes: dict) -> list[tuple[str, object, object]]:
    """One history entry as (what, before, after); dates as dates, statuses in Bulgarian."""
    def shown(field: str, value):
        if value is None or value == []:
            return "—"
        if field == "status":
            return STATUS_TITLES.get(value, value)
        if field in ("done_on", "due_manual") and isinstance(value, str):
            return dt.date.fromisoformat(value)
        return value
    return [(CHANGE_TITLES.get(field, field), shown(field, before), shown(field, after))
            for field, (before, after) in changes.items()]


def _plan_page(plan_id: int, *, report_form: dict | None = None, report_errors: dict | None = None,
               status: int = 200):
    rt, who = current_runtime(), current_user()
    status_filter = request.args.get("status", "")
    priority_filter = request.args.get("priority", "")
    with rt.db.sessions() as s:
        plan = overview.plan_view(s, overview.plan_or_404(s, plan_id), detailed=True)
        requested = reports.reports_of(s, plan_id)
        if request.headers.get("HX-Trigger") == "plan-reports":
            return render_template("planning/_plan_reports.html", plan=plan, reports=requested,
                                   poll=REPORT_POLL_SECONDS), 200, {"Vary": "HX-Request, HX-Trigger"}
        everything = overview.activity_views(s, who, plan_id, rt.clock.today())
    shown = [view for view in everything if (not status_filter or view["status"] == status_filter)
             and (not priority_filter or view["priority"] == priority_filter)]
    totals = {key: sum(1 for view in everything if view["status"] == key) for key in STATUS_TITLES}
    context = {"plan": plan, "reports": requested, "poll": REPORT_POLL_SECONDS, "sections": _sections(plan, shown),
               "totals": totals, "total": len(everything), "shown": len(shown),
               "query": {"status": status_filter, "priority": priority_filter},
               "report_form": report_form or {}, "report_errors": report_errors or {}}
    return render_template("planning/plan_page.html", **context), status, {"Vary": "HX-Request, HX-Trigger"}


def _sections(plan: dict, views: list[dict]) -> list[dict]:
    """The activities under their priority and goal, in the plan's order; empty sections left out."""
    sections = []
    for area in plan["priorities"]:
        goals = []
        for goal in area["goals"]:
            mine = [view for view in views if view["priority"] == area["numeral"] and view["goal"] == goal["text"]]
            if mine:
                goals.append({**goal, "activities": mine})
        if goals:
            sections.append({**area, "goals": goals})
    placed = {view["id"] for section in sections for goal in section["goals"] for view in goal["activities"]}
    if rest := [view for view in views if view["id"] not in placed]:
        sections.append({"numeral": "", "title": "Други дейности", "goals": [{"number": "", "text": "",
                                                                               "activities": rest}]})
    return sections


@plan_pages.route("/plans/<int:plan_id>")
@require_roles(*PLAN_MANAGERS)
def plan_page(plan_id: int):
    """The plan's activities by priority and goal with status, due date, responsible and indicator."""
    return _plan_page(plan_id)


@plan_pages.route("/plans/<int:plan_id>/reports", methods=["POST"])
@require_roles(*PLAN_MANAGERS)
def request_report(plan_id: int):
    """„Поискай отчета“: the same request as ``POST /plans/{id}/report``; documents draws it up."""
    rt, who = current_runtime(), current_user()
    form = {"council_protocol": request.form.get("council_protocol", ""),
            "prepared_on": request.form.get("prepared_on", "")}
    try:
        prepared_on = _date(form["prepared_on"], "prepared_on")
        with rt.db.transaction() as s:
            reports.request(rt, s, who, plan_id, council_protocol=form["council_protocol"], prepared_on=prepared_on)
    except (InvalidInputError, ConflictError) as refused:
        return _plan_page(plan_id, report_form=form, report_errors=refused.errors, status=422)
    flash("Отчетът е поискан. Документът се съставя; връзката за изтегляне ще се появи тук.", "success")
    return redirect(url_for(".plan_page", plan_id=plan_id, _anchor="reports"), code=303)


def _date(raw: str, field: str) -> dt.date | None:
    if not raw.strip():
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInputError({field: ["Датата се пише във вида дд.мм.гггг."]}) from None


def _activity(session, plan_id: int, activity_id: int) -> Activity:
    row = activity_or_404(session, activity_id)
    if row.plan_id != plan_id:
        raise NotFoundError("Няма такава дейност в този план.")
    return row


def _activity_page(plan_id: int, activity_id: int, *, form: dict | None = None, errors: dict | None = None,
                   status: int = 200):
    rt = current_runtime()
    with rt.db.sessions() as s:
        plan = overview.plan_or_404(s, plan_id)
        row = _activity(s, plan_id, activity_id)
        view = activity_view(row, rt.clock.today(), s.get(Goal, row.goal_id))
        context = {"plan": plan, "activity": view, "history": progress.history(s, activity_id),
                   "form": form or {"status": row.status, "current": row.current or "",
                                    "due": row.due.isoformat() if row.due else ""},
                   "errors": errors or {}}
        return render_template("planning/activity_page.html", **context), status


@plan_pages.route("/plans/<int:plan_id>/activities/<int:activity_id>")
@require_roles(*PLAN_MANAGERS)
def activity_page(plan_id: int, activity_id: int):
    """One activity: what the plan says, the progress form, the history of changes and evidence."""
    return _activity_page(plan_id, activity_id)


@plan_pages.route("/plans/<int:plan_id>/activities/<int:activity_id>", methods=["POST"])
@require_roles(*PLAN_MANAGERS)
def record_progress(plan_id: int, activity_id: int):
    """„Запиши напредъка“: status, value and date as ``PATCH /activities/{id}``, a file as its evidence
    endpoint, in one transaction: a refused file stores no status either."""
    rt, who = current_runtime(), current_user()
    form = {name: request.form.get(name, "") for name in ("status", "current", "due", "note")}
    upload = request.files.get("file")
    received = (progress.Upload(upload.filename, upload.mimetype or "", upload.read())
                if upload is not None and upload.filename else None)
    today = rt.clock.today()
    try:
        with rt.db.transaction() as s:
            row = _activity(s, plan_id, activity_id)
            body = _patch(form, row, with_note=received is None)
            changes = progress.update(s, who, row, body, today) if body else {}
            if received is not None:
                progress.attach(s, who, row, received, form["note"])
    except (InvalidInputError, ConflictError) as refused:
        errors: dict[str, list[str]] = {}
        for path, texts in refused.errors.items():
            errors.setdefault(FORM_FIELD.get(path, path), []).extend(texts)
        return _activity_page(plan_id, activity_id, form=form, errors=errors, status=422)
    flash("Напредъкът е записан." if changes or received else "Няма промени за записване.", "success")
    return redirect(url_for(".activity_page", plan_id=plan_id, activity_id=activity_id), code=303)


def _patch(form: dict, row: Activity, *, with_note: bool) -> dict:
    """The form's changes as the API's PATCH body, validated by the API's schema (same messages)."""
    raw: dict = {}
    if form["status"] and form["status"] != row.status:
        raw["status"] = form["status"]
    if form["current"].strip() and form["current"].strip() != (row.current or ""):
        raw["current"] = form["current"].strip()
    due = _date(form["due"], "due")
    if due is not None and due != row.due:
        raw["due"] = due.isoformat()
    if with_note and form["note"].strip():
        raw["evidence"] = form["note"].strip()
    try:
        return ActivityPatchSchema().load(raw)
    except ValidationError as invalid:
        raise InvalidInputError({field: list(texts) if isinstance(texts, list) else [str(texts)]
                                 for field, texts in invalid.messages.items()}) from None

