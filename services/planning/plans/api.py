"""HTTP API of the annual plan: import, activities, progress, evidence, the execution report."""

from __future__ import annotations

import io
import json

import sqlalchemy as sa
from flask import request, send_file

from services.planning.access import PLAN_MANAGERS, no_parents
from services.planning.models import Evidence, Goal, Plan
from services.planning.plans import overview, preview, progress, reports
from services.planning.plans.activities import activity_or_404, activity_view
from services.planning.plans.schemas import (
    ActivityPatchSchema,
    ActivityQuerySchema,
    ActivitySchema,
    EvidenceSchema,
    HistorySchema,
    ImportResultSchema,
    PlanSchema,
    PreviewSchema,
    ReportRequestSchema,
    ReportSchema,
)
from shared.auth.flask_auth import current_principal, require_roles
from shared.errors import InvalidInputError, NotFoundError
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

plans_bp = Blueprint("plans", __name__, description="Годишен план за дейността: внасяне, дейности, напредък")


@plans_bp.route("/plans/preview", methods=["POST"])
@require_roles(*PLAN_MANAGERS)
@plans_bp.response(200, PreviewSchema)
def preview_plan():
    """Показва какво е разбрано от файла, без да записва нищо (multipart: ``file``, ``school_year``).

    Разпознатите колони, всяка дейност със срока и датата ѝ и всеки ред без дата с причината.
    """
    data, filename, school_year = _upload()
    preview.check_upload(filename, data, school_year)
    return preview.view(preview.parse(current_runtime(), data, filename, school_year))


@plans_bp.route("/plans/import", methods=["POST"])
@require_roles(*PLAN_MANAGERS)
@plans_bp.response(201, ImportResultSchema)
def import_plan():
    """Внася годишния план (multipart: ``file`` — текст/Markdown или .docx; ``school_year`` — напр. 2023/2024).

    По желание ``dates``: JSON ``{"ключ на дейност": "2024-05-31" | "undated"}`` — срок за ред без
    дата от прегледа или приемането му без срок. Повторното внасяне на същия план не създава нов:
    дейностите се обновяват по естествения си ключ, а въведеният напредък се запазва.
    """
    data, filename, school_year = _upload()
    given = request.form.get("dates", "").strip()
    try:
        dates = json.loads(given) if given else {}
    except ValueError:
        dates = None
    if not isinstance(dates, dict) or not all(isinstance(v, str) for v in dates.values()):
        raise InvalidInputError({"dates": ['Очаква се JSON обект {"ключ": "ГГГГ-ММ-ДД" или "undated"}.']})
    return preview.import_plan(current_runtime(), current_principal(), data, filename, school_year, dates)


def _upload() -> tuple[bytes, str, str]:
    upload = request.files.get("file")
    data = upload.read(preview.MAX_PLAN_BYTES + 1) if upload else b""
    return data, (upload.filename or "") if upload else "", request.form.get("school_year", "").strip()


@plans_bp.route("/plans", methods=["GET"])
@plans_bp.response(200, PlanSchema(many=True))
def list_plans():
    """Внесените годишни планове."""
    no_parents(current_principal())
    with current_runtime().db.sessions() as s:
        plans = s.scalars(sa.select(Plan).order_by(Plan.school_year))
        return [overview.plan_view(s, plan, detailed=False) for plan in plans]


@plans_bp.route("/plans/<int:plan_id>", methods=["GET"])
@plans_bp.response(200, PlanSchema)
def get_plan(plan_id: int):
    """Планът с приоритетите, целите и мерките му и предупрежденията от внасянето."""
    no_parents(current_principal())
    with current_runtime().db.sessions() as s:
        return overview.plan_view(s, overview.plan_or_404(s, plan_id), detailed=True)


@plans_bp.route("/plans/<int:plan_id>/activities", methods=["GET"])
@plans_bp.arguments(ActivityQuerySchema, location="query")
@plans_bp.response(200, ActivitySchema(many=True))
def list_activities(query, plan_id: int):
    """Дейностите на плана; ``?mine=true`` — само тези, за които отговаря текущият потребител."""
    who = current_principal()
    no_parents(who)
    rt = current_runtime()
    with rt.db.sessions() as s:
        return overview.activity_views(s, who, plan_id, rt.clock.today(), mine=query["mine"], status=query["status"],
                                       priority=query["priority"])


@plans_bp.route("/activities/<int:activity_id>", methods=["GET"])
@plans_bp.response(200, ActivitySchema)
def get_activity(activity_id: int):
    """Една дейност с текста на клетките такъв, какъвто е в плана."""
    no_parents(current_principal())
    rt = current_runtime()
    with rt.db.sessions() as s:
        row = activity_or_404(s, activity_id)
        return activity_view(row, rt.clock.today(), s.get(Goal, row.goal_id))


@plans_bp.route("/activities/<int:activity_id>", methods=["PATCH"])
@plans_bp.arguments(ActivityPatchSchema)
@plans_bp.response(200, ActivitySchema)
def update_activity(body, activity_id: int):
    """Напредък: достигната стойност, статус, доказателство; срок и отговорници — само ръководството."""
    who = current_principal()
    if not body:
        raise InvalidInputError({"_schema": ["Посочете поне едно от current, status или evidence."]})
    rt = current_runtime()
    today = rt.clock.today()
    with rt.db.transaction() as s:
        row = activity_or_404(s, activity_id)
        progress.update(s, who, row, body, today)
        return activity_view(row, today, s.get(Goal, row.goal_id))


@plans_bp.route("/activities/<int:activity_id>/history", methods=["GET"])
@plans_bp.response(200, HistorySchema)
def activity_history(activity_id: int):
    """Историята на промените и доказателствата за изпълнение."""
    no_parents(current_principal())
    with current_runtime().db.sessions() as s:
        activity_or_404(s, activity_id)
        return progress.history(s, activity_id)


@plans_bp.route("/activities/<int:activity_id>/evidence", methods=["POST"])
@plans_bp.response(201, EvidenceSchema)
def add_evidence(activity_id: int):
    """Прикача файл като доказателство за изпълнение (multipart: ``file``, по желание ``note``)."""
    who = current_principal()
    upload = request.files.get("file")
    received = progress.Upload(upload.filename or "", upload.mimetype or "", upload.read()) if upload else None
    progress.check_upload(received)
    rt = current_runtime()
    with rt.db.transaction() as s:
        row = activity_or_404(s, activity_id)
        return progress.attach(s, who, row, received, request.form.get("note", ""))


@plans_bp.route("/activities/<int:activity_id>/evidence/<int:evidence_id>/file", methods=["GET"])
@plans_bp.response(200, description="Приложеният файл")
def evidence_file(activity_id: int, evidence_id: int):
    """Изтегляне на приложен файл."""
    no_parents(current_principal())
    with current_runtime().db.sessions() as s:
        evidence = s.get(Evidence, evidence_id)
        if evidence is None or evidence.activity_id != activity_id or evidence.content is None:
            raise NotFoundError("Няма такъв файл.")
        return send_file(io.BytesIO(evidence.content), mimetype=evidence.content_type, as_attachment=True,
                         download_name=evidence.filename)


@plans_bp.route("/plans/<int:plan_id>/report", methods=["POST"])
@require_roles(*PLAN_MANAGERS)
@plans_bp.arguments(ReportRequestSchema)
@plans_bp.response(202, ReportSchema)
def request_report(body, plan_id: int):
    """Отчет за изпълнението на плана (Чл. 20, ал. 1, т. 5): документ на Word, съставен от модула за документи."""
    rt, who = current_runtime(), current_principal()
    with rt.db.transaction() as s:
        return reports.request(rt, s, who, plan_id, council_protocol=body["council_protocol"],
                               prepared_on=body["prepared_on"])


@plans_bp.route("/plans/<int:plan_id>/reports", methods=["GET"])
@require_roles(*PLAN_MANAGERS)
@plans_bp.response(200, ReportSchema(many=True))
def list_reports(plan_id: int):
    """Поисканите отчети и документите им (``document_id`` — в /api/documents/documents/{id})."""
    with current_runtime().db.sessions() as s:
        return reports.reports_of(s, plan_id)
