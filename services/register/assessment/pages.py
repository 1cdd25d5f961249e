"""The grade book (дневник на оценките), ``/register/classes/{code}/grades?subject=…``.

The page reads through ``grade_book.grade_book`` (the same ``term_check`` as
``GET /students/{id}/grades``) and its forms post to the functions of ``POST /grades``,
``POST /term-grades`` and ``POST /annual-grades``: only the subject's teacher writes (Чл. 139,
ал. 1), a refusal comes back with 422 and its article next to the field or the student's row, a
saved form redirects (303) to the book. The forms are plain posts; htmx swaps the form or the row.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, flash, redirect, render_template, request
from marshmallow import Schema, ValidationError

from services.register.assessment import entering, grade_book, term_results
from services.register.assessment.rules.grades import GradeValue
from services.register.assessment.schemas import AnnualGradeSchema, GradeSchema, TermGradeSchema
from shared.auth.flask_auth import require_roles
from shared.auth.roles import MANAGEMENT, TEACHERS
from shared.errors import ConflictError, InvalidInputError
from shared.web.context import current_runtime
from shared.web.errors import flatten
from shared.web.pages import current_user

assessment_pages = Blueprint("assessment_pages", __name__, template_folder="templates")

#: The fields of the form „Добави“; any other path of a refusal goes above the form.
GRADE_FIELDS = ("student_id", "value", "kind", "date")


def book_url(code: str, subject: str, term: int | None = None) -> str:
    query = {"subject": subject, **({"term": term} if term else {})}
    return f"/register/classes/{code}/grades?{urlencode(query)}"


@assessment_pages.context_processor
def _links() -> dict:
    return {"book_url": book_url, "grade_kinds": grade_book.KINDS, "grade_values": grade_book.VALUES,
            "kind_names": dict(grade_book.KINDS)}


def _term(raw: str | None) -> int | None:
    if raw in ("1", "2"):
        return int(raw)
    if raw:
        raise InvalidInputError({"term": "Срокът е 1 или 2."})
    return None


def _render(code: str, subject: str | None, term: int | None, *, form: dict | None = None,
            errors: dict | None = None, row_errors: dict | None = None, quick: dict | None = None,
            quick_errors: dict | None = None, status: int = 200):
    rt = current_runtime()
    with rt.db.sessions() as s:
        book = grade_book.grade_book(s, current_user(), code, subject, rt.clock.today(), term,
                                     absence_alone=rt.settings.term_grade_absence_alone)
    blank = {"student_id": "", "value": "", "kind": "oral", "date": rt.clock.today().isoformat()}
    quick_blank = {"kind": "oral", "date": blank["date"], "values": {}}
    return render_template("register/grade_book.html", book=book, form=form or blank, errors=errors or {},
                           row_errors=row_errors or {}, quick=quick or quick_blank,
                           quick_errors=quick_errors or {}), status, {"Vary": "HX-Request"}


@assessment_pages.route("/classes/<code>/grades")
@require_roles(*MANAGEMENT, *TEACHERS)
def book_page(code: str):
    """The book: a row per student with the term's grades, the minimum of Чл. 129 and the term grade."""
    return _render(code, request.args.get("subject") or None, _term(request.args.get("term")))


def _load(schema: Schema, data: dict) -> dict:
    """The API's schema on the form's non-empty fields (an empty one reads „Задължително поле.“)."""
    try:
        return schema.load({k: v for k, v in data.items() if v not in ("", None)})
    except ValidationError as refused:
        raise InvalidInputError(flatten(refused.messages)) from None


@assessment_pages.route("/classes/<code>/grades", methods=["POST"])
@require_roles(*TEACHERS)
def add_grade(code: str):
    """Добави: ``POST /grades``; a class work also enters the schedule under Чл. 136."""
    subject = request.form.get("subject", "")
    if request.form.get("mode") == "many":
        return _add_many(code, subject)
    form = {name: request.form.get(name, "").strip() for name in GRADE_FIELDS}
    try:
        data = _load(GradeSchema(), {**form, "subject": subject})
        row = entering.enter_grade(current_runtime(), current_user(), data)
    except (InvalidInputError, ConflictError) as refused:
        errors: dict[str, list[str]] = {}
        for path, texts in (refused.errors or {"_schema": [refused.message]}).items():
            errors.setdefault(path if path in GRADE_FIELDS else "_schema", []).extend(texts)
        return _render(code, subject, None, form=form, errors=errors, status=422)
    flash(f"Добавена оценка {GradeValue(row.value).display}.", "success")
    return redirect(book_url(code, subject), code=303)


def _add_many(code: str, subject: str):
    """Добави оценките: one kind and date, a grade for each student chosen; all or none."""
    common = {"subject": subject, "kind": request.form.get("kind", ""), "date": request.form.get("date", "").strip()}
    values = {name[6:]: value for name, value in request.form.items()
              if name.startswith("value-") and name[6:].isdigit() and value}
    errors: dict[str, list[str]] = {}
    data: dict[int, int] = {}
    loaded: dict = {}
    for sid, value in values.items():
        try:
            loaded = _load(GradeSchema(), {**common, "student_id": sid, "value": value})
        except InvalidInputError as refused:
            for path, texts in refused.errors.items():
                key = f"value-{sid}" if path in ("value", "student_id") else path if path in ("kind", "date") \
                    else "_schema"
                bucket = errors.setdefault(key, [])  # the kind's or the date's problem once, not per student
                bucket.extend(t for t in texts if t not in bucket)
        else:
            data[int(sid)] = loaded["value"]  # subject, kind and date are the same in each
    if not values:
        errors["_schema"] = ["Изберете оценка поне за един ученик."]
    if not errors:
        try:
            rows = entering.enter_grades(current_runtime(), current_user(),
                                         {k: loaded[k] for k in ("subject", "kind", "date")}, data)
        except (InvalidInputError, ConflictError) as refused:
            for path, texts in refused.errors.items():
                errors.setdefault(path if path in ("kind", "date") else "_schema", []).extend(texts)
        else:
            flash(f"Добавени оценки: {len(rows)}.", "success")
            return redirect(book_url(code, subject), code=303)
    return _render(code, subject, None, quick={"kind": common["kind"], "date": common["date"], "values": values},
                   quick_errors=errors, status=422)


def _form_result(code: str, schema: Schema, function, what: str):
    """Оформи: the term or annual grade of one student; a refusal stays in the student's row."""
    subject = request.form.get("subject", "")
    term = _term(request.form.get("term"))
    student = request.form.get("student_id", "")
    data = {"student_id": student, "subject": subject, "value": request.form.get("value", "")}
    if term is not None and "term" in schema.fields:
        data["term"] = term
    try:
        row = function(current_runtime(), current_user(), _load(schema, data))
    except (InvalidInputError, ConflictError) as refused:
        texts = [t for found in (refused.errors or {"_": [refused.message]}).values() for t in found]
        row_errors = {int(student) if student.isdigit() else 0: texts}
        return _render(code, subject, term, row_errors=row_errors, status=422)
    shown = term_results.shown(row)
    flash(f"Оформена {what} оценка: {GradeValue(shown).display if isinstance(shown, int) else shown}.", "success")
    return redirect(book_url(code, subject, term), code=303)


@assessment_pages.route("/classes/<code>/grades/term", methods=["POST"])
@require_roles(*TEACHERS)
def form_term_grade(code: str):
    """``POST /term-grades``: in the window of Чл. 137, ал. 5, when the minimum and the 25 % allow it."""
    return _form_result(code, TermGradeSchema(), term_results.form_term_grade, "срочна")


@assessment_pages.route("/classes/<code>/grades/annual", methods=["POST"])
@require_roles(*TEACHERS)
def form_annual_grade(code: str):
    """``POST /annual-grades``: from the term grades (Чл. 138)."""
    return _form_result(code, AnnualGradeSchema(), term_results.form_annual, "годишна")
