"""HTTP API of print sets (``/api/documents/print-sets``): documents to print as one PDF."""

from __future__ import annotations

import io

from flask import send_file

from services.documents.printing import sets
from services.documents.printing.schemas import PrintSetRequestSchema, PrintSetSchema
from services.documents.rendering import PdfUnavailableError
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import OFFICE
from shared.errors import ConflictError
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

print_sets_bp = Blueprint("print_sets", __name__, description="Комплекти за печат")


@print_sets_bp.route("/print-sets", methods=["POST"])
@require_roles(*OFFICE)
@print_sets_bp.arguments(PrintSetRequestSchema)
@print_sets_bp.response(201, PrintSetSchema)
def post_print_set(data):
    """Комплект за печат от готови документи (по номера или по филтър): един PDF, всеки документ от нова страница."""
    wanted = sets.PrintFilter(**data["filter"]) if data["filter"] is not None else None
    rt = current_runtime()
    print_set_id = sets.create_print_set(rt, current_principal(), document_ids=data["document_ids"], wanted=wanted)
    with rt.db.sessions() as s:
        return sets.print_set(s, print_set_id)


@print_sets_bp.route("/print-sets", methods=["GET"])
@require_roles(*OFFICE)
@print_sets_bp.response(200, PrintSetSchema(many=True))
def list_print_sets():
    """Последните комплекти за печат, с писмата на хартия за всеки ден."""
    with current_runtime().db.sessions() as s:
        return sets.list_print_sets(s)


@print_sets_bp.route("/print-sets/<int:print_set_id>/file", methods=["GET"])
@require_roles(*OFFICE)
@print_sets_bp.response(200, description="Комплектът като един PDF")
def print_set_file(print_set_id: int):
    """Комплектът като един PDF за печат; писмата носят адреса за плик с прозорец (DL)."""
    try:
        pdf = sets.print_set_pdf(current_runtime(), current_principal(), print_set_id)
    except PdfUnavailableError:
        raise ConflictError("PDF не може да се създаде: на сървъра не е инсталиран LibreOffice.") from None
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"komplekt-{print_set_id}.pdf")
