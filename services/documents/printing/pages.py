"""The print sets' page (``/documents/print-sets``) and „Печат“ of the documents chosen on the list.

The same use cases as the API (``sets``); the PDF is the API's file endpoint, which accepts the
session cookie, so the set is converted by one piece of code.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from services.documents.printing import sets
from shared.auth.flask_auth import require_roles
from shared.auth.roles import OFFICE
from shared.errors import InvalidInputError
from shared.web.context import current_runtime
from shared.web.pages import current_user

print_pages = Blueprint("print_pages", __name__, template_folder="templates")


@print_pages.route("/print-sets")
@require_roles(*OFFICE)
def index():
    """Комплектите за печат: избраните от канцеларията и писмата на хартия за всеки ден."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        rows = [{"id": row.id, "kind": row.kind, "day": sets.paper_day(row), "count": len(row.document_ids),
                 "created_at": row.created_at, "letters": sets.addressees(s, row)} for row in sets.list_print_sets(s)]
    return render_template("documents/print_sets.html", sets=rows, pdf=rt.components.pdf.available(),
                           print_time=rt.settings.paper_print_time)


@print_pages.route("/print-sets", methods=["POST"])
@require_roles(*OFFICE)
def create():
    """„Печат“ on the documents list: the chosen documents become one set, shown first on the sets page."""
    ids = [int(value) for value in request.form.getlist("document_id") if value.isdigit()]
    try:
        print_set_id = sets.create_print_set(current_runtime(), current_user(), document_ids=ids)
    except InvalidInputError as refused:
        for message in (m for messages in refused.errors.values() for m in messages):
            flash(message, "error")
        return redirect(url_for("documents_pages.index"), code=303)
    flash(f"Комплектът за печат № {print_set_id} е готов: {len(set(ids))} документа.", "success")
    return redirect(url_for(".index"), code=303)
