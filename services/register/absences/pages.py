"""The lesson page (учебен час) and the class's month (отсъствия за месеца), under /register.

Both call the application functions the API calls (recording, correcting, summaries); a refused
form comes back with 422 and each problem next to its field, a saved one redirects (303) to the
page again.  The forms are plain posts; htmx only swaps ``<main>`` in place of a full reload.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from flask import Blueprint, flash, redirect, render_template, request

from services.register.absences import class_month, correcting, finalising, lessons
from services.register.timetable.timetables import lesson_count
from shared.auth.flask_auth import require_roles
from shared.auth.roles import MANAGEMENT, OFFICE, TEACHERS
from shared.errors import ConflictError, DomainError, InvalidInputError
from shared.web.context import current_runtime
from shared.web.pages import current_user

absences_pages = Blueprint("absences_pages", __name__, template_folder="templates")

#: What a student's row may say: the value sent by the form → the mark's kind (none: present).
CHOICES = {"present": None, "unexcused": "unexcused", "late": "late"}


def lesson_url(code: str, day: dt.date, lesson: int) -> str:
    return f"/register/classes/{code}/lessons?{urlencode({'date': day.isoformat(), 'lesson': lesson})}"


@absences_pages.context_processor
def _links() -> dict:
    return {"lesson_url": lesson_url, "last_lesson": lesson_count(current_runtime())}


def _query_date(raw: str | None, field: str = "date") -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInputError({field: "Датата трябва да е във формат ГГГГ-ММ-ДД."}) from exc


def _query_lesson(raw: str | None) -> int | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise InvalidInputError({"lesson": "Номерът на часа е цяло число."})
    return int(raw)


def _posted_marks(form) -> list[dict]:
    """``mark-<student id>`` fields as the API's marks (present students are left out)."""
    marks = []
    for name, value in form.items():
        if name.startswith("mark-") and name[5:].isdigit() and CHOICES.get(value):
            marks.append({"student_id": int(name[5:]), "kind": CHOICES[value]})
    return marks


@absences_pages.route("/classes/<code>/lessons", methods=["GET", "POST"])
@require_roles(*MANAGEMENT, *TEACHERS)
def lesson_page(code: str):
    """Record a lesson's absences (or correct them within the edit window); readers see them."""
    rt, user = current_runtime(), current_user()
    if request.method == "GET":
        sheet = lessons.lesson_sheet(rt, user, code, _query_date(request.args.get("date")),
                                     _query_lesson(request.args.get("lesson")))
        return render_template("register/lesson.html", sheet=sheet, errors={}, posted=None), 200, {
            "Vary": "HX-Request"}
    day = _query_date(request.form.get("date")) or rt.clock.today()
    number = _query_lesson(request.form.get("lesson")) or 1
    marks = _posted_marks(request.form)
    # The sheet is read again only to show a refusal: a saved lesson redirects to its page, which reads it
    # (bench/bench_pages.py: the save took 1.6× the API's POST while it read the sheet first).
    try:
        if request.form.get("mode") == "correct":
            correcting.correct_lesson(rt, user, {"class_code": code, "date": day, "lesson": number, "marks": marks})
            flash("Поправката е отразена.", "success")
        else:
            subject = request.form.get("subject", "")
            # A subject the user does not teach here is refused by ``record_class_lesson`` (403), as by the API.
            if not subject:
                raise InvalidInputError({"subject": "Изберете един от предметите, които преподавате в паралелката."})
            stored = lessons.record_class_lesson(rt, user, code, {"date": day, "lesson": number, "subject": subject,
                                                                 "marks": marks})
            if not stored:  # a stored lesson says „Записано“ itself, on every later visit too
                flash("Всички ученици присъстват: няма отсъствия за записване.", "success")
    except (InvalidInputError, ConflictError) as refused:  # a 403 or 404 stays the error page
        posted = {m["student_id"]: m["kind"] for m in marks}
        sheet = lessons.lesson_sheet(rt, user, code, day, number)
        return render_template("register/lesson.html", sheet=sheet, errors=_form_errors(refused),
                               posted=posted, subject=request.form.get("subject")), 422
    return redirect(lesson_url(code, day, number), code=303)


def _form_errors(refused: DomainError) -> dict[str, list[str]]:
    """The domain's field paths as the form's fields (``marks.3.kind`` belongs to the marks' table)."""
    errors: dict[str, list[str]] = {}
    for path, texts in (refused.errors or {"_schema": [refused.message]}).items():
        field = "marks" if path.startswith("marks") else path if path in ("date", "subject") else "_schema"
        errors.setdefault(field, []).extend(texts)
    return errors


def _month_of(raw: str, today: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{raw}-01") if raw else today.replace(day=1)
    except ValueError as exc:
        raise InvalidInputError({"month": "Месецът трябва да е във формат ГГГГ-ММ."}) from exc


def _month_page(code: str, first: dt.date, errors: dict | None = None, through: str | None = None,
                status: int = 200):
    rt = current_runtime()
    month = class_month.class_month(rt, current_user(), code, first)
    offered = through or finalising.last_week_end(rt.clock.today()).isoformat()
    return render_template("register/class_month.html", month=month, previous=class_month.month_of(month.first, -1),
                           following=class_month.month_of(month.first, 1), errors=errors or {},
                           through=offered), status


@absences_pages.route("/classes/<code>/absences")
@require_roles(*OFFICE, "class_teacher")
def month_page(code: str):
    """The month at a glance: excused, unexcused (halves shown) and late, with the ladder's rung."""
    return _month_page(code, _month_of(request.args.get("month", ""), current_runtime().clock.today()))


@absences_pages.route("/classes/<code>/absences/finalised", methods=["POST"])
@require_roles("class_teacher")
def finalise_page(code: str):
    """„Оформи седмицата“ (Чл. 97, т. 9), as ``POST /classes/{code}/absences/finalised``; refusals by the date."""
    rt = current_runtime()
    raw = request.form.get("through", "")
    first = _month_of(request.form.get("month", ""), rt.clock.today())
    try:
        through = _query_date(raw, "through")
        if through is None:
            raise InvalidInputError({"through": "Изберете до кой ден са оформени отсъствията."})
        finalising.finalise(rt, current_user(), code, through)
    except (InvalidInputError, ConflictError) as refused:
        return _month_page(code, first, _form_errors_of(refused), raw, 422)
    flash(f"Отсъствията на {code} клас са оформени до {through:%d.%m.%Y} ({finalising.ARTICLE}).", "success")
    return redirect(f"/register/classes/{code}/absences?month={first:%Y-%m}", code=303)


def _form_errors_of(refused: DomainError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for path, texts in (refused.errors or {"_schema": [refused.message]}).items():
        errors.setdefault("through" if path == "through" else "_schema", []).extend(texts)
    return errors
