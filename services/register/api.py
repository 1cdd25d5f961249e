"""HTTP API of the register (contract: ``/api/register``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import session as web_session
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, fields
from sqlalchemy.exc import IntegrityError

from services.register import absences, bulk, excusing, importing, people, school_years, summaries
from services.register.models import TABLES, RuleFiring, School, SchoolYear, Student, User
from services.register.schemas import (
    AbsenceLessonSchema,
    AssignmentSchema,
    ClassSchema,
    DryRunFiringSchema,
    DryRunQuerySchema,
    ExcusedSchema,
    ExcuseSchema,
    FiringQuerySchema,
    FiringSchema,
    IdSchema,
    IdsSchema,
    LoginSchema,
    SchoolSchema,
    SchoolYearOutSchema,
    SchoolYearSchema,
    StudentSchema,
    SummaryQuerySchema,
    SummarySchema,
)
from shared import audit
from shared.auth.credentials import verify_password
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import MANAGEMENT, OFFICE
from shared.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from shared.web.context import current_runtime

school_bp = Blueprint("school", __name__, description="Училището и учебните години")
people_bp = Blueprint("people", __name__, description="Паралелки, учители, ученици и родители")
absences_bp = Blueprint("absences", __name__, description="Отсъствия по часове")
rules_bp = Blueprint("rules", __name__, description="Правилата за отсъствия и сработванията им")
auth_bp = Blueprint("auth", __name__, description="Вход")


@school_bp.route("/school", methods=["PUT"])
@school_bp.arguments(SchoolSchema)
@school_bp.response(200, SchoolSchema)
@require_roles(*OFFICE)
def put_school(data):
    """Данни за училището (бланка, код по НЕИСПУО)."""
    rt = current_runtime()
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
    return {"id": school_years.create_school_year(current_runtime(), current_principal(), data)}


@school_bp.route("/school-years", methods=["GET"])
@school_bp.response(200, SchoolYearOutSchema(many=True))
def list_school_years():
    """Въведените учебни години."""
    with current_runtime().db.sessions() as s:
        return s.scalars(sa.select(SchoolYear).order_by(SchoolYear.start)).all()


@people_bp.route("/classes", methods=["POST"])
@people_bp.arguments(ClassSchema)
@people_bp.response(201, IdSchema)
@require_roles(*OFFICE)
def post_class(data):
    """Нова паралелка."""
    return {"id": people.create_class(current_runtime(), current_principal(), data)}


@people_bp.route("/assignments", methods=["POST"])
@people_bp.arguments(AssignmentSchema)
@people_bp.response(201, IdSchema)
@require_roles(*OFFICE)
def post_assignment(data):
    """Кой учител кой предмет в коя паралелка преподава и по колко часа седмично."""
    return {"id": people.create_assignment(current_runtime(), current_principal(), data)}


class ImportFileSchema(Schema):
    file = Upload(required=True)


class CountSchema(Schema):
    count = fields.Integer()


@people_bp.route("/students/import", methods=["POST"])
@people_bp.arguments(ImportFileSchema, location="files")
@people_bp.response(201, IdsSchema)
@require_roles(*OFFICE)
def import_students(files):
    """Внасяне на ученици с родители от списък .csv или .xlsx – всичко или нищо, с грешките по редове."""
    upload = files["file"]
    ids = importing.import_students(current_runtime(), current_principal(), upload.filename or "", upload.read())
    return {"ids": ids}


@people_bp.route("/students", methods=["POST"])
@people_bp.arguments(StudentSchema)
@people_bp.response(201, IdSchema)
@require_roles(*OFFICE)
def post_student(data):
    """Записване на ученик с родителите му."""
    return {"id": people.create_student(current_runtime(), current_principal(), data)}


@absences_bp.route("/absences", methods=["POST"])
@absences_bp.arguments(AbsenceLessonSchema)
@absences_bp.response(201, IdsSchema)
def post_absences(data):
    """Отсъствия за един учебен час на цялата паралелка, в една транзакция."""
    return {"ids": absences.record_lesson(current_runtime(), current_principal(), data)}


@absences_bp.route("/absences/import", methods=["POST"])
@absences_bp.arguments(ImportFileSchema, location="files")
@absences_bp.response(201, CountSchema)
@require_roles(*MANAGEMENT)
def import_absences(files):
    """Внасяне на много отсъствия от CSV (ученик, дата, час, предмет, вид) – всичко или нищо."""
    rt = current_runtime()
    rows = bulk.parse_csv(files["file"].read())
    return {"count": bulk.import_absences(rt, current_principal(), rows)}


@absences_bp.route("/excuses", methods=["POST"])
@absences_bp.arguments(ExcuseSchema)
@absences_bp.response(201, ExcusedSchema)
def post_excuse(data):
    """Извиняване на отсъствия за период – само от класния ръководител (Чл. 97, т. 14; Чл. 61)."""
    data["from"] = data.pop("from_")
    excuse_id, hours = excusing.excuse(current_runtime(), current_principal(), data)
    return {"id": excuse_id, "excused": hours}


def _check_may_see_student(session, student_id: int) -> Student:
    """A parent sees only their child; a teacher only the classes they teach; the office everything."""
    student = session.get(Student, student_id)
    if student is None:
        raise NotFoundError("Няма такъв ученик.")
    who = current_principal()
    if who.role == "parent" and not who.is_guardian_of(student_id):
        raise NotAllowedError("Родителят вижда само данните на своето дете.")
    if who.role in ("teacher", "class_teacher") and not who.teaches_class(student.class_code):
        raise NotAllowedError("Учителят вижда само учениците от паралелките, в които преподава.")
    return student


@absences_bp.route("/students/<int:student_id>/absences/summary", methods=["GET"])
@absences_bp.arguments(SummaryQuerySchema, location="query")
@absences_bp.response(200, SummarySchema)
def absences_summary(query, student_id: int):
    """Извинени, неизвинени и закъснения за период; закъснението се брои за 0,5 (Чл. 61, ал. 5)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        _check_may_see_student(s, student_id)
        return summaries.summary(s, student_id, query["from_"], query["to"], rt.settings.late_half_hours)


@rules_bp.route("/rule-firings", methods=["GET"])
@rules_bp.arguments(FiringQuerySchema, location="query")
@rules_bp.response(200, FiringSchema(many=True))
def list_firings(query):
    """Всяко сработило правило с члена от правилника и броя отсъствия зад него."""
    who = current_principal()
    stmt = sa.select(RuleFiring).order_by(RuleFiring.id)
    with current_runtime().db.sessions() as s:
        if query["student_id"] is not None:
            _check_may_see_student(s, query["student_id"])
            stmt = stmt.where(RuleFiring.student_id == query["student_id"])
        elif who.role == "parent":
            raise NotAllowedError("Родителят вижда само данните на своето дете.")
        elif who.role in ("teacher", "class_teacher"):
            stmt = stmt.where(RuleFiring.student_id.in_(
                sa.select(Student.id).where(Student.class_code.in_(who.class_codes))))
        if query["rule_id"]:
            stmt = stmt.where(RuleFiring.rule_id == query["rule_id"])
        return s.scalars(stmt).all()


@rules_bp.route("/rule-firings/dry-run", methods=["GET"])
@rules_bp.arguments(DryRunQuerySchema, location="query")
@rules_bp.response(200, DryRunFiringSchema(many=True))
@require_roles(*OFFICE)
def firings_dry_run(query):
    """Какво би сработило през даден месец – без да се записва или изпраща нищо."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        return summaries.dry_run_month(s, rt, query["year"], query["month"])


@auth_bp.route("/login", methods=["POST"])
@auth_bp.arguments(LoginSchema)
@auth_bp.response(200, IdSchema)
def login(data):
    """Вход с име и парола; отговорът поставя бисквитка за сесията."""
    rt = current_runtime()
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
        raise ConflictError(message)
    raise InvalidInputError({"_schema": [message]})
