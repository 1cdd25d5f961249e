"""HTTP API of sanction procedures, the suggestion and removals (санкции; part of ``/api/register``)."""

from __future__ import annotations

from services.register.people.access import check_may_see_student
from services.register.sanctions import procedures, removals
from services.register.sanctions.schemas import (
    RemovalSchema,
    SanctionOutSchema,
    SanctionQuerySchema,
    SanctionSchema,
    StepSchema,
    SuggestionSchema,
)
from services.register.school.schemas import IdSchema
from shared.auth.flask_auth import current_principal
from shared.errors import NotAllowedError
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

sanctions_bp = Blueprint("sanctions", __name__, description="Санкции и мерки (Чл. 52–60)")


@sanctions_bp.route("/sanctions", methods=["POST"])
@sanctions_bp.arguments(SanctionSchema)
@sanctions_bp.response(201, IdSchema)
def post_sanction(data):
    """Открива процедура: забележка по предложение на класния ръководител, другите – на ПС (Чл. 56)."""
    return {"id": procedures.open_sanction(current_runtime(), current_principal(), data)}


@sanctions_bp.route("/sanctions", methods=["GET"])
@sanctions_bp.arguments(SanctionQuerySchema, location="query")
@sanctions_bp.response(200, SanctionOutSchema(many=True))
def list_sanctions(query):
    """Процедурите за налагане на санкции, по ученик."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        return procedures.sanctions_visible_to(s, current_principal(), query["student_id"], rt.clock.today(),
                                                   procedures.policy_of(rt.settings))


@sanctions_bp.route("/sanctions/<int:sanction_id>", methods=["GET"])
@sanctions_bp.response(200, SanctionOutSchema)
def get_sanction(sanction_id: int):
    """Процедурата със стъпките ѝ, сроковете и членовете от правилника."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        row = procedures.load_row(s, sanction_id)
        check_may_see_student(s, current_principal(), row.student_id, refuse_it_admin=True)
        return procedures.sanction_view(s, row, rt.clock.today(), policy=procedures.policy_of(rt.settings))


@sanctions_bp.route("/sanctions/<int:sanction_id>/steps/<name>", methods=["POST"])
@sanctions_bp.arguments(StepSchema)
@sanctions_bp.response(200, SanctionOutSchema)
def post_step(data, sanction_id: int, name: str):
    """Отбелязва стъпка от процедурата – поред и от отговорния за нея (Чл. 56–60)."""
    rt = current_runtime()
    procedures.complete_step(rt, current_principal(), sanction_id, name, data)
    with rt.db.sessions() as s:
        return procedures.sanction_view(s, procedures.load_row(s, sanction_id), rt.clock.today(),
                                        policy=procedures.policy_of(rt.settings))


@sanctions_bp.route("/students/<int:student_id>/sanction-suggestion", methods=["GET"])
@sanctions_bp.response(200, SuggestionSchema)
def sanction_suggestion(student_id: int):
    """Коя санкция сочат неизвинените отсъствия за учебната година (Чл. 52, ал. 1; закъснение = 0,5)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        student = check_may_see_student(s, current_principal(), student_id, refuse_it_admin=True)
        if current_principal().role == "parent":
            raise NotAllowedError("Предложенията за санкции са за училищния персонал.")
        return procedures.suggestion(s, student, rt.clock.today(), rt.settings.late_half_hours)


@sanctions_bp.route("/students/<int:student_id>/removals", methods=["POST"])
@sanctions_bp.arguments(RemovalSchema)
@sanctions_bp.response(201, IdSchema)
def post_removal(data, student_id: int):
    """Отстраняване от час (Чл. 52, ал. 2) или от училище (ал. 3), с уведомен родител."""
    return {"id": removals.record_removal(current_runtime(), current_principal(), student_id, data)}
