"""Planning's card on the home page: what is overdue, counted by kind, and the most overdue few
(``../shared/spec/web-ui.md``: the director's overdue items), for those who watch deadlines.

It calls the same function as ``GET /api/planning/overdue`` (``overdue.py``).
"""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, render_template

from services.planning.tracking import overdue
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
                           oldest=items[:ON_HOME]), 200, headers
