"""The director's prior permission on the student's card (разрешение на директора, Чл. 61, ал. 1, т. 4).

The parent applies from the child's card before the absence („От“, „До“, „Подробно описание на
причините“); the office records an application handed in on paper (with its date); the director
grants („Разреши“) or refuses („Откажи“, with a reason) there. Each form posts to the functions of
``/api/register/director-permissions`` (``absences/permissions.py``): success redirects to the card
(303), a refusal re-renders the card with the errors next to the fields (422).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request
from marshmallow import ValidationError

from services.register.absences import permissions
from services.register.absences.schemas import DirectorPermissionSchema, RefusalSchema
from services.register.models.absences import DirectorPermission
from services.register.people.card_pages import render_card
from shared.auth.flask_auth import require_roles
from shared.auth.roles import OFFICE
from shared.errors import DomainError, NotFoundError
from shared.web.context import current_runtime
from shared.web.errors import flatten
from shared.web.pages import current_user

permission_pages = Blueprint("director_permission_pages", __name__, template_folder="templates")

FORM_FIELDS = ("from", "to", "reasons", "submitted_on")


def _done(student_id: int, message: str, kind: str = "success"):
    flash(message, kind)
    return redirect(f"{request.script_root}/students/{student_id}#permissions", code=303)


def _on_fields(found: dict[str, list[str]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for path, texts in found.items():
        errors.setdefault(path if path in FORM_FIELDS else "_schema", []).extend(texts)
    return errors


@permission_pages.route("/students/<int:student_id>/director-permissions", methods=["POST"])
@require_roles("parent", *OFFICE)
def submit(student_id: int):
    """Подай заявлението до директора: stored as pending, or the card again with the refusal (422)."""
    form = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    try:
        data = DirectorPermissionSchema().load({"student_id": student_id, **{k: v for k, v in form.items() if v}})
        data["from"] = data.pop("from_")
        permissions.submit(current_runtime(), current_user(), data)
    except ValidationError as refused:
        errors = _on_fields(flatten(refused.messages))
    except DomainError as refused:
        if not refused.errors:
            raise
        errors = _on_fields(refused.errors)
    else:
        return _done(student_id, "Заявлението до директора е подадено. Директорът ще го разгледа.")
    return render_card("register/student_card.html", student_id, permission_form=form,
                       permission_errors=errors), 422


def _check_on_card(student_id: int, permission_id: int) -> None:
    with current_runtime().db.sessions() as s:
        row = s.get(DirectorPermission, permission_id)
        if row is None or row.student_id != student_id:
            raise NotFoundError("Няма такова заявление.")


@permission_pages.route("/students/<int:student_id>/director-permissions/<int:permission_id>/grant",
                        methods=["POST"])
@require_roles("director")
def grant(student_id: int, permission_id: int):
    """Разреши: the days are excused now and as they are recorded."""
    _check_on_card(student_id, permission_id)
    try:
        _row, hours = permissions.grant(current_runtime(), current_user(), permission_id)
    except DomainError as refused:
        if not refused.errors:
            raise
        return _done(student_id, " ".join(text for texts in refused.errors.values() for text in texts), "error")
    return _done(student_id, f"Отсъствието е разрешено. Извинени досега учебни часове: {hours}.")


@permission_pages.route("/students/<int:student_id>/director-permissions/<int:permission_id>/refuse",
                        methods=["POST"])
@require_roles("director")
def refuse(student_id: int, permission_id: int):
    """Откажи: with the reason the parent reads on the card; without one, the card again (422)."""
    _check_on_card(student_id, permission_id)
    try:
        data = RefusalSchema().load({"reason": request.form.get("refusal", "").strip() or None})
        permissions.refuse(current_runtime(), current_user(), permission_id, data["reason"])
    except ValidationError:
        errors = {f"permission-refusal-{permission_id}": ["Посочете причината за отказа."]}
    except DomainError as refused:
        if not refused.errors:
            raise
        errors = {f"permission-refusal-{permission_id}": [t for texts in refused.errors.values() for t in texts]}
    else:
        return _done(student_id, "Заявлението до директора е отказано.")
    return render_card("register/student_card.html", student_id, permission_errors=errors), 422
