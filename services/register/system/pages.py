"""``/admin/system`` (the IT administrator): each service's health and version, the queues, the outbox
backlogs, the dead letters with „Изпрати отново“, the scheduler's last run and the failures.

Served by the register at the site's root (it serves ``/``); the figures come from the broker
(:mod:`services.register.system.status`).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request

from services.register.system import status
from shared.auth.flask_auth import require_roles
from shared.web.context import current_runtime
from shared.web.pages import current_user

system_pages = Blueprint("system_pages", __name__, template_folder="templates")

PAGE = "/admin/system"


@system_pages.route(PAGE)
@require_roles("it_admin")
def system_page():
    """The page refreshes itself (htmx, every 10 s) without JavaScript being needed to read it."""
    figures = status.system_status(current_runtime())
    return render_template("register/system.html", **figures), 200, {"Vary": "HX-Request"}


@system_pages.route(f"{PAGE}/dead-letters", methods=["POST"])
@require_roles("it_admin")
def retry():
    """„Изпрати отново“: the dead letter goes back to its queue (audited)."""
    queue, message_id = request.form.get("queue", ""), request.form.get("message_id", "")[:64]
    moved = status.retry_dead_letter(current_runtime(), current_user(), queue, message_id)
    if moved:
        flash(f"Съобщението е върнато в опашката {queue}.", "success")
    else:
        flash("Това съобщение вече не е сред неуспелите (изпратено е отново).", "error")
    return redirect(PAGE, code=303)
