"""Signing in (вход) and out, and the role's home page with each service's fragment.

The register owns the school's users, so it serves ``/``, ``/login`` and ``/logout`` for the whole
system (``../shared/spec/web-ui.md``).
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request

from services.register.people import home as home_reads
from services.register.people import parent_home
from services.register.people.users import after_sign_in, check_sign_in, end_session
from services.register.sanctions import procedures
from services.register.system.status import system_status
from services.register.timetable import views as timetable_views
from services.register.timetable.now import lessons_begun
from services.register.timetable.timetables import lesson_count
from shared.auth.flask_auth import require_roles
from shared.auth.roles import OFFICE, ROLES
from shared.errors import NotSignedInError, TooManyAttemptsError
from shared.web.app import http_status
from shared.web.context import current_runtime
from shared.web.pages import current_user
from shared.web.session import PASSWORD_PAGE, session_digest, sign_in, sign_out

#: The front pages, answering at the root of the site.
front = Blueprint("front", __name__, template_folder="templates")
#: The register's own pages, under /register.
register_pages = Blueprint("register_pages", __name__, template_folder="templates")

#: Services whose home fragment the home page loads, in order (each serves /<service>/fragments/home).
HOME_FRAGMENTS = ("register", "documents", "notifications", "planning")
#: The placeholder's link to each fragment, for a browser without JavaScript.
FRAGMENT_TITLES = {"register": "Дневник", "notifications": "Известия", "planning": "Срокове",
                   "documents": "Документи"}


def _safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would let a forged link send a user elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@front.route("/login", methods=["GET", "POST"])
def login():
    """Вход: a wrong name or password says so and starts no session; too many are refused (429)."""
    next_path = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("register/login.html", next_path=next_path, name="", errors={})
    name = request.form.get("name", "")
    try:
        user_id = check_sign_in(current_runtime(), name, request.form.get("password", ""))
    except (NotSignedInError, TooManyAttemptsError) as refused:
        return render_template("register/login.html", next_path=next_path, name=name,
                               errors={"_schema": [refused.message]}), http_status(refused)
    must_change = after_sign_in(current_runtime(), user_id)
    sign_in(user_id, must_change_password=must_change)
    return redirect(PASSWORD_PAGE if must_change else next_path, code=303)


@front.route("/logout", methods=["POST"])
@require_roles(*ROLES)
def logout():
    """Изход: ends this session on every service (a copy of the cookie is refused too), then /login."""
    digest = session_digest()
    if digest is not None:
        end_session(current_runtime(), current_user(), digest)
    sign_out()
    return redirect("/login", code=303)


@front.route("/")
@require_roles(*ROLES)
def home():
    return render_template("register/home.html", fragments=HOME_FRAGMENTS, fragment_titles=FRAGMENT_TITLES)


@register_pages.route("/fragments/home")
@require_roles(*ROLES)
def home_fragment():
    """The register's card on the home page: a teacher's classes and today's lessons, the class
    teacher's students past a rule's threshold, a parent's children, the office's monthly files, the
    director's pending permissions (Чл. 61, ал. 1, т. 4) and reviews for deregistration (Чл. 25, ал. 4, т. 2)."""
    user = current_user()
    rt = current_runtime()
    today = rt.clock.today()
    with rt.db.sessions() as s:
        teaching = home_reads.teacher_home(s, user, today, rt.components.rule_pack)
        children = parent_home.parent_home(s, user, today, rt.settings.late_half_hours, rt.components.rule_pack,
                                           absence_alone=rt.settings.term_grade_absence_alone,
                                           policy=procedures.policy_of(rt.settings))
        applications = parent_home.pending_for_class_teacher(s, user, [c.code for c in teaching["classes"] if c.led])
        exports = home_reads.office_home(s, today) if user.role in OFFICE else None
        director = home_reads.director_home(s, user)
        timetable = timetable_views.teacher_today(s, user, today, lessons_begun(rt, today))
    health = system_status(rt) if user.role == "it_admin" else None
    response = render_template("register/_home_fragment.html", teaching=teaching, children=children,
                               exports=exports, health=health, lessons=range(1, lesson_count(rt) + 1),
                               applications=applications, timetable=timetable, director=director)
    return response, 200, {"Vary": "HX-Request"}
