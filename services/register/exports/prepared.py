"""The prepared months (изготвени месечни справки) as the office works with them: listed, prepared
again, downloaded, marked submitted.

One set of functions for the API and the page, so that who may do it, what is refused and which
rows are read are written once; both open the transaction and check the role before calling here.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session, defer

from services.register.exports import monthly, neispuo
from services.register.models.exports import ExportFile, MonthlyExport
from services.register.models.people import User
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError, NotFoundError
from shared.runtime import ServiceRuntime


def export_or_404(session: Session, export_id: int) -> MonthlyExport:
    export = session.get(MonthlyExport, export_id)
    if export is None:
        raise NotFoundError("Няма такава месечна справка.")
    return export


def _view(export: MonthlyExport, files: list[ExportFile], names: dict[int, str]) -> dict:
    return {"id": export.id, "school_year": export.school_year, "month": export.month, "status": export.status,
            "problems": export.problems, "benefit": export.benefit_rows, "scheduled": export.schedule_key is not None,
            "prepared_at": export.prepared_at, "submitted_on": export.submitted_on, "files": files,
            "label": monthly.ExportMonth(export.school_year, export.month).label,
            "prepared_by": names.get(export.prepared_by), "submitted_by": names.get(export.submitted_by)}


def _views(session: Session, exports: list[MonthlyExport]) -> list[dict]:
    """The preparations with their files and who prepared and submitted them: three queries in all."""
    ids = [export.id for export in exports]
    # The files' contents stay in the database: a listing needs only their names and checksums.
    files = session.scalars(sa.select(ExportFile).options(defer(ExportFile.content))
                            .where(ExportFile.export_id.in_(ids)).order_by(ExportFile.id)).all() if ids else []
    by_export: dict[int, list[ExportFile]] = {}
    for file in files:
        by_export.setdefault(file.export_id, []).append(file)
    people = {e.prepared_by for e in exports} | {e.submitted_by for e in exports}
    people.discard(None)
    names = dict(session.execute(sa.select(User.id, User.name).where(User.id.in_(people))).all()) if people else {}
    return [_view(export, by_export.get(export.id, []), names) for export in exports]


def month_view(session: Session, export: MonthlyExport) -> dict:
    return _views(session, [export])[0]


def list_months(session: Session, year: int | None = None, month: int | None = None) -> list[dict]:
    """Every preparation kept, the newest first."""
    statement = sa.select(MonthlyExport).order_by(MonthlyExport.id.desc())
    if year is not None:
        statement = statement.where(MonthlyExport.school_year == year)
    if month is not None:
        statement = statement.where(MonthlyExport.month == month)
    return _views(session, list(session.scalars(statement)))


def month_file(session: Session, export_id: int, kind: str) -> ExportFile:
    """``neispuo`` (.txt for НЕИСПУО), ``benefit`` (the ЗАС list), ``ruo`` (the РУО report), as prepared then."""
    export_or_404(session, export_id)
    file = session.scalar(sa.select(ExportFile).where(ExportFile.export_id == export_id, ExportFile.kind == kind))
    if file is None:
        raise NotFoundError("Този файл не е изготвен за месеца (вижте проблемите в справката).")
    return file


def prepare_month(session: Session, rt: ServiceRuntime, year: int, month: int, who: Principal) -> MonthlyExport:
    """Prepare the month (again): a new version, the earlier ones kept for download."""
    try:
        return monthly.prepare(session, rt, monthly.ExportMonth(year, month), who=who)
    except neispuo.ExportProblemsError as exc:
        raise InvalidInputError(exc.problems) from exc


def submit_month(session: Session, rt: ServiceRuntime, export_id: int, who: Principal,
                 submitted_on: dt.date) -> MonthlyExport:
    """The office handed the month in on ``submitted_on``; refused for a future day, a withheld file or twice."""
    if submitted_on > rt.clock.today():
        raise InvalidInputError({"submitted_on": ["Датата на подаване не може да е в бъдещето."]})
    export = export_or_404(session, export_id)
    if export.status != "ready":
        raise ConflictError("Файлът за НЕИСПУО не е изготвен: поправете проблемите и изгответе справката отново.")
    if export.submitted_on is not None:
        raise ConflictError(f"Справката е отбелязана като подадена на {export.submitted_on:%d.%m.%Y}.")
    monthly.mark_submitted(session, rt, export, who, submitted_on)
    return export
