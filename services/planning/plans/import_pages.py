"""The plan's import page (внасяне на годишния план), ``/planning/plans``: upload, preview, then import.

The uploaded file waits on the server between the preview and the import, under planning's data
folder keyed by a random id (as the students' import does: a cookie cannot hold a plan, and a copy
in the browser could be swapped between the two steps); it is deleted after the import, and any
left behind a day later. Both steps call the functions of ``POST /api/planning/plans/preview`` and
``/plans/import`` (:mod:`services.planning.plans.preview`).
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request

from services.planning.access import PLAN_MANAGERS
from services.planning.models import Activity, Plan
from services.planning.plans import preview
from shared.auth.flask_auth import require_roles
from shared.errors import GENERAL, InvalidInputError, NotFoundError
from shared.web.context import current_runtime
from shared.web.pages import current_user

plan_import = Blueprint("plan_import", __name__, template_folder="templates")

#: How long an uploaded plan waits for its import, in seconds.
KEEP_SECONDS = 24 * 3600
_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    folder = current_runtime().settings.data_dir / "planning" / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _kept(upload_id: str) -> tuple[Path, dict]:
    """The kept file and what was sent with it (school year, file name)."""
    if _UPLOAD_ID.match(upload_id):
        meta = _folder() / f"{upload_id}.json"
        if meta.exists():
            return _folder() / f"{upload_id}.plan", json.loads(meta.read_text(encoding="utf-8"))
    raise NotFoundError("Файлът вече е внесен или е изтекъл. Качете го отново.")


def _form_page(errors: dict | None = None, values: dict | None = None, status: int = 200):
    with current_runtime().db.sessions() as s:
        counts = dict(s.execute(sa.select(Activity.plan_id, sa.func.count()).where(Activity.removed.is_(False))
                                .group_by(Activity.plan_id)).all())
        plans = [{"id": p.id, "school_year": p.school_year, "file": p.source_filename, "at": p.imported_at,
                  "activities": counts.get(p.id, 0)}
                 for p in s.scalars(sa.select(Plan).order_by(Plan.school_year.desc()))]
    return render_template("planning/plan_import.html", errors=errors or {}, values=values or {},
                           plans=plans), status


def _preview_page(upload_id: str, errors: dict | None = None, chosen: dict | None = None, status: int = 200):
    path, meta = _kept(upload_id)
    shown = preview.view(preview.parse(current_runtime(), path.read_bytes(), meta["filename"], meta["school_year"]))
    return render_template("planning/plan_preview.html", upload_id=upload_id, plan=shown, meta=meta,
                           errors=errors or {}, chosen=chosen or {}), status


@plan_import.route("/plans")
@require_roles(*PLAN_MANAGERS)
def upload_form():
    return _form_page()


@plan_import.route("/plans", methods=["POST"])
@require_roles(*PLAN_MANAGERS)
def upload():
    """Keep the file and show its preview; nothing is stored in the plan yet."""
    sent = request.files.get("file")
    data = sent.read(preview.MAX_PLAN_BYTES + 1) if sent else b""
    filename = (sent.filename or "") if sent else ""
    school_year = request.form.get("school_year", "").strip()
    try:
        preview.check_upload(filename, data, school_year)
        preview.parse(current_runtime(), data, filename, school_year)
    except InvalidInputError as refused:
        return _form_page(refused.errors, {"school_year": school_year}, 422)
    folder = _folder()
    _forget_old(folder)
    upload_id = secrets.token_hex(16)
    (folder / f"{upload_id}.plan").write_bytes(data)
    (folder / f"{upload_id}.json").write_text(json.dumps({"school_year": school_year, "filename": filename[:300]}),
                                              encoding="utf-8")
    return redirect(f"{request.script_root}/plans/import/{upload_id}", code=303)


@plan_import.route("/plans/import/<upload_id>")
@require_roles(*PLAN_MANAGERS)
def show_preview(upload_id: str):
    return _preview_page(upload_id)


@plan_import.route("/plans/import/<upload_id>", methods=["POST"])
@require_roles(*PLAN_MANAGERS)
def run_import(upload_id: str):
    """Импортирай: the API's import of the kept file with the dates set on the preview."""
    path, meta = _kept(upload_id)
    given, fields = _decisions(request.form)
    try:
        result = preview.import_plan(current_runtime(), current_user(), path.read_bytes(), meta["filename"],
                                     meta["school_year"], given)
    except InvalidInputError as refused:
        errors = {fields.get(name, GENERAL): texts for name, texts in refused.errors.items()}
        return _preview_page(upload_id, errors or {GENERAL: [refused.message]}, dict(request.form), 422)
    path.unlink(missing_ok=True)
    path.with_suffix(".json").unlink(missing_ok=True)
    count = result["activities"]
    flash(f"Планът за {meta['school_year']} г. е внесен: {count} {'дейност' if count == 1 else 'дейности'}.",
          "success")
    target = f"{request.script_root}/plans"
    if request.headers.get("HX-Request") == "true":
        return "", 200, {"HX-Redirect": target}
    return redirect(target, code=303)


def _decisions(form) -> tuple[dict[str, str], dict[str, str]]:
    """The preview's rows ``key-N`` with ``due-N`` (a date) or ``undated-N`` (a checkbox) as the API's
    ``dates``, and which form field each API field came from, to show its error next to it."""
    given: dict[str, str] = {}
    fields: dict[str, str] = {}
    for name, key in form.items():
        if not name.startswith("key-"):
            continue
        index = name[4:]
        due = form.get(f"due-{index}", "").strip()
        if due:
            given[key] = due
        elif form.get(f"undated-{index}"):
            given[key] = preview.UNDATED
        fields[f"dates.{key}"] = f"due-{index}"
    return given, fields
