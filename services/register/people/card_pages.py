"""The student's card (картон на ученика) and its excuse form (извиняване), ``/register/students/{id}``.

The card reads through the same functions as the API (``check_may_see_student``, the absence
summary, the stored rule firings, the grades by subject); the excuse form posts to the same
``excusing.excuse`` as ``POST /api/register/excuses``, so only the class teacher may excuse and
Чл. 61 refuses what it refuses there, with the article next to the field concerned.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from services.register.absences import applications, excusing, permissions, scholarships, summaries
from services.register.absences.deregistering import register_entries
from services.register.absences.rules.assessment_conditions import ExtendedGround
from services.register.absences.rules.deregistration import Ground
from services.register.absences.rules.excuses import ExcusePolicy, ExcuseReason
from services.register.absences.rules.rulepack import ActionKind, CounterCondition, RulePack
from services.register.absences.schemas import ExcuseSchema
from services.register.assessment import grading, term_results
from services.register.exams import listing as exam_listing
from services.register.models import TABLES
from services.register.models.absences import DeregistrationReviewEnd
from services.register.models.people import Student
from services.register.people import card_sections, guardians
from services.register.people.access import check_may_see_student, is_class_teacher
from services.register.people.schemas import GuardianSchema
from shared import audit
from shared.auth.flask_auth import require_roles
from shared.auth.principal import Principal
from shared.auth.roles import OFFICE, TEACHERS
from shared.errors import InvalidInputError, NotFoundError
from shared.runtime import ServiceRuntime
from shared.web.context import current_runtime
from shared.web.errors import flatten
from shared.web.pages import current_user

student_card = Blueprint("student_card", __name__, template_folder="templates")

#: Who opens a card: as the API's student reads (``check_may_see_student`` narrows teachers and parents).
CARD_READERS = (*OFFICE, *TEACHERS, "psychologist", "parent")



#: The grounds of Чл. 25, ал. 4, т. 1–4 as the director reads them in the form „Отписване“.
DEREGISTRATION_GROUNDS = (
    (Ground.TRANSFER.value, f"Преместване в друго училище ({Ground.TRANSFER.article})"),
    (Ground.NONATTENDANCE.value, "Непосещаване на училище по неуважителни причини за период, по-дълъг от два "
                                 f"месеца, в дневна форма ({Ground.NONATTENDANCE.article})"),
    (Ground.MISSED_SESSIONS.value, "Неявяване на изпитите в три поредни сесии в самостоятелна или индивидуална "
                                   f"форма ({Ground.MISSED_SESSIONS.article})"),
    (Ground.FAMILY.value, "Писмено заявление от родител за напускане по семейни причини, за ученик, навършил "
                          f"16 години ({Ground.FAMILY.article})"),
)


def reasons(policy: ExcusePolicy) -> list[tuple[str, str]]:
    """The reasons ``POST /excuses`` takes, as the class teacher reads them: with the school's quotas and article."""
    # The director's permission is not a reason typed here: its days are excused when it is granted.
    quota = {ExcuseReason.PARENT: policy.quota(ExcuseReason.PARENT)}
    texts = {
        ExcuseReason.MEDICAL: "Медицински документ",
        ExcuseReason.EVENT: "Участие в състезание, концерт или друга проява",
        ExcuseReason.PARENT: f"Заявление от родителя (до {quota[ExcuseReason.PARENT]} учебни дни в годината)",
    }
    return [(reason.value, f"{text}, {reason.article}") for reason, text in texts.items()]


#: The form's fields; the checks of Чл. 61 that concern no field of the form land next to the closest one.
FORM_FIELDS = ("from", "to", "reason", "evidence", "extended_ground")
_FIELD_OF = {"submitted_on": "evidence", "parent_confirmed": "reason", "parent_notified_in_advance": "reason",
             "director_permission_on": "reason"}


def ladder_level(pack: RulePack, unexcused_total: float) -> dict[str, Any]:
    """How many rungs of the parent-letter ladder (Чл. 97, т. 8) the total has passed, the last one and the article.

    The ladder is the pack's counter rule that writes to the parent, so a school's own pack moves
    the colours with its thresholds: no colour below the first rung, yellow from it, red from the second.
    """
    for rule in pack.rules:
        if rule.action.kind is ActionKind.NOTIFY_PARENT and isinstance(rule.condition, CounterCondition):
            passed = [t for t in rule.condition.thresholds if rule.condition.comparison.holds(unexcused_total, t)]
            return {"rungs": len(passed), "rung": passed[-1] if passed else None, "article": rule.article}
    return {"rungs": 0, "rung": None, "article": None}


def _card(session: Session, rt: ServiceRuntime, who: Principal, student_id: int) -> dict[str, Any]:
    """What the card shows, each part read as the API reads it (403 for a reader outside the scope)."""
    student = check_may_see_student(session, who, student_id, refuse_it_admin=True)
    today = rt.clock.today()
    try:  # the year and its calendar read once, for the totals and the grades
        year, term = grading.year_and_term(session, today, None)
    except InvalidInputError:  # no school year entered yet: no totals of a year, no term to show grades of
        year, term = None, None
    calendar = year.calendar if year else None
    start, end = (calendar.year_start, calendar.year_end) if calendar else (None, None)
    totals = summaries.summary(session, student.id, start, end, rt.settings.late_half_hours)
    has = card_sections.sections_with_rows(session, student.id)
    pack: RulePack = rt.components.rule_pack
    titles = {rule.id: rule.title for rule in pack.rules}
    stored = summaries.firings(session, who, student.id, None, pack)
    # A review for deregistration ended because the student came back (Чл. 25, ал. 4, т. 2) says so.
    returned = dict(session.execute(sa.select(DeregistrationReviewEnd.firing_id, DeregistrationReviewEnd.broken_on)
                                    .where(DeregistrationReviewEnd.student_id == student.id)).all()
                    ) if "review_ends" in has else {}
    firings = [{"article": f.article, "title": titles.get(f.rule_id, f.rule_id), "threshold": f.threshold,
                "count": f.count, "fired_at": f.fired_at, "action": f.action, "returned_on": returned.get(f.id)}
               for f in reversed(stored)]
    grades, exams = {}, []
    if year is not None:
        grades = term_results.student_grades(session, student, term, year,
                                             absence_alone=rt.settings.term_grade_absence_alone)
        # What the year's exams made of the grades: the next session, repeating the class (Чл. 143, ал. 9).
        if "exams" in has:
            exams = exam_listing.outcomes_of(session, year.row.name, [student.id]).get(student.id, [])
    return {"student": student, "school_year": calendar.label if calendar else None, "totals": totals,
            "ladder": ladder_level(pack, totals["unexcused_total"]), "firings": firings, "term": term, "grades": grades,
            "exams": exams,
            "may_excuse": is_class_teacher(session, who, student.class_code),
            # The parent's applications (Чл. 61, ал. 1, т. 3): the parent submits, the class teacher decides.
            "applications": applications.visible(session, who, student.id) if "applications" in has else [],
            "may_apply": who.role == "parent",
            # The letters registered in the class register (Чл. 97, т. 17) and a deregistration (Чл. 25, ал. 4).
            "entries": register_entries(session, student.id) if "entries" in has else [],
            "deregistration_article": Ground(student.deregistration_ground).article
            if student.deregistration_ground else None,
            # The director's prior permission (Чл. 61, ал. 1, т. 4): the parent applies (the office records
            # one on paper), the director decides; and the scholarships with their stops (Чл. 26, ал. 1, т. 23).
            "permissions": permissions.visible(session, who, student.id) if "permissions" in has else [],
            "may_apply_permission": who.role == "parent" or who.role in OFFICE, "on_paper": who.role in OFFICE,
            "may_grant": who.role == "director",
            # The director's decision to deregister (Чл. 25, ал. 4), while the student is on the lists.
            "may_deregister": who.role == "director" and student.active,
            "scholarships": scholarships.of_student(session, who, student.id) if "scholarships" in has else [],
            # The guardians' contacts and postal address: personal data, for whom ``guardians`` allows only.
            "guardians": guardians.of_student(session, student.id) if guardians.may_read(session, who, student)
            else None,
            "may_edit_guardians": guardians.may_edit(session, who, student)}


def render_card(template: str, student_id: int, *, form: dict[str, str] | None = None, errors: dict | None = None,
            message: str | None = None, **extra: Any) -> str:
    """The card page or one of its fragments, read afresh (the totals change with an excuse).

    ``extra`` is the applications' form and errors (``application_form``, ``application_errors``).
    """
    rt = current_runtime()
    with rt.db.reads() as s:
        card = _card(s, rt, current_user(), student_id)
    today = rt.clock.today().isoformat()
    blank = {"from": today, "to": today, "reason": ExcuseReason.MEDICAL.value, "evidence": ""}
    policy = rt.components.excuse_policy
    context = {"application_form": {"from": today, "to": today, "reason": ""}, "application_errors": {},
               "parent_quota": policy.quota(ExcuseReason.PARENT), "parent_article": ExcuseReason.PARENT.article,
               "status_titles": applications.STATUS_TITLES,
               "permission_form": {"from": "", "to": "", "reasons": "", "submitted_on": today}, "permission_errors": {},
               "director_quota": policy.quota(ExcuseReason.DIRECTOR), "director_article": ExcuseReason.DIRECTOR.article,
               "permission_titles": permissions.STATUS_TITLES,
               "deregistration_form": {"ground": "", "date": today}, "deregistration_errors": {},
               "deregistration_grounds": DEREGISTRATION_GROUNDS, "guardian_form": None, "guardian_errors": {},
               **extra}
    return render_template(template, **card, form=form or blank, errors=errors or {}, message=message,
                           reasons=reasons(policy), extended_grounds=[(g.value, g.label) for g in ExtendedGround],
                           **context)


@student_card.route("/students/<int:student_id>")
@require_roles(*CARD_READERS)
def card(student_id: int):
    return render_card("register/student_card.html", student_id)


def _form_errors(found: dict[str, list[str]]) -> dict[str, list[str]]:
    """The API's field paths onto the form's fields; anything else goes above the form."""
    errors: dict[str, list[str]] = {}
    for path, texts in found.items():
        name = path if path in FORM_FIELDS else _FIELD_OF.get(path, "_schema")
        errors.setdefault(name, []).extend(texts)
    return errors


@student_card.route("/students/<int:student_id>/excuses", methods=["POST"])
@require_roles("class_teacher")
def excuse(student_id: int):
    """Извини: ``excusing.excuse`` as the API calls it; a refusal re-renders the form with 422."""
    rt = current_runtime()
    form = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    partial = request.headers.get("HX-Request") == "true"
    try:
        # Empty fields are left out, so they read „Задължително поле.“ rather than "not a valid date".
        data = ExcuseSchema().load({"student_id": student_id, **{k: v for k, v in form.items() if v}})
        data["from"] = data.pop("from_")
        _excuse_id, hours = excusing.excuse(rt, current_user(), data)
    except ValidationError as refused:
        errors = _form_errors(flatten(refused.messages))
    except InvalidInputError as refused:
        errors = _form_errors(refused.errors)
    else:
        message = f"Извинени учебни часове: {hours}."
        if partial:  # the form again, empty, and the new totals swapped out of band
            return render_card("register/_excuse_done.html", student_id, message=message)
        flash(message, "success")
        return redirect(f"{request.script_root}/students/{student_id}", code=303)
    template = "register/_excuse_form.html" if partial else "register/student_card.html"
    return render_card(template, student_id, form=form, errors=errors), 422


@student_card.route("/students/<int:student_id>/guardians/<int:guardian_id>", methods=["POST"])
@require_roles(*guardians.GUARDIAN_EDITORS)
def guardian(student_id: int, guardian_id: int):
    """Поправка на данните на родител: ``guardians.update_guardian``, as the API's ``PUT`` of the guardian."""
    form = {name: request.form.get(name, "") for name in ("name", "email", "phone", "address")}
    try:
        # An emptied e-mail or phone is no value, as an emptied address is.
        data = GuardianSchema().load({k: (v.strip() or None) if k in ("email", "phone") else v
                                      for k, v in form.items()})
        guardians.update_guardian(current_runtime(), current_user(), student_id, guardian_id, data)
    except ValidationError as refused:
        errors = flatten(refused.messages)
    except InvalidInputError as refused:
        errors = refused.errors
    else:
        flash(f"Данните на родителя {data['name']} са запазени.", "success")
        return redirect(f"{request.script_root}/students/{student_id}#guardian-{guardian_id}", code=303)
    return render_card("register/student_card.html", student_id, guardian_form={**form, "id": guardian_id},
                       guardian_errors={guardian_id: errors}), 422


#: What another service's form may ask the field to be called (its name, id and the ids describing it).
_FIELD_NAME = re.compile(r"[a-z_.]{1,60}")
_FIELD_IDS = re.compile(r"[a-z0-9 -]{0,120}")


@student_card.route("/students/<int:student_id>/personal-number")
@require_roles(*OFFICE)
def personal_number_field(student_id: int):
    """The student's ЕГН as an input of another service's form (the certificate, in documents).

    The register never puts the ЕГН in its events: it would wait in the queues and could reach
    another service's logs. A page that must print it loads this field from the register in the
    browser instead (htmx, like the home page's cards), so a certificate takes a search and two
    clicks; without JavaScript the field stays empty for the secretary to type. Each look is audited.
    """
    rt, who = current_runtime(), current_user()
    name = request.args.get("name", "egn")
    field_id = request.args.get("id", "field-egn")
    described = request.args.get("describedby", "")
    if not (_FIELD_NAME.fullmatch(name) and _FIELD_IDS.fullmatch(field_id) and _FIELD_IDS.fullmatch(described)):
        raise InvalidInputError({"name": "Невалидно име на поле."})
    with rt.db.transaction() as s:
        student = s.get(Student, student_id)
        if student is None:
            raise NotFoundError("Няма такъв ученик.")
        audit.record(s, TABLES, who, "student.personal_number.read", "student", student_id)
        egn = student.egn
    return render_template("register/_personal_number_field.html", name=name, field_id=field_id, egn=egn,
                           described=described, required=request.args.get("required") == "1")
