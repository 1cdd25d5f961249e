"""The director's decision to deregister a student on the card (отписване, Чл. 25, ал. 4).

The form „Отписване“ (the ground of ал. 4, т. 1–4 and the date) posts to the same
:func:`~services.register.absences.deregistering.deregister` as
``POST /api/register/students/{id}/deregistration``: success redirects to the card, which then
says the student is deregistered and on what ground (303); a refusal re-renders the card with the
errors next to the fields (422).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request
from marshmallow import ValidationError

from services.register.absences import deregistering
from services.register.absences.dropout_api import DeregistrationSchema
from services.register.people.card_pages import render_card
from shared.auth.flask_auth import require_roles
from shared.errors import DomainError
from shared.web.context import current_runtime
from shared.web.errors import flatten
from shared.web.pages import current_user

deregistration_pages = Blueprint("deregistration_pages", __name__, template_folder="templates")

FORM_FIELDS = ("ground", "date")

def _on_fields(found: dict[str, list[str]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for path, texts in found.items():
        errors.setdefault(path if path in FORM_FIELDS else "_schema", []).extend(texts)
    return errors


@deregistration_pages.route("/students/<int:student_id>/deregistration", methods=["POST"])
@require_roles("director")
def deregister(student_id: int):
    """Отпиши: the API's decision; the card says the student is deregistered, or shows the refusal (422)."""
    form = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    try:
        data = DeregistrationSchema().load({k: v for k, v in form.items() if v})
        answer = deregistering.deregister(current_runtime(), current_user(), student_id, data)
    except ValidationError as refused:
        errors = _on_fields(flatten(refused.messages))
    except DomainError as refused:
        if not refused.errors:
            raise
        errors = _on_fields(refused.errors)
    else:
        message = f"Ученикът е отписан на основание {answer['article']}."
        if answer["authorities_notified"]:
            message += (" Ученикът е в задължителна училищна възраст: изготвят се уведомленията до общинската "
                        "администрация, РУО и органите за закрила на детето (Чл. 25, ал. 5).")
        flash(message, "success")
        return redirect(f"{request.script_root}/students/{student_id}#deregistered", code=303)
    return render_card("register/student_card.html", student_id, deregistration_form=form,
                       deregistration_errors=errors), 422
