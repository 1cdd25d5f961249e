"""Signing in (вход) and out, and the role's home page with each service's fragment.

The register owns the school's users, so it serves ``/``, ``/login`` and ``/logout`` for the whole
system (``../shared/spec/web-ui.md``).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request

from services.register.models.people import SchoolClass, Student
from services.register.people.users import check_sign_in, end_session
from shared.errors import NotSignedInError, TooManyAttemptsError
from shared.web.app import http_status
from shared.web.context import current_runtime
from shared.web.pages import current_user
from shared.web.session import session_digest, sign_in, sign_out

#: The front pages, answering at the root of the site.
front = Blueprint("front", __name__, template_folder="templates")
#: The register's own pages, under /register.
register_pages = Blueprint("register_pages", __name__, template_folder="templates")

#: Services whose home fragment the home page loads, in order (each serves /<service>/fragments/home).
HOME_FRAGMENTS = ("register",)


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
    sign_in(user_id)
    return redirect(next_path, code=303)


@front.route("/logout", methods=["POST"])
def logout():
    """Изход: ends this session on every service (a copy of the cookie is refused too), then /login."""
    digest = session_digest()
    if digest is not None:
        end_session(current_runtime(), current_user(), digest)
    sign_out()
    return redirect("/login", code=303)


@front.route("/")
def home():
    return render_template("register/home.html", fragments=HOME_FRAGMENTS)


@register_pages.route("/fragments/home")
def home_fragment():
    """The register's part of the home page: the teacher's classes, the parent's children."""
    user = current_user()
    with current_runtime().db.sessions() as s:
        classes = s.scalars(sa.select(SchoolClass).where(SchoolClass.code.in_(user.class_codes))
                            .order_by(SchoolClass.grade, SchoolClass.code)).all()
        children = s.scalars(sa.select(Student).where(Student.id.in_(user.student_ids))
                             .order_by(Student.last_name, Student.first_name)).all()
        led = s.scalars(sa.select(SchoolClass.code).where(SchoolClass.class_teacher_id == user.id)).all()
    response = render_template("register/_home_fragment.html", classes=classes, children=children, led=set(led))
    return response, 200, {"Vary": "HX-Request"}
