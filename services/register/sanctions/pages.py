"""The sanction procedures' pages, ``/register/sanctions`` and ``/register/sanctions/{id}`` (Чл. 52–60).

The list and one procedure read through ``overview`` (``procedures.sanction_view``, as
``GET /sanctions/{id}``); the forms post to ``procedures.open_sanction`` and
``procedures.complete_step``, the functions of ``POST /sanctions`` and
``POST /sanctions/{id}/steps/{name}``, so who may propose or complete a step and every refusal
with its article are the API's. A refusal comes back with 422 next to its field; a saved form
redirects (303) to the procedure. The register knows the generated orders and letters only as
the documents service's, so the page links to its search for the student.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, flash, redirect, render_template, request
from marshmallow import Schema, ValidationError

from services.register.sanctions import overview, procedures
from services.register.sanctions.schemas import SanctionSchema, StepSchema
from shared.auth.flask_auth import require_roles
from shared.auth.roles import MANAGEMENT
from shared.errors import ConflictError, InvalidInputError
from shared.web.context import current_runtime
from shared.web.errors import flatten
from shared.web.pages import current_user

sanctions_pages = Blueprint("sanctions_pages", __name__, template_folder="templates")

#: Who follows the procedures: the management and the class teacher of the student (scoped in ``overview``).
FOLLOWERS = (*MANAGEMENT, "class_teacher")
OPEN_FIELDS = ("student_id", "type", "proposed_on", "reason")
STEP_FIELDS = ("done_on", "note", "present", "child_protection_notified", "hearing_mode", "parent_attended",
               "protocol_number", "notified_on", "appeal_outcome")
#: How the student was heard (Чл. 57, ал. 3), as the form offers it.
HEARING_MODES = (("in_person", "Изслушан лично"), ("written", "Не е изслушан лично – писмено обяснение"),
                 ("both", "Изслушан лично и с писмено обяснение"))
#: What became of the appeal under the АПК (Чл. 58, ал. 4), as the form offers it.
APPEAL_OUTCOMES = (("none", "Не е обжалвана в срока"), ("filed", "Подадена жалба – чака решение"),
                   ("upheld", "Заповедта е потвърдена"), ("revoked", "Заповедта е отменена"))
#: Who may be present at the hearing (Чл. 57, ал. 3), as the form offers them.
PRESENT = (("class_teacher", "Класният ръководител"), ("psychologist", "Психологът"), ("director", "Директорът"),
           ("parent", "Родителят"))


@sanctions_pages.context_processor
def _links() -> dict:
    return {"documents_url": lambda student: "/documents/?" + urlencode({"student": student.full_name}),
            "present_roles": PRESENT, "needs_child_protection": overview.needs_child_protection,
            "hearing_modes": HEARING_MODES, "appeal_outcomes": APPEAL_OUTCOMES,
            "needs_protocol": overview.needs_protocol}


def _load(schema: Schema, data: dict) -> dict:
    try:
        return schema.load(data)
    except ValidationError as refused:
        raise InvalidInputError(flatten(refused.messages)) from None


def _errors(refused: InvalidInputError | ConflictError, fields: tuple[str, ...]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for path, texts in (refused.errors or {"_schema": [refused.message]}).items():
        name = path.split(".")[0]
        errors.setdefault(name if name in fields else "_schema", []).extend(texts)
    return errors


def _list(form: dict | None = None, errors: dict | None = None, status: int = 200):
    rt, who = current_runtime(), current_user()
    with rt.db.sessions() as s:
        items = overview.procedures_of(s, who, rt.clock.today(), procedures.policy_of(rt.settings))
        kinds, students = overview.proposable(s, who)
    blank = {"student_id": "", "type": kinds[0][0] if kinds else "", "proposed_on": rt.clock.today().isoformat(),
             "reason": ""}
    return render_template("register/sanctions.html", items=items, kinds=kinds, students=students,
                           form=form or blank, errors=errors or {}), status


@sanctions_pages.route("/sanctions")
@require_roles(*FOLLOWERS)
def list_page():
    """The procedures with their state, next step and its deadline, the overdue ones marked."""
    return _list()


@sanctions_pages.route("/sanctions", methods=["POST"])
@require_roles(*FOLLOWERS)
def open_page():
    """Открий процедура: ``POST /sanctions`` (a remark on the class teacher's proposal, the rest the council's)."""
    form = {name: request.form.get(name, "").strip() for name in OPEN_FIELDS}
    try:
        data = _load(SanctionSchema(), {k: v for k, v in form.items() if v})
        sanction_id = procedures.open_sanction(current_runtime(), current_user(), data)
    except (InvalidInputError, ConflictError) as refused:
        return _list(form, _errors(refused, OPEN_FIELDS), 422)
    flash("Процедурата е открита.", "success")
    return redirect(f"/register/sanctions/{sanction_id}", code=303)


def _detail(sanction_id: int, form: dict | None = None, errors: dict | None = None, status: int = 200,
            chosen: str | None = None):
    rt = current_runtime()
    with rt.db.sessions() as s:
        item, may_do = overview.open_procedure(s, current_user(), sanction_id, rt.clock.today(),
                                               procedures.policy_of(rt.settings))
    blank = {"done_on": rt.clock.today().isoformat(), "note": "", "present": [], "hearing_mode": "in_person",
             "protocol_number": "", "notified_on": "", "appeal_outcome": ""}
    chosen = chosen or request.args.get("step")
    step = next((d for d in item.doable if d["name"] == chosen), item.doable[0] if item.doable else None)
    return render_template("register/sanction.html", item=item, may_do=may_do, step=step,
                           form={**blank, **(form or {})}, errors=errors or {}), status


@sanctions_pages.route("/sanctions/<int:sanction_id>")
@require_roles(*FOLLOWERS)
def detail_page(sanction_id: int):
    """One procedure: its steps with deadlines and articles, the form for the next step, the documents."""
    return _detail(sanction_id)


@sanctions_pages.route("/sanctions/<int:sanction_id>/steps/<name>", methods=["POST"])
@require_roles(*FOLLOWERS)
def step_page(sanction_id: int, name: str):
    """Отбележи: ``POST /sanctions/{id}/steps/{name}``, in order and by the step's owner (Чл. 56–60)."""
    form = {key: request.form.get(key, "").strip()
            for key in ("done_on", "note", "hearing_mode", "protocol_number", "notified_on", "appeal_outcome")}
    form["present"] = request.form.getlist("present")
    flags = {flag: request.form.get(flag) == "on" for flag in ("parent_attended", "child_protection_notified")}
    try:
        data = _load(StepSchema(), {**{k: v for k, v in form.items() if v}, **flags})
        procedures.complete_step(current_runtime(), current_user(), sanction_id, name, data)
    except (InvalidInputError, ConflictError) as refused:
        return _detail(sanction_id, form, _errors(refused, STEP_FIELDS), 422, chosen=name)
    flash("Стъпката е отбелязана.", "success")
    return redirect(f"/register/sanctions/{sanction_id}", code=303)
