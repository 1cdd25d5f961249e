"""The notices' pages (известия): the card on the home page and the inbox, where opening a notice
marks it read and the sender sees when (``../shared/spec/web-ui.md``).

They call the same functions as the inbox API (``inbox.py``).
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template

from services.notifications import inbox, letters
from shared.auth.flask_auth import require_roles
from shared.auth.roles import ROLES
from shared.web.context import current_runtime
from shared.web.pages import current_user

notifications_pages = Blueprint("notifications_pages", __name__, template_folder="templates")

#: Notices shown on the home page's card, the newest first.
ON_HOME = 3


@notifications_pages.route("/fragments/home")
@require_roles(*ROLES)
def home_fragment():
    """How many notices are unread and the newest few; every user has an inbox, so always a card.

    A parent also sees the letters about their children and how each went out (e-mail, SMS, paper).
    """
    who = current_user()
    with current_runtime().db.sessions() as s:
        unread = inbox.unread_count(s, who)
        latest = inbox.messages(s, who, limit=ON_HOME)
        sent = letters.family_letters(s, who)
    return render_template("notifications/_home_fragment.html", unread=unread, latest=latest, letters=sent,
                           channel_titles=letters.CHANNEL_TITLES, status_titles=letters.STATUS_TITLES), 200, {
        "Vary": "HX-Request"}


@notifications_pages.route("/inbox")
@require_roles(*ROLES)
def inbox_page():
    with current_runtime().db.sessions() as s:
        notices = inbox.messages(s, current_user())
    return render_template("notifications/inbox.html", notices=notices)


@notifications_pages.route("/inbox/<int:delivery_id>/read", methods=["POST"])
@require_roles(*ROLES)
def open_notice(delivery_id: int):
    """Opening a notice is a post (a forged link cannot fake a read receipt), then its page."""
    with current_runtime().db.transaction() as s:
        inbox.mark_read(s, current_user(), delivery_id)
    return redirect(f"/notifications/inbox/{delivery_id}", code=303)


@notifications_pages.route("/inbox/<int:delivery_id>")
@require_roles(*ROLES)
def notice_page(delivery_id: int):
    with current_runtime().db.sessions() as s:
        notice = inbox.message(s, current_user(), delivery_id)
    return render_template("notifications/notice.html", notice=notice)
