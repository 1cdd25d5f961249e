"""The students' import page (внасяне на ученици), ``/register/import``: upload, preview, then import.

The uploaded file waits on the server between the preview and the import
(:mod:`shared.web.uploads`); it is deleted after the import. Both steps call the same checks as
``POST /api/register/students/import`` (:mod:`services.register.people.importing`).
"""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, flash, redirect, render_template, request

from services.register.people import importing
from shared.auth.flask_auth import require_roles
from shared.auth.roles import OFFICE
from shared.errors import GENERAL, InvalidInputError
from shared.web.context import current_runtime
from shared.web.pages import current_user
from shared.web.uploads import UploadFolder, headings_workbook, problems_by_cell

student_import = Blueprint("student_import", __name__, template_folder="templates")

#: The uploads waiting for their import, under ``<data dir>/register/imports``.
UPLOADS = UploadFolder("imports")


def _preview_page(upload_id: str, status: int = 200, errors: dict[str, list[str]] | None = None):
    path = UPLOADS.find(upload_id)
    try:
        students, found = importing.preview_students(current_runtime(), path.name, path.read_bytes())
    except InvalidInputError as refused:  # the file itself cannot be read
        students, found = [], refused.errors
    found = errors or found
    general, cells = problems_by_cell(found)
    classes = sorted(Counter(st["class_code"] for st in students if st.get("class_code")).items())
    guardians = sum(len(st.get("guardians", [])) for st in students)
    return render_template("register/import_preview.html", upload_id=upload_id, students=students,
                           classes=classes, guardians=guardians, general=general, cells=cells,
                           clean=not found), status


@student_import.route("/import")
@require_roles(*OFFICE)
def upload_form():
    return render_template("register/import.html", errors={}, headings=importing.TEMPLATE_HEADINGS)


@student_import.route("/import/template.xlsx")
@require_roles(*OFFICE)
def template():
    """An empty list with the headings the import reads, to fill in in Excel or LibreOffice."""
    return headings_workbook("Ученици", importing.TEMPLATE_HEADINGS, "ученици.xlsx")


@student_import.route("/import", methods=["POST"])
@require_roles(*OFFICE)
def upload():
    """Keep the file and show its preview; nothing is stored in the register yet."""
    upload_id, problem = UPLOADS.keep(request.files.get("file"))
    if upload_id:
        return redirect(f"{request.script_root}/import/{upload_id}", code=303)
    return render_template("register/import.html", errors={"file": [problem]},
                           headings=importing.TEMPLATE_HEADINGS), 422


@student_import.route("/import/<upload_id>")
@require_roles(*OFFICE)
def preview(upload_id: str):
    return _preview_page(upload_id)


@student_import.route("/import/<upload_id>", methods=["POST"])
@require_roles(*OFFICE)
def run_import(upload_id: str):
    """Импортирай: the API's import of the kept file; done, the file is deleted."""
    path = UPLOADS.find(upload_id)
    try:
        ids = importing.import_students(current_runtime(), current_user(), path.name, path.read_bytes())
    except InvalidInputError as refused:  # someone enrolled the same students since the preview
        return _preview_page(upload_id, 422, refused.errors or {GENERAL: [refused.message]})
    path.unlink(missing_ok=True)
    flash(f"Импортирани: {len(ids)} {'ученик' if len(ids) == 1 else 'ученици'}.", "success")
    target = f"{request.script_root}/import"
    if request.headers.get("HX-Request") == "true":
        return "", 200, {"HX-Redirect": target}
    return redirect(target, code=303)
