"""The students' import page (внасяне на ученици), ``/register/import``: upload, preview, then import.

The uploaded file waits on the server between the preview and the import, under the register's
data folder keyed by a random id (a session cookie could not hold a class's workbook, and a
client-side copy could be swapped between the two steps); it is deleted after the import, and
any left behind is deleted a day later. Both steps call the same checks as
``POST /api/register/students/import`` (:mod:`services.register.people.importing`).
"""

from __future__ import annotations

import io
import re
import secrets
import time
from collections import Counter
from pathlib import Path

import openpyxl
from flask import Blueprint, flash, redirect, render_template, request, send_file

from services.register.people import importing
from shared.auth.flask_auth import require_roles
from shared.auth.roles import OFFICE
from shared.errors import GENERAL, InvalidInputError, NotFoundError
from shared.web.context import current_runtime
from shared.web.pages import current_user

student_import = Blueprint("student_import", __name__, template_folder="templates")

#: How long an uploaded file waits for its import, in seconds.
KEEP_SECONDS = 24 * 3600
EXTENSIONS = (".csv", ".xlsx")
_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _folder() -> Path:
    folder = current_runtime().settings.data_dir / "register" / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old(folder: Path) -> None:
    """Files whose import never came: an upload is the moment to look, so no extra sweep is needed."""
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _upload(upload_id: str) -> Path:
    if _UPLOAD_ID.match(upload_id):
        for extension in EXTENSIONS:
            path = _folder() / f"{upload_id}{extension}"
            if path.exists():
                return path
    raise NotFoundError("Файлът вече е внесен или е изтекъл. Качете го отново.")


def _problems(errors: dict[str, list[str]]) -> tuple[list[str], list[tuple[int, str, str]]]:
    """``{"ред 3.ЕГН/ЛНЧ": [...]}`` as (row, column, text) rows in row order; the file's own problems apart."""
    general, by_cell = [], []
    for path, texts in errors.items():
        row, _dot, column = path.partition(".")
        if row.startswith("ред ") and row[4:].isdigit():
            by_cell.extend((int(row[4:]), column, text) for text in texts)
        else:
            general.extend(texts)
    return general, sorted(by_cell, key=lambda cell: cell[0])


def _preview_page(upload_id: str, status: int = 200, errors: dict[str, list[str]] | None = None):
    path = _upload(upload_id)
    try:
        students, found = importing.preview_students(current_runtime(), path.name, path.read_bytes())
    except InvalidInputError as refused:  # the file itself cannot be read
        students, found = [], refused.errors
    found = errors or found
    general, cells = _problems(found)
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
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ученици"
    sheet.append(list(importing.TEMPLATE_HEADINGS))
    content = io.BytesIO()
    book.save(content)
    content.seek(0)
    return send_file(content, mimetype=XLSX, as_attachment=True, download_name="ученици.xlsx")


@student_import.route("/import", methods=["POST"])
@require_roles(*OFFICE)
def upload():
    """Keep the file and show its preview; nothing is stored in the register yet."""
    sent = request.files.get("file")
    name = (sent.filename or "").lower() if sent else ""
    if not name:
        problem = "Изберете файл."
    elif not name.endswith(EXTENSIONS):
        problem = "Очаква се файл .csv или .xlsx."
    else:
        folder = _folder()
        _forget_old(folder)
        upload_id = secrets.token_hex(16)
        sent.save(folder / f"{upload_id}{Path(name).suffix}")
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
    path = _upload(upload_id)
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
