"""HTTP API of the monthly exports (contract: ``GET /exports/neispuo-absences``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response

from services.register.exports import monthly, neispuo, workbooks
from services.register.exports.schemas import (
    MonthFilterSchema,
    MonthlyExportSchema,
    MonthQuerySchema,
    SubmittedSchema,
)
from services.register.models.exports import ExportFile, MonthlyExport
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import OFFICE
from shared.errors import ConflictError, InvalidInputError, NotFoundError
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

exports_bp = Blueprint("exports", __name__, description="Месечни справки за НЕИСПУО, ЗАС и РУО")


def _attachment(content: bytes, name: str, mimetype: str) -> Response:
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@exports_bp.route("/exports/neispuo-absences", methods=["GET"])
@require_roles(*OFFICE)
@exports_bp.arguments(MonthQuerySchema, location="query")
@exports_bp.response(200, description="Файлът за НЕИСПУО (Windows-1251)")
def neispuo_absences(query):
    """Месечният файл с отсъствията за НЕИСПУО (Чл. 97, т. 10); проблемите се назовават по ученик (422)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        try:
            month_file = neispuo.build(s, query["year"], query["month"], late_half_hours=rt.settings.late_half_hours)
        except neispuo.ExportProblemsError as exc:
            raise InvalidInputError(exc.problems) from exc
    return _attachment(month_file.content, month_file.name, "text/plain; charset=windows-1251")


@exports_bp.route("/exports/benefit-list.xlsx", methods=["GET"])
@require_roles(*OFFICE)
@exports_bp.arguments(MonthQuerySchema, location="query")
@exports_bp.response(200, description="Справката до ЗАС (.xlsx)")
def benefit_list(query):
    """Учениците с повече от 5 неизвинени отсъствия за месеца и дали родителите са уведомени (Чл. 97, т. 15)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        rows = workbooks.benefit_students(s, query["year"], query["month"], threshold=rt.settings.benefit_threshold,
                                          comparison=rt.settings.benefit_comparison,
                                          late_half_hours=rt.settings.late_half_hours)
    name = f"zas_{query['year']}_{query['month']:02d}.xlsx"
    criterion = monthly.criterion_words(rt.settings.benefit_threshold, rt.settings.benefit_comparison)
    return _attachment(workbooks.benefit_workbook(rows, query["year"], query["month"], criterion), name, XLSX)


@exports_bp.route("/exports/ruo-report.xlsx", methods=["GET"])
@require_roles(*OFFICE)
@exports_bp.arguments(MonthQuerySchema, location="query")
@exports_bp.response(200, description="Месечната справка за РУО (.xlsx)")
def ruo_report(query):
    """По паралелки и ученици: извинени, неизвинени и закъснения за месеца и от началото на годината."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        content = workbooks.ruo_workbook(s, query["year"], query["month"], rt.settings.late_half_hours)
    return _attachment(content, f"ruo_{query['year']}_{query['month']:02d}.xlsx", XLSX)


# -- the prepared months, with their history --------------------------------------------------


def _with_files(session, export) -> dict:
    files = session.scalars(sa.select(ExportFile).where(ExportFile.export_id == export.id)
                            .order_by(ExportFile.id)).all()
    return {"id": export.id, "school_year": export.school_year, "month": export.month, "status": export.status,
            "problems": export.problems, "benefit": export.benefit_rows, "scheduled": export.schedule_key is not None,
            "prepared_at": export.prepared_at, "submitted_on": export.submitted_on, "files": files}


def _export_or_404(session, export_id: int) -> MonthlyExport:
    export = session.get(MonthlyExport, export_id)
    if export is None:
        raise NotFoundError("Няма такава месечна справка.")
    return export


@exports_bp.route("/exports/monthly", methods=["POST"])
@require_roles(*OFFICE)
@exports_bp.arguments(MonthQuerySchema)
@exports_bp.response(201, MonthlyExportSchema)
def prepare_month(body):
    """Изготвя справките за месеца отново (нова версия; предишните остават за изтегляне)."""
    rt = current_runtime()
    with rt.db.transaction() as s:
        try:
            export = monthly.prepare(s, rt, monthly.ExportMonth(body["year"], body["month"]), who=current_principal())
        except neispuo.ExportProblemsError as exc:
            raise InvalidInputError(exc.problems) from exc
        return _with_files(s, export)


@exports_bp.route("/exports/monthly", methods=["GET"])
@require_roles(*OFFICE)
@exports_bp.arguments(MonthFilterSchema, location="query")
@exports_bp.response(200, MonthlyExportSchema(many=True))
def list_months(query):
    """Всички изготвени месечни справки, най-новите първи."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        statement = sa.select(MonthlyExport).order_by(MonthlyExport.id.desc())
        if "year" in query:
            statement = statement.where(MonthlyExport.school_year == query["year"])
        if "month" in query:
            statement = statement.where(MonthlyExport.month == query["month"])
        return [_with_files(s, export) for export in s.scalars(statement)]


@exports_bp.route("/exports/monthly/<int:export_id>", methods=["GET"])
@require_roles(*OFFICE)
@exports_bp.response(200, MonthlyExportSchema)
def get_month(export_id: int):
    rt = current_runtime()
    with rt.db.sessions() as s:
        return _with_files(s, _export_or_404(s, export_id))


@exports_bp.route("/exports/monthly/<int:export_id>/files/<kind>", methods=["GET"])
@require_roles(*OFFICE)
@exports_bp.response(200, description="Файлът, както е изготвен тогава")
def download_month_file(export_id: int, kind: str):
    """``neispuo`` (.txt за НЕИСПУО), ``benefit`` (справката до ЗАС), ``ruo`` (справката за РУО)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        _export_or_404(s, export_id)
        file = s.scalar(sa.select(ExportFile).where(ExportFile.export_id == export_id, ExportFile.kind == kind))
        if file is None:
            raise NotFoundError("Този файл не е изготвен за месеца (вижте проблемите в справката).")
        return _attachment(file.content, file.name, file.mimetype)


@exports_bp.route("/exports/monthly/<int:export_id>/submitted", methods=["POST"])
@require_roles(*OFFICE)
@exports_bp.arguments(SubmittedSchema)
@exports_bp.response(200, MonthlyExportSchema)
def submit_month(body, export_id: int):
    """Отбелязва справките за месеца като подадени; сроковете им в плана се закриват."""
    rt = current_runtime()
    if body["submitted_on"] > rt.clock.today():
        raise InvalidInputError({"submitted_on": ["Датата на подаване не може да е в бъдещето."]})
    with rt.db.transaction() as s:
        export = _export_or_404(s, export_id)
        if export.status != "ready":
            raise ConflictError("Файлът за НЕИСПУО не е изготвен: поправете проблемите и изгответе справката отново.")
        if export.submitted_on is not None:
            raise ConflictError(f"Справката е отбелязана като подадена на {export.submitted_on:%d.%m.%Y}.")
        monthly.mark_submitted(s, rt, export, current_principal(), body["submitted_on"])
        return _with_files(s, export)
