"""The timetable's page (``/register/timetable``: view per class, import, change one day) and the
lessons not recorded (``/register/lessons/unrecorded``), calling the API's own functions.

The import keeps the uploaded file between its preview and the import, as the students' import
does (:mod:`shared.web.uploads`).
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from urllib.parse import urlencode

from flask import Blueprint, flash, redirect, render_template, request

from services.register.absences.pages import lesson_url
from services.register.timetable import changes, day, importing, views
from services.register.timetable.now import lessons_begun
from services.register.timetable.rules.bells import parse_bells
from services.register.timetable.rules.checks import WEEKDAYS
from shared.auth.flask_auth import require_roles
from shared.auth.roles import MANAGEMENT, OFFICE
from shared.errors import InvalidInputError
from shared.web.context import current_runtime
from shared.web.pages import current_user
from shared.web.uploads import UploadFolder, headings_workbook, problems_by_cell

timetable_pages = Blueprint("timetable_pages", __name__, template_folder="templates")

#: The uploads waiting for their import, under ``<data dir>/register/timetable-imports``.
UPLOADS = UploadFolder("timetable-imports")


def _date(raw: str | None, field: str = "date") -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInputError({field: "Датата трябва да е във формат ГГГГ-ММ-ДД."}) from exc


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.strip().isdigit() and len(raw.strip()) < 6 else None


def _page(status: int = 200, errors: dict | None = None, form: dict | None = None, import_errors: dict | None = None):
    """The class's grid, with the import's and the day's change's forms."""
    rt = current_runtime()
    chosen_day = _date(request.values.get("date")) or rt.clock.today()
    with rt.db.sessions() as s:
        codes = views.class_codes(s)
        code = request.values.get("class") or (codes[0] if codes else None)
        week = views.class_week(s, code, chosen_day) if code else None
        teachers = views.teachers(s)
    bells = parse_bells(rt.settings.school_bells)
    return render_template("register/timetable.html", codes=codes, code=code, week=week, day=chosen_day,
                           teachers=teachers, bells=bells, weekdays=WEEKDAYS, grounds=changes.GROUNDS,
                           errors=errors or {}, form=form or {}, import_errors=import_errors or {},
                           headings=importing.HEADINGS), status


@timetable_pages.route("/timetable")
@require_roles(*OFFICE)
def timetable_page():
    return _page()


@timetable_pages.route("/timetable/template.xlsx")
@require_roles(*OFFICE)
def template():
    """An empty timetable with the headings the import reads, and one example row."""
    return headings_workbook("Разписание", importing.HEADINGS, "разписание.xlsx")


@timetable_pages.route("/timetable/import", methods=["POST"])
@require_roles(*OFFICE)
def upload():
    """Keep the file and show its preview; nothing is stored in the register yet."""
    upload_id, problem = UPLOADS.keep(request.files.get("file"))
    if upload_id:
        return redirect(f"{request.script_root}/timetable/import/{upload_id}", code=303)
    return _page(422, import_errors={"file": [problem]})


def _preview(upload_id: str, status: int = 200, errors: dict | None = None, valid_from: str = ""):
    path = UPLOADS.find(upload_id)
    try:
        by_class, found = importing.preview_timetable(current_runtime(), path.name, path.read_bytes())
    except InvalidInputError as refused:
        by_class, found = {}, refused.errors
    general, cells = problems_by_cell({**found, **(errors or {})}, form_fields=("valid_from",))
    return render_template("register/timetable_preview.html", upload_id=upload_id, by_class=sorted(by_class.items()),
                           cells=cells, general=general, clean=not found,
                           weekdays=WEEKDAYS, errors=errors or {}, valid_from=valid_from), status


@timetable_pages.route("/timetable/import/<upload_id>")
@require_roles(*OFFICE)
def preview(upload_id: str):
    return _preview(upload_id)


@timetable_pages.route("/timetable/import/<upload_id>", methods=["POST"])
@require_roles(*OFFICE)
def run_import(upload_id: str):
    """Импортирай: every class's timetable of the kept file from „В сила от“; done, the file is deleted."""
    path = UPLOADS.find(upload_id)
    raw = request.form.get("valid_from", "")
    try:
        valid_from = _date(raw, "valid_from")
        if valid_from is None:
            raise InvalidInputError({"valid_from": "Посочете от коя дата е в сила разписанието."})
        codes = importing.import_timetable(current_runtime(), current_user(), path.name, path.read_bytes(),
                                           valid_from)
    except InvalidInputError as refused:
        return _preview(upload_id, 422, refused.errors, raw)
    path.unlink(missing_ok=True)
    flash(f"Разписанието е внесено за {', '.join(codes)} от {valid_from:%d.%m.%Y}.", "success")
    target = f"{request.script_root}/timetable?{urlencode({'class': codes[0], 'date': valid_from.isoformat()})}"
    if request.headers.get("HX-Request") == "true":
        return "", 200, {"HX-Redirect": target}
    return redirect(target, code=303)


@timetable_pages.route("/timetable/changes", methods=["POST"])
@require_roles(*OFFICE)
def post_change():
    """Промяна за един ден (Чл. 114): the API's ``POST /classes/{code}/timetable/changes``."""
    form = request.form
    code = form.get("class", "")
    try:
        day_of = _date(form.get("date"))
        data = {"date": day_of, "lesson": _int(form.get("lesson")), "subject": form.get("subject") or None,
                "teacher_id": _int(form.get("teacher_id")), "cancelled": form.get("cancelled") == "on",
                "ground": _int(form.get("ground")), "circumstances": form.get("circumstances", "")}
        missing = {name: "Попълнете полето." for name in ("date", "lesson", "ground") if data[name] is None}
        if data["ground"] is not None and data["ground"] not in changes.GROUNDS:
            missing["ground"] = "Изберете основание по Чл. 114, ал. 1."
        if missing:
            raise InvalidInputError(missing)
        changes.save_change(current_runtime(), current_user(), code, data)
    except InvalidInputError as refused:
        return _page(422, errors=dict(refused.errors), form=form)
    flash(f"Промяната за {day_of:%d.%m.%Y}, {data['lesson']}. час е записана.", "success")
    return redirect(f"{request.script_root}/timetable?{urlencode({'class': code, 'date': day_of.isoformat()})}",
                    code=303)


@timetable_pages.route("/lessons/unrecorded")
@require_roles(*MANAGEMENT)
def unrecorded_page():
    """Невписани часове: the day's lessons the timetable has and the register does not, by teacher."""
    rt = current_runtime()
    chosen = _date(request.args.get("date")) or rt.clock.today()
    with rt.db.sessions() as s:
        school_day = day.is_school_day(s, chosen)
        missing = day.unrecorded(s, chosen, school_day=school_day, begun=lessons_begun(rt, chosen))
    ordered = sorted(missing, key=lambda st: (st.teacher, st.lesson.lesson, st.lesson.class_code))
    by_teacher = [(name, list(states)) for name, states in groupby(ordered, key=lambda st: st.teacher)]
    starts = {bell.lesson: bell.start for bell in parse_bells(rt.settings.school_bells)}
    return render_template("register/unrecorded.html", day=chosen, school_day=school_day, by_teacher=by_teacher,
                           count=len(missing), lesson_url=lesson_url, starts=starts,
                           today=rt.clock.today()), 200, {"Vary": "HX-Request"}
