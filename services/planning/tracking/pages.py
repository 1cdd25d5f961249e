"""Overdue at a glance (``/planning/overdue``) and planning's card on the home page: what is overdue,
counted by kind, for those who watch deadlines (``../shared/spec/web-ui.md``).

Both call the same function as ``GET /api/planning/overdue`` (``overdue.py``), so the page, the card
and the API cannot disagree; the board's counting and filters are the pure ``rules/board.py``.
"""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, render_template, request

from services.planning.access import PLAN_MANAGERS, SEE_ALL
from services.planning.tracking import overdue
from services.planning.tracking.rules.board import KIND_TITLES as BOARD_KINDS
from services.planning.tracking.rules.board import board
from shared.auth.flask_auth import require_roles
from shared.auth.roles import OFFICE, ROLES
from shared.web.context import current_runtime
from shared.web.pages import current_user

tracking_pages = Blueprint("tracking_pages", __name__, template_folder="templates")

#: Who gets the card: the director, the deputies and the office; others get an empty fragment.
WATCHERS = OFFICE
#: The most overdue items listed on the card.
ON_HOME = 3
#: The kinds' names, in the order counted.
KIND_TITLES = {"activity": "Дейности от плана", "procedure": "Процедури"}
#: Seconds between the board's refreshes while it is open (htmx polls its list; a plain reload works too).
REFRESH_SECONDS = 60
#: The htmx triggers that want only the board: its own polling and the filter form.
BOARD_TRIGGERS = ("overdue-board", "overdue-filter")


@tracking_pages.route("/fragments/home")
@require_roles(*ROLES)
def home_fragment():
    who = current_user()
    headers = {"Vary": "HX-Request"}
    if who.role not in WATCHERS:
        return "", 200, headers  # nothing to show: the home page keeps no empty card
    rt = current_runtime()
    with rt.db.sessions() as s:
        items = overdue.overdue(s, who, rt.clock.today(), rt.settings.reminder_days_before)
    counts = Counter(item["kind"] for item in items)
    return render_template("planning/_home_fragment.html", total=len(items), counts=counts, kind_titles=KIND_TITLES,
                           oldest=items[:ON_HOME], plan_links=who.role in PLAN_MANAGERS), 200, headers


@tracking_pages.route("/overdue")
@require_roles(*WATCHERS)
def overdue_page():
    """Every overdue activity, sanction step and duty the user sees: counts by kind, filters, refreshed."""
    who = current_user()
    rt = current_runtime()
    with rt.db.sessions() as s:
        items = overdue.overdue(s, who, rt.clock.today(), rt.settings.reminder_days_before)
    shown = board(items, kind=request.args.get("kind", ""), role=request.args.get("responsible", ""))
    query = {name: value for name, value in (("kind", shown.kind), ("responsible", shown.role)) if value}
    context = {"board": shown, "kinds": BOARD_KINDS, "query": query, "refresh": REFRESH_SECONDS,
               "sees_all": who.role in SEE_ALL, "plan_links": who.role in PLAN_MANAGERS}
    fragment = request.headers.get("HX-Trigger") in BOARD_TRIGGERS
    name = "planning/_overdue_board.html" if fragment else "planning/overdue.html"
    return render_template(name, **context), 200, {"Vary": "HX-Request, HX-Trigger"}
