"""The parent's application to excuse on the student's card (заявление, Чл. 61, ал. 1, т. 3).

The parent submits „От“, „До“ and „Причина“ from their child's card; the class teacher sees the
pending applications there and accepts („Приеми“) or refuses („Откажи“, with a reason). Each form
posts to the same functions as ``/api/register/excuse-applications`` (``absences/applications.py``);
success redirects to the card (303), a refusal re-renders the card with the errors next to the fields (422);
with htmx, the section alone is swapped (and the totals out of band).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request
from marshmallow import ValidationError

from services.register.absences import applications
from services.register.absences.schemas import ExcuseApplicationSchema, RefusalSchema
from services.register.models.absences import ExcuseApplication
from services.register.people.card_pages import render_card
from shared.auth.flask_auth import require_roles
from shared.errors import DomainError, NotFoundError
from shared.web.context import current_runtime
from shared.web.errors import flatten
from shared.web.pages import current_user

application_pages = Blueprint("excuse_application_pages", __name__, template_folder="templates")

FORM_FIELDS = ("from", "to", "reason")


def _card_url(student_id: int) -> str:
    return f"{request.script_root}/students/{student_id}#applications"


def _partial() -> bool:
    """htmx swaps the section alone (and the totals out of band); a plain form post gets the whole card."""
    return request.headers.get("HX-Request") == "true"


def _done(student_id: int, message: str, kind: str = "success"):
    """Success: htmx gets the section with the notice and the new totals; a plain post a redirect (303)."""
    if _partial():
        return render_card("register/_applications_done.html", student_id, application_notice=(kind, message))
    flash(message, kind)
    return redirect(_card_url(student_id), code=303)


def _refused(student_id: int, **context):
    template = "register/_excuse_applications.html" if _partial() else "register/student_card.html"
    return render_card(template, student_id, **context), 422


def _on_fields(found: dict[str, list[str]], fields: tuple[str, ...]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for path, texts in found.items():
        errors.setdefault(path if path in fields else "_schema", []).extend(texts)
    return errors


@application_pages.route("/students/<int:student_id>/excuse-applications", methods=["POST"])
@require_roles("parent")
def submit(student_id: int):
    """Подай заявлението: stored as pending, or the card again with the article's refusal (422)."""
    form = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    try:
        data = ExcuseApplicationSchema().load({"student_id": student_id, **{k: v for k, v in form.items() if v}})
        data["from"] = data.pop("from_")
        applications.submit(current_runtime(), current_user(), data)
    except ValidationError as refused:
        errors = _on_fields(flatten(refused.messages), FORM_FIELDS)
    except DomainError as refused:
        if not refused.errors:
            raise
        errors = _on_fields(refused.errors, FORM_FIELDS)
    else:
        return _done(student_id, "Заявлението е подадено. Класният ръководител ще го разгледа.")
    return _refused(student_id, application_form=form, application_errors=errors)


def _check_on_card(student_id: int, application_id: int) -> None:
    """The application must be this student's: another's is as unknown as a missing one."""
    with current_runtime().db.sessions() as s:
        row = s.get(ExcuseApplication, application_id)
        if row is None or row.student_id != student_id:
            raise NotFoundError("Няма такова заявление.")


@application_pages.route("/students/<int:student_id>/excuse-applications/<int:application_id>/accept",
                         methods=["POST"])
@require_roles("class_teacher")
def accept(student_id: int, application_id: int):
    """Приеми: the excuse is made as by „Извини“ (reason: the parent's application)."""
    _check_on_card(student_id, application_id)
    try:
        _row, hours = applications.accept(current_runtime(), current_user(), application_id)
    except DomainError as refused:
        if not refused.errors:
            raise
        return _done(student_id, " ".join(text for texts in refused.errors.values() for text in texts), "error")
    return _done(student_id, f"Заявлението е прието. Извинени учебни часове: {hours}.")


@application_pages.route("/students/<int:student_id>/excuse-applications/<int:application_id>/refuse",
                         methods=["POST"])
@require_roles("class_teacher")
def refuse(student_id: int, application_id: int):
    """Откажи: with the reason the parent reads on the card; without one, the card again (422)."""
    _check_on_card(student_id, application_id)
    try:
        data = RefusalSchema().load({"reason": request.form.get("refusal", "").strip() or None})
        applications.refuse(current_runtime(), current_user(), application_id, data["reason"])
    except ValidationError:
        errors = {f"refusal-{application_id}": ["Посочете причината за отказа."]}
    except DomainError as refused:
        if not refused.errors:
            raise
        errors = {f"refusal-{application_id}": [t for texts in refused.errors.values() for t in texts]}
    else:
        return _done(student_id, "Заявлението е отказано.")
    return _refused(student_id, application_errors=errors)
