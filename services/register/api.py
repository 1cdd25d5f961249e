"""HTTP API of the register (contract: ``/api/register``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask import session as web_session
from flask_smorest import Blueprint
from sqlalchemy.exc import IntegrityError

from services.register import absences, people, school_years
from services.register.models import TABLES, School, SchoolYear, User
from services.register.schemas import (
    AbsenceLessonSchema,
    AssignmentSchema,
    ClassSchema,
    IdSchema,
    IdsSchema,
    LoginSchema,
    SchoolSchema,
    SchoolYearOutSchema,
    SchoolYearSchema,
    StudentSchema,
)
from shared import audit
from shared.auth.credentials import verify_password
from shared.auth.flask_auth import current_principal, require_roles
from shared.web.errors import conflict, invalid

MANAGERS = ("director", "deputy_director")
OFFICE = (*MANAGERS, "secretary")


def _runtime():
    return current_app.extensions["school_runtime"]


def create_blueprints(_runtime) -> list[Blueprint]:
    return [school_bp, people_bp, absences_bp, auth_bp]


school_bp = Blueprint("school", __name__, description="Училището и учебните години")
people_bp = Blueprint("people", __name__, description="Паралелки, учители, ученици и родители")
absences_bp = Blueprint("absences", __name__, description="Отсъствия по часове")
auth_bp = Blueprint("auth", __name__, description="Вход")


@school_bp.route("/school", methods=["PUT"])
@school_bp.arguments(SchoolSchema)
@school_bp.response(200, SchoolSchema)
@require_roles(*OFFICE)
def put_school(data):
    """Данни за училището (бланка, код по НЕИСПУО)."""
    rt = _runtime()
    with rt.db.transaction() as s:
        school = s.get(School, 1)
        before = None
        if school is None:
            school = School(id=1, **data)
            s.add(school)
        else:
            before = SchoolSchema().dump(school)
            for key, value in data.items():
                setattr(school, key, value)
        rt.publish(s, "register.school_saved", dict(data))
        audit.record(s, TABLES, current_principal(), "school.save", "school", 1, before=before, after=data)
    return data


@school_bp.route("/school-years", methods=["POST"])
@school_bp.arguments(SchoolYearSchema)
@school_bp.response(201, IdSchema)
@require_roles(*OFFICE)
def post_school_year(data):
    """Учебна година: срокове, ваканции и неучебни дни по заповедта на министъра (Чл. 113)."""
    return {"id": school_years.create_school_year(_runtime(), current_principal(), data)}


@school_bp.route("/school-years", methods=["GET"])
@school_bp.response(200, SchoolYearOutSchema(many=True))
def list_school_years():
    """Въведените учебни години."""
    with _runtime().db.sessions() as s:
        return s.scalars(sa.select(SchoolYear).order_by(SchoolYear.start)).all()


@people_bp.route("/classes", methods=["POST"])
@people_bp.arguments(ClassSchema)
@people_bp.response(201, IdSchema)
@require_roles(*OFFICE)
def post_class(data):
    """Нова паралелка."""
    return {"id": people.create_class(_runtime(), current_principal(), data)}


@people_bp.route("/assignments", methods=["POST"])
@people_bp.arguments(AssignmentSchema)
@people_bp.response(201, IdSchema)
@require_roles(*OFFICE)
def post_assignment(data):
    """Кой учител кой предмет в коя паралелка преподава и по колко часа седмично."""
    return {"id": people.create_assignment(_runtime(), current_principal(), data)}


@people_bp.route("/students", methods=["POST"])
@people_bp.arguments(StudentSchema)
@people_bp.response(201, IdSchema)
@require_roles(*OFFICE)
def post_student(data):
    """Записване на ученик с родителите му."""
    return {"id": people.create_student(_runtime(), current_principal(), data)}


@absences_bp.route("/absences", methods=["POST"])
@absences_bp.arguments(AbsenceLessonSchema)
@absences_bp.response(201, IdsSchema)
def post_absences(data):
    """Отсъствия за един учебен час на цялата паралелка, в една транзакция."""
    return {"ids": absences.record_lesson(_runtime(), current_principal(), data)}


@auth_bp.route("/login", methods=["POST"])
@auth_bp.arguments(LoginSchema)
@auth_bp.response(200, IdSchema)
def login(data):
    """Вход с име и парола; отговорът поставя бисквитка за сесията."""
    rt = _runtime()
    with rt.db.sessions() as s:
        users = s.scalars(sa.select(User).where(User.name == data["name"], User.active.is_(True))).all()
    matching = [u for u in users if u.password_hash and verify_password(u.password_hash, data["password"])]
    if len(matching) != 1:
        from flask_smorest import abort  # noqa: PLC0415

        abort(401, message="Грешно име или парола.")
    web_session.clear()
    web_session["user_id"] = matching[0].id
    return {"id": matching[0].id}


def integrity_conflict(error: IntegrityError, message: str):
    """Map a uniqueness violation to 409 and anything else to a 422 naming the constraint."""
    text = str(error.orig).lower()
    if "unique" in text or "duplicate" in text:
        conflict(message)
    invalid({"_schema": [message]})
