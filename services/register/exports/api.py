"""HTTP API of the monthly exports (contract: ``GET /exports/neispuo-absences``)."""

from __future__ import annotations

from flask import Response

from services.register.exports import benefit, monthly, neispuo, prepared, workbooks
from services.register.exports.schemas import (
    MonthFilterSchema,
    MonthlyExportSchema,
    MonthQuerySchema,
    SubmittedSchema,
)
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import OFFICE
from shared.errors import InvalidInputError
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
    """Учениците над прага на неизвинените отсъствия за месеца, с уведомлението до родителите (Чл. 97, т. 15)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        criterion = benefit.criterion_of(rt.components.rule_pack)
        rows = workbooks.benefit_students(s, query["year"], query["month"], criterion=criterion,
                                          late_half_hours=rt.settings.late_half_hours, listed_on=rt.clock.today())
    name = f"zas_{query['year']}_{query['month']:02d}.xlsx"
    content = workbooks.benefit_workbook(rows, query["year"], query["month"], monthly.criterion_words(criterion))
    return _attachment(content, name, XLSX)


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


@exports_bp.route("/exports/monthly", methods=["POST"])
@require_roles(*OFFICE)
@exports_bp.arguments(MonthQuerySchema)
@exports_bp.response(201, MonthlyExportSchema)
def prepare_month(body):
    """Изготвя справките за месеца отново (нова версия; предишните остават за изтегляне)."""
    rt = current_runtime()
    with rt.db.transaction() as s:
        export = prepared.prepare_month(s, rt, body["year"], body["month"], current_principal())
        return prepared.month_view(s, export)


@exports_bp.route("/exports/monthly", methods=["GET"])
@require_roles(*OFFICE)
@exports_bp.arguments(MonthFilterSchema, location="query")
@exports_bp.response(200, MonthlyExportSchema(many=True))
def list_months(query):
    """Всички изготвени месечни справки, най-новите първи."""
    with current_runtime().db.sessions() as s:
        return prepared.list_months(s, query.get("year"), query.get("month"))


@exports_bp.route("/exports/monthly/<int:export_id>", methods=["GET"])
@require_roles(*OFFICE)
@exports_bp.response(200, MonthlyExportSchema)
def get_month(export_id: int):
    with current_runtime().db.sessions() as s:
        return prepared.month_view(s, prepared.export_or_404(s, export_id))


@exports_bp.route("/exports/monthly/<int:export_id>/files/<kind>", methods=["GET"])
@require_roles(*OFFICE)
@exports_bp.response(200, description="Файлът, както е изготвен тогава")
def download_month_file(export_id: int, kind: str):
    """``neispuo`` (.txt за НЕИСПУО), ``benefit`` (справката до ЗАС), ``ruo`` (справката за РУО)."""
    with current_runtime().db.sessions() as s:
        file = prepared.month_file(s, export_id, kind)
        return _attachment(file.content, file.name, file.mimetype)


@exports_bp.route("/exports/monthly/<int:export_id>/submitted", methods=["POST"])
@require_roles(*OFFICE)
@exports_bp.arguments(SubmittedSchema)
@exports_bp.response(200, MonthlyExportSchema)
def submit_month(body, export_id: int):
    """Отбелязва справките за месеца като подадени; сроковете им в плана се закриват."""
    rt = current_runtime()
    with rt.db.transaction() as s:
        export = prepared.submit_month(s, rt, export_id, current_principal(), body["submitted_on"])
        return prepared.month_view(s, export)
