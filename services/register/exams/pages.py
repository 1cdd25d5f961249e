"""The exams page (изпити, ``/register/exams``): the year's exams with their commissions, results and
protocols, a form to schedule one and, for each exam held, a form for its results; for the office.

It calls the same functions as ``exams/api.py``; a refused form comes back with each field's error
beside it and status 422 (400 for a form that cannot be read at all).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request

from services.register.assessment.grading import year_of
from services.register.exams import listing, results, scheduling
from services.register.models.people import SchoolClass, Student, User
from shared.auth.flask_auth import require_roles
from shared.auth.roles import OFFICE
from shared.errors import GENERAL, DomainError, InvalidInputError, NotAllowedError, NotFoundError
from shared.web.context import current_runtime
from shared.web.pages import current_user

exams_pages = Blueprint("exams_pages", __name__, template_folder="templates")

PAGE = "/register/exams"
FIELDS = ("kind", "class_code", "subject", "date", "term", "pc_decision", "chair_id", "member_ids", "student_ids")
ABSENT = "absent"


def _choices(session) -> dict[str, Any]:
    staff = session.execute(sa.select(User.id, User.name).where(
        User.role.in_(scheduling.COMMISSION_ROLES), User.active.is_(True)).order_by(User.name)).all()
    students = session.scalars(sa.select(Student).where(Student.active.is_(True)).order_by(
        Student.class_code, Student.last_name, Student.first_name, Student.id)).all()
    by_class: dict[str, list[dict]] = {}
    for st in students:
        by_class.setdefault(st.class_code, []).append({"id": st.id, "name": st.full_name})
    return {"staff": [{"id": i, "name": n} for i, n in staff], "students_by_class": by_class,
            "classes": list(session.scalars(sa.select(SchoolClass.code).order_by(SchoolClass.grade, SchoolClass.code)))}


def _page(errors: dict | None = None, *, form: str = "", values: dict | None = None, status: int = 200,
          chosen_class: str = ""):
    rt = current_runtime()
    with rt.db.sessions() as s:
        try:
            school_year = year_of(s, rt.clock.today(), "school_year").row.name
        except InvalidInputError:
            school_year = None
        exams = listing.exams_of_year(s, school_year) if school_year else []
        choices = _choices(s)
    if chosen_class not in choices["classes"]:
        chosen_class = ""
    for exam in exams:  # dates are formatted in the template, from date objects
        exam["day"] = dt.date.fromisoformat(exam["date"])
    return render_template("register/exams.html", exams=exams, school_year=school_year, errors=errors or {},
                           failed_form=form, values=values or {}, chosen_class=chosen_class, **choices), status


def _refused(error: DomainError, form: str, values: dict, known: set[str]):
    if isinstance(error, (NotFoundError, NotAllowedError)):
        raise error
    errors: dict[str, list[str]] = {}
    for path, texts in (error.errors or {GENERAL: [error.message]}).items():
        key = path
        if path not in known:
            key = "results" if path.startswith("results") and "results" in known else GENERAL
        errors.setdefault(key, []).extend([texts] if isinstance(texts, str) else texts)
    return _page(errors, form=form, values=values, status=422)


def _ids(name: str) -> list[int]:
    try:
        return [int(v) for v in request.form.getlist(name) if v.strip()]
    except ValueError:
        raise InvalidInputError({name: ["Изберете от списъка."]}) from None


def _schedule_data() -> dict[str, Any]:
    form = request.form
    errors: dict[str, list[str]] = {}
    try:
        day = dt.date.fromisoformat(form.get("date", ""))
    except ValueError:
        errors["date"] = ["Въведете датата на изпита."]
    kind = form.get("kind", "")
    if kind not in ("term_grade", "correction"):
        errors["kind"] = ["Изберете вида на изпита."]
    term = form.get("term", "").strip()
    if kind == "term_grade" and term not in ("1", "2"):
        errors["term"] = ["Изберете срока (Чл. 137)."]
    if not form.get("chair_id", "").strip().isdigit():
        errors["chair_id"] = ["Изберете председател на комисията."]
    for name in ("class_code", "subject"):
        if not form.get(name, "").strip() or len(form.get(name, "")) > (8 if name == "class_code" else 120):
            errors[name] = ["Попълнете полето."]
    if errors:
        raise InvalidInputError(errors)
    return {"kind": kind, "class_code": form["class_code"].strip(), "subject": form["subject"].strip(), "date": day,
            "term": int(term) if kind == "term_grade" else None,
            "pc_decision": form.get("pc_decision", "").strip()[:100],
            "chair_id": int(form["chair_id"]), "member_ids": _ids("member_ids"), "student_ids": _ids("student_ids")}


@exams_pages.route("/exams")
@require_roles(*OFFICE)
def exams_page():
    # ?class_code=… (sent by htmx when the form's class changes) opens that class's students in the form.
    return _page(chosen_class=request.args.get("class_code", ""))


@exams_pages.route("/exams", methods=["POST"])
@require_roles(*OFFICE)
def schedule():
    values = {name: request.form.getlist(name) if name.endswith("_ids") else request.form.get(name, "")
              for name in FIELDS}
    try:
        scheduling.schedule_exam(current_runtime(), current_user(), _schedule_data())
    except DomainError as error:
        return _refused(error, "schedule", values, set(FIELDS))
    flash("Изпитът е насрочен.", "success")
    return redirect(PAGE, code=303)


@exams_pages.route("/exams/<int:exam_id>/results", methods=["POST"])
@require_roles(*OFFICE)
def enter_results(exam_id: int):
    entries = []
    for key, value in request.form.items():
        if not key.startswith("result_") or not value:
            continue
        student = key.removeprefix("result_")
        if not student.isdigit() or (value != ABSENT and value not in ("2", "3", "4", "5", "6")):
            return _refused(InvalidInputError({"results": ["Изберете оценка от 2 до 6 или „не се явил“."]}),
                            f"results-{exam_id}", dict(request.form), {"results"})
        entries.append({"student_id": int(student), "value": None if value == ABSENT else int(value),
                        "absent": value == ABSENT})
    try:
        if not entries:
            raise InvalidInputError({"results": ["Изберете резултат поне за един ученик."]})
        results.enter_results(current_runtime(), current_user(), exam_id, {"results": entries})
    except DomainError as error:
        return _refused(error, f"results-{exam_id}", dict(request.form), {"results"})
    flash("Резултатите са вписани.", "success")
    return redirect(PAGE, code=303)
