"""HTTP API of absences, excuses, summaries and rule firings (отсъствия; part of ``/api/register``)."""

from __future__ import annotations

import dataclasses

from services.register.absences import bulk, correcting, excusing, finalising, recording, summaries
from services.register.absences.schemas import (
    AbsenceLessonSchema,
    CorrectedSchema,
    CorrectionSchema,
    CountSchema,
    DryRunFiringSchema,
    DryRunQuerySchema,
    ExcusedSchema,
    ExcuseSchema,
    FinalisationRequestSchema,
    FinalisationSchema,
    FiringQuerySchema,
    FiringSchema,
    SummaryQuerySchema,
    SummarySchema,
)
from services.register.people.access import check_may_see_student
from services.register.people.api import ImportFileSchema
from services.register.school.schemas import IdsSchema
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import MANAGEMENT, OFFICE, TEACHERS
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

absences_bp = Blueprint("absences", __name__, description="Отсъствия по часове")
rules_bp = Blueprint("rules", __name__, description="Правилата за отсъствия и сработванията им")


@absences_bp.route("/absences", methods=["POST"])
@absences_bp.arguments(AbsenceLessonSchema)
@absences_bp.response(201, IdsSchema)
def post_absences(data):
    """Отсъствия за един учебен час на цялата паралелка, в една транзакция."""
    return {"ids": recording.record_lesson(current_runtime(), current_principal(), data)}


@absences_bp.route("/absences/corrections", methods=["POST"])
@require_roles(*MANAGEMENT, *TEACHERS)
@absences_bp.arguments(CorrectionSchema)
@absences_bp.response(200, CorrectedSchema)
def post_correction(data):
    """Поправка на записан час в срока за поправка (``absence_edit_days``; по подразбиране същия учебен ден)."""
    return correcting.correct_lesson(current_runtime(), current_principal(), data)


@absences_bp.route("/absences/import", methods=["POST"])
@require_roles(*MANAGEMENT)
@absences_bp.arguments(ImportFileSchema, location="files")
@absences_bp.response(201, CountSchema)
def import_absences(files):
    """Внасяне на много отсъствия от CSV (ученик, дата, час, предмет, вид) – всичко или нищо."""
    rt = current_runtime()
    rows = bulk.parse_csv(files["file"].read())
    return {"count": bulk.import_absences(rt, current_principal(), rows)}


@absences_bp.route("/excuses", methods=["POST"])
@absences_bp.arguments(ExcuseSchema)
@absences_bp.response(201, ExcusedSchema)
def post_excuse(data):
    """Извиняване на отсъствия за период – само от класния ръководител (Чл. 97, т. 14; Чл. 61)."""
    data["from"] = data.pop("from_")
    excuse_id, hours = excusing.excuse(current_runtime(), current_principal(), data)
    return {"id": excuse_id, "excused": hours}


@absences_bp.route("/classes/<code>/absences/finalised", methods=["POST"])
@require_roles("class_teacher")
@absences_bp.arguments(FinalisationRequestSchema)
@absences_bp.response(201, FinalisationSchema)
def post_finalisation(data, code: str):
    """Оформяне на отсъствията на паралелката до даден ден – само от класния ѝ ръководител (Чл. 97, т. 9)."""
    return dataclasses.asdict(finalising.finalise(current_runtime(), current_principal(), code, data["through"]))


@absences_bp.route("/students/<int:student_id>/absences/summary", methods=["GET"])
@absences_bp.arguments(SummaryQuerySchema, location="query")
@absences_bp.response(200, SummarySchema)
def absences_summary(query, student_id: int):
    """Извинени, неизвинени и закъснения за период; закъснението се брои за 0,5 (Чл. 61, ал. 5)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        check_may_see_student(s, current_principal(), student_id, refuse_it_admin=True)
        return summaries.summary(s, student_id, query["from_"], query["to"], rt.settings.late_half_hours)


@rules_bp.route("/rule-firings", methods=["GET"])
@rules_bp.arguments(FiringQuerySchema, location="query")
@rules_bp.response(200, FiringSchema(many=True))
def list_firings(query):
    """Всяко сработило правило с члена от правилника и броя отсъствия зад него."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        return summaries.firings(s, current_principal(), query["student_id"], query["rule_id"],
                                 rt.components.rule_pack)


@rules_bp.route("/rule-firings/dry-run", methods=["GET"])
@require_roles(*OFFICE)
@rules_bp.arguments(DryRunQuerySchema, location="query")
@rules_bp.response(200, DryRunFiringSchema(many=True))
def firings_dry_run(query):
    """Какво би сработило през даден месец – без да се записва или изпраща нищо."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        return summaries.dry_run_month(s, rt, query["year"], query["month"])
