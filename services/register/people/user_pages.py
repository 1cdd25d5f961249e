"""The users page (потребители) for the IT administrator and the director, and „Смяна на паролата“.

``/register/users`` lists, filters and adds users; ``/register/users/<id>`` changes a user's role,
classes or children, gives a one-time password („Нова парола“, shown once, on the answer to the
post and nowhere else) and deactivates („Деактивирай“). Each change calls the functions of
``schoolctl users`` (through :mod:`services.register.people.accounts`) and then sends it on the
identity lane (``propagate``), so it holds on every service when the page answers.

``/password`` (at the site's root) is where a user signed in with a one-time password is sent by
every page until they choose their own (``shared.web.pages``).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request

from services.register.people import accounts
from shared.auth.flask_auth import require_roles
from shared.auth.roles import ROLES
from shared.errors import GENERAL, DomainError, NotAllowedError, NotFoundError
from shared.messaging.identity import propagate
from shared.messaging.outbox import urgent_events
from shared.web.context import current_runtime
from shared.web.pages import current_user
from shared.web.session import password_changed

users_pages = Blueprint("users_pages", __name__, template_folder="templates")
password_page = Blueprint("password_page", __name__, template_folder="templates")

PAGE = "/register/users"
#: Form fields an error can sit beside; any other path is shown at the top of the form.
FIELDS = {"name", "role", "class_codes", "student_ids", "current", "new", "repeated"}


def _form_values() -> dict:
    form = request.form
    ids = [int(v) for v in form.getlist("student_ids") if v.isdigit() and len(v) < 10]
    return {"name": form.get("name", ""), "role": form.get("role", ""), "class_codes": form.getlist("class_codes"),
            "student_ids": ids, "student_q": form.get("student_q", "")}


def _errors_of(error: DomainError) -> dict[str, list[str]]:
    if isinstance(error, (NotFoundError, NotAllowedError)):
        raise error  # a page of its own (404 / 403), not a field's message
    errors: dict[str, list[str]] = {}
    for path, texts in (error.errors or {GENERAL: [error.message]}).items():
        errors.setdefault(path if path in FIELDS else GENERAL, []).extend(texts)
    return errors


def _scope_choices(s, values: dict) -> dict:
    """The classes to tick, and the children: those already chosen and the student search's results."""
    chosen = accounts.students_by_id(s, values.get("student_ids", []))
    found = [st for st in accounts.find_students(s, values.get("student_q", "")) if st.id not in values["student_ids"]]
    return {"classes": accounts.class_codes(s), "children": chosen + found,
            "searched": bool(values.get("student_q", "").strip())}


def _list_page(*, values: dict | None = None, errors: dict | None = None, created: dict | None = None,
               status: int = 200):
    rt, by = current_runtime(), current_user()
    values = values or {"name": "", "role": "teacher", "class_codes": [], "student_ids": [], "student_q": ""}
    filters = {key: request.args.get(key, "") for key in ("q", "role", "state")}
    with rt.db.sessions() as s:
        listed = accounts.list_accounts(s, text=filters["q"], role=filters["role"], state=filters["state"])
        choices = _scope_choices(s, values)
    return render_template("register/users.html", users=listed, filters=filters, values=values, errors=errors or {},
                           created=created, roles=accounts.assignable_roles(by), all_roles=ROLES, me=by,
                           **choices), status


@users_pages.route("/users")
@require_roles(*accounts.MANAGERS)
def users_list():
    return _list_page()


@users_pages.route("/users", methods=["POST"])
@require_roles(*accounts.MANAGERS)
def add_user():
    """„Добави“ (or „Търси“ for a parent's child, which stores nothing)."""
    values = _form_values()
    if request.form.get("action") == "search":
        return _list_page(values=values)
    rt = current_runtime()
    try:
        with rt.db.transaction() as s:
            user_id, password = accounts.add_account(
                rt, s, current_user(), name=values["name"], role=values["role"],
                class_codes=values["class_codes"], student_ids=values["student_ids"])
            events = urgent_events(s)
    except DomainError as error:
        return _list_page(values=values, errors=_errors_of(error), status=422)
    outcome = propagate(rt, events)
    if outcome.warning():
        flash(outcome.warning(), "error")
    return _list_page(created={"id": user_id, "name": " ".join(values["name"].split()), "password": password})


def _user_page(user_id: int, *, values: dict | None = None, errors: dict | None = None,
               password: str | None = None, status: int = 200, confirm_deactivate: bool = False):
    rt, by = current_runtime(), current_user()
    with rt.db.sessions() as s:
        shown = accounts.account(s, user_id)
        if shown["role"] == "it_admin" and by.role != "it_admin":
            raise NotAllowedError("Профилите на администраторите управлява само администратор.")
        values = values or {"role": shown["role"], "class_codes": shown["classes"],
                            "student_ids": [c.id for c in shown["children"]], "student_q": ""}
        choices = _scope_choices(s, values)
    return render_template("register/user.html", shown=shown, values=values, errors=errors or {}, password=password,
                           roles=accounts.assignable_roles(by), me=by, confirm_deactivate=confirm_deactivate,
                           **choices), status


@users_pages.route("/users/<int:user_id>")
@require_roles(*accounts.MANAGERS)
def user_page(user_id: int):
    return _user_page(user_id)


@users_pages.route("/users/<int:user_id>", methods=["POST"])
@require_roles(*accounts.MANAGERS)
def change_user(user_id: int):
    """„Запази“: a new role, classes or children (or „Търси“ a child, storing nothing)."""
    values = _form_values()
    if request.form.get("action") == "search":
        return _user_page(user_id, values=values)
    rt = current_runtime()
    try:
        with rt.db.transaction() as s:
            accounts.change_account(rt, s, current_user(), user_id, role=values["role"],
                                    class_codes=values["class_codes"], student_ids=values["student_ids"])
            events = urgent_events(s)
    except DomainError as error:
        return _user_page(user_id, values=values, errors=_errors_of(error), status=422)
    outcome = propagate(rt, events)
    flash(outcome.warning() or "Промените са записани.", "error" if outcome.warning() else "success")
    return redirect(f"{PAGE}/{user_id}", code=303)


@users_pages.route("/users/<int:user_id>/password", methods=["POST"])
@require_roles(*accounts.MANAGERS)
def new_password(user_id: int):
    """„Нова парола“: shown on this answer only; the user must change it when they sign in with it."""
    try:
        password = accounts.reset_password(current_runtime(), current_user(), user_id)
    except DomainError as error:
        return _user_page(user_id, errors=_errors_of(error), status=422)
    return _user_page(user_id, password=password)


@users_pages.route("/users/<int:user_id>/deactivate", methods=["POST"])
@require_roles(*accounts.MANAGERS)
def deactivate(user_id: int):
    """„Деактивирай“: refused at once by this service, and by every other when the page answers.

    The first post only asks „Да деактивирам ли …?“ (a form of its own, so it works without
    JavaScript); the second, with ``confirm=yes``, deactivates.
    """
    rt = current_runtime()
    if request.form.get("confirm") != "yes":
        return _user_page(user_id, confirm_deactivate=True)
    try:
        with rt.db.transaction() as s:
            changed = accounts.deactivate_account(rt, s, current_user(), user_id)
            name = accounts.account(s, user_id)["name"]
            events = urgent_events(s)
    except DomainError as error:
        return _user_page(user_id, errors=_errors_of(error), status=422)
    outcome = propagate(rt, events)
    if outcome.warning():
        flash(outcome.warning(), "error")
    flash(f"{name} е деактивиран(а) във всички услуги." if changed and outcome.complete
          else f"{name} е деактивиран(а)." if changed else f"{name} вече е неактивен(на).", "success")
    return redirect(PAGE, code=303)


@password_page.route("/password", methods=["GET", "POST"])
@require_roles(*ROLES)
def change_password():
    """„Смяна на паролата“: the current password and a new one, twice."""
    if request.method == "GET":
        return render_template("register/password.html", errors={})
    try:
        accounts.change_own_password(current_runtime(), current_user(), request.form.get("current", ""),
                                     request.form.get("new", ""), request.form.get("repeated", ""))
    except DomainError as error:
        return render_template("register/password.html", errors=_errors_of(error)), 422
    password_changed()
    flash("Паролата е сменена.", "success")
    return redirect("/", code=303)
