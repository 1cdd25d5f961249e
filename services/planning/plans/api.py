"""HTTP API of the annual plan: import, activities, progress, evidence, the execution report."""

from __future__ import annotations

import io
import json

import sqlalchemy as sa
from flask import request, send_file

from services.planning.access import PLAN_MANAGERS, may_change, no_parents
from services.planning.models import TABLES, Activity, ActivityChange, Evidence, Goal, Plan, PlanReport, PriorityArea
from services.planning.plans import preview, reports
from services.planning.plans.activities import activity_or_404, activity_view, apply_progress
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
from services.planning.tracking.items import activity_item, current_activities
from services.planning.tracking.rules.states import is_mine
from shared import audit
from shared.auth.flask_auth import current_principal, require_roles
from shared.errors import InvalidInputError, NotAllowedError, NotFoundError
from shared.platform_models import utcnow
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

#: Bytes; one evidence file (a protocol scan, a photo).
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

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
        return [_plan_view(s, plan, detailed=False) for plan in s.scalars(sa.select(Plan).order_by(Plan.school_year))]


@plans_bp.route("/plans/<int:plan_id>", methods=["GET"])
@plans_bp.response(200, PlanSchema)
def get_plan(plan_id: int):
    """Планът с приоритетите, целите и мерките му и предупрежденията от внасянето."""
    no_parents(current_principal())
    with current_runtime().db.sessions() as s:
        return _plan_view(s, _plan_or_404(s, plan_id), detailed=True)


def _plan_or_404(session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFoundError("Няма такъв годишен план.")
    return plan


def _plan_view(session, plan: Plan, *, detailed: bool) -> dict:
    count = session.scalar(sa.select(sa.func.count()).where(Activity.plan_id == plan.id, Activity.removed.is_(False)))
    view = {"id": plan.id, "school_year": plan.school_year, "declared_school_year": plan.declared_school_year,
            "source_filename": plan.source_filename, "imported_at": plan.imported_at, "imports": plan.imports,
            "activities": count, "warnings": plan.warnings, "priorities": []}
    if detailed:
        goals = session.scalars(sa.select(Goal).where(Goal.plan_id == plan.id).order_by(Goal.id)).all()
        for area in session.scalars(sa.select(PriorityArea).where(PriorityArea.plan_id == plan.id)
                                    .order_by(PriorityArea.ordinal)):
            view["priorities"].append({
                "numeral": area.numeral, "title": area.title, "title_raw": area.title_raw,
                "goals": [{"id": g.id, "number": g.number, "number_raw": g.number_raw, "text": g.text,
                           "text_raw": g.text_raw, "measures": g.measures}
                          for g in sorted((g for g in goals if g.priority_id == area.id), key=lambda g: g.ordinal)]})
    return view


@plans_bp.route("/plans/<int:plan_id>/activities", methods=["GET"])
@plans_bp.arguments(ActivityQuerySchema, location="query")
@plans_bp.response(200, ActivitySchema(many=True))
def list_activities(query, plan_id: int):
    """Дейностите на плана; ``?mine=true`` — само тези, за които отговаря текущият потребител."""
    who = current_principal()
    no_parents(who)
    rt = current_runtime()
    today = rt.clock.today()
    with rt.db.sessions() as s:
        _plan_or_404(s, plan_id)
        goals = {g.id: g for g in s.scalars(sa.select(Goal).where(Goal.plan_id == plan_id))}
        views = []
        for row in current_activities(s, plan_id):
            if query["mine"] and not is_mine(activity_item(row), who):
                continue
            view = activity_view(row, today, goals.get(row.goal_id))
            if query["status"] and view["status"] != query["status"]:
                continue
            if query["priority"] and row.priority != query["priority"]:
                continue
            views.append(view)
        return views


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
        if not may_change(row, who):
            raise NotAllowedError("Напредъкът се отчита от отговорниците за дейността или от ръководството.")
        if ("due" in body or "assignee_ids" in body) and not who.is_management:
            raise NotAllowedError("Срокът и отговорниците се променят само от директора или заместник-директора.")
        if "assignee_ids" in body:
            unknown = sorted(set(body["assignee_ids"]) - set(s.scalars(sa.select(TABLES.principal.id))))
            if unknown:
                raise InvalidInputError(
                    {"assignee_ids": [f"Няма потребители с номера {', '.join(map(str, unknown))}."]})
        changes = apply_progress(row, body, today)
        if "evidence" in body:
            s.add(Evidence(activity_id=row.id, actor_id=who.id, note=body["evidence"].strip(), size=0))
            changes["evidence"] = [None, body["evidence"].strip()]
        if changes:
            row.updated_at = utcnow()
            s.add(ActivityChange(activity_id=row.id, actor_id=who.id, actor_name=who.name, changes=changes))
            audit.record(s, TABLES, who, "activity.update", "activity", row.id,
                         before={k: v[0] for k, v in changes.items()}, after={k: v[1] for k, v in changes.items()})
        s.flush()
        return activity_view(row, today, s.get(Goal, row.goal_id))


@plans_bp.route("/activities/<int:activity_id>/history", methods=["GET"])
@plans_bp.response(200, HistorySchema)
def activity_history(activity_id: int):
    """Историята на промените и доказателствата за изпълнение."""
    no_parents(current_principal())
    with current_runtime().db.sessions() as s:
        activity_or_404(s, activity_id)
        changes = s.scalars(sa.select(ActivityChange).where(ActivityChange.activity_id == activity_id)
                            .order_by(ActivityChange.id)).all()
        evidence = s.scalars(sa.select(Evidence).where(Evidence.activity_id == activity_id).order_by(Evidence.id)).all()
        return {"changes": changes, "evidence": evidence}


@plans_bp.route("/activities/<int:activity_id>/evidence", methods=["POST"])
@plans_bp.response(201, EvidenceSchema)
def add_evidence(activity_id: int):
    """Прикача файл като доказателство за изпълнение (multipart: ``file``, по желание ``note``)."""
    who = current_principal()
    upload = request.files.get("file")
    data = upload.read() if upload else b""
    if upload is None or not upload.filename or not data:
        raise InvalidInputError({"file": ["Изберете файл с доказателство."]})
    if len(data) > MAX_EVIDENCE_BYTES:
        raise InvalidInputError({"file": ["Файлът е по-голям от 10 MB."]})
    note = request.form.get("note", "").strip()
    rt = current_runtime()
    with rt.db.transaction() as s:
        row = activity_or_404(s, activity_id)
        if not may_change(row, who):
            raise NotAllowedError("Доказателства прилагат отговорниците за дейността или ръководството.")
        evidence = Evidence(activity_id=row.id, actor_id=who.id, note=note[:4000], filename=upload.filename[:300],
                            content_type=(upload.mimetype or "application/octet-stream")[:120], size=len(data),
                            content=data)
        s.add(evidence)
        s.flush()
        s.add(ActivityChange(activity_id=row.id, actor_id=who.id, actor_name=who.name,
                             changes={"evidence_file": [None, evidence.filename]}))
        audit.record(s, TABLES, who, "activity.evidence", "activity", row.id,
                     after={"evidence_id": evidence.id, "file": evidence.filename, "size": evidence.size})
        return evidence


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
        plan = _plan_or_404(s, plan_id)
        context = reports.context(s, plan, council_protocol=body["council_protocol"].strip(),
                                  prepared_on=body["prepared_on"] or rt.clock.today())
        message_id = rt.publish(s, "documents.document_requested", {
            "template": reports.TEMPLATE, "context": context,
            "reason": f"Отчет за изпълнението на годишния план за {plan.school_year} г."})
        report = PlanReport(plan_id=plan.id, requested_by=who.id, message_id=message_id, requested_at=utcnow())
        s.add(report)
        s.flush()
        audit.record(s, TABLES, who, "plan.report", "plan", plan.id, after={"report_id": report.id})
        return report


@plans_bp.route("/plans/<int:plan_id>/reports", methods=["GET"])
@require_roles(*PLAN_MANAGERS)
@plans_bp.response(200, ReportSchema(many=True))
def list_reports(plan_id: int):
    """Поисканите отчети и документите им (``document_id`` — в /api/documents/documents/{id})."""
    with current_runtime().db.sessions() as s:
        _plan_or_404(s, plan_id)
        return s.scalars(sa.select(PlanReport).where(PlanReport.plan_id == plan_id).order_by(PlanReport.id)).all()
