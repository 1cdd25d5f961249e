"""HTTP API of classes, assignments, students and the login (паралелки, ученици, вход; part of ``/api/register``)."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema

from services.register.people import accounts, classes, guardians, importing, students, users
from services.register.people.schemas import (
    AssignmentSchema,
    ClassSchema,
    GuardianReadSchema,
    GuardianSchema,
    LoginSchema,
    PasswordChangeSchema,
    StudentSchema,
)
from services.register.school.schemas import IdSchema, IdsSchema
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import OFFICE, ROLES
from shared.errors import ConflictError
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime
from shared.web.session import password_changed, session_digest, sign_in, sign_out

people_bp = Blueprint("people", __name__, description="Паралелки, учители, ученици и родители")
auth_bp = Blueprint("auth", __name__, description="Вход")


class ImportFileSchema(Schema):
    """An uploaded list (.csv or .xlsx), for the imports of students and of absences (a file, hence here)."""

    file = Upload(required=True)


@people_bp.route("/classes", methods=["POST"])
@require_roles(*OFFICE)
@people_bp.arguments(ClassSchema)
@people_bp.response(201, IdSchema)
def post_class(data):
    """Нова паралелка."""
    return {"id": classes.create_class(current_runtime(), current_principal(), data)}


@people_bp.route("/assignments", methods=["POST"])
@require_roles(*OFFICE)
@people_bp.arguments(AssignmentSchema)
@people_bp.response(201, IdSchema)
def post_assignment(data):
    """Кой учител кой предмет в коя паралелка преподава и по колко часа седмично."""
    return {"id": classes.create_assignment(current_runtime(), current_principal(), data)}


@people_bp.route("/students/import", methods=["POST"])
@require_roles(*OFFICE)
@people_bp.arguments(ImportFileSchema, location="files")
@people_bp.response(201, IdsSchema)
def import_students(files):
    """Внасяне на ученици с родители от списък .csv или .xlsx – всичко или нищо, с грешките по редове."""
    upload = files["file"]
    ids = importing.import_students(current_runtime(), current_principal(), upload.filename or "", upload.read())
    return {"ids": ids}


@people_bp.route("/students", methods=["POST"])
@require_roles(*OFFICE)
@people_bp.arguments(StudentSchema)
@people_bp.response(201, IdSchema)
def post_student(data):
    """Записване на ученик с родителите му."""
    return {"id": students.create_student(current_runtime(), current_principal(), data)}


@people_bp.route("/students/<int:student_id>/guardians", methods=["GET"])
@require_roles(*guardians.GUARDIAN_READERS)
@people_bp.response(200, GuardianReadSchema(many=True))
def get_guardians(student_id: int):
    """Родителите на ученика с контактите и пощенския адрес (за канцеларията, класния ръководител и родителите)."""
    with current_runtime().db.sessions() as s:
        return guardians.list_guardians(s, current_principal(), student_id)


@people_bp.route("/students/<int:student_id>/guardians/<int:guardian_id>", methods=["PUT"])
@require_roles(*guardians.GUARDIAN_EDITORS)
@people_bp.arguments(GuardianSchema)
@people_bp.response(200, GuardianReadSchema)
def put_guardian(data, student_id: int, guardian_id: int):
    """Поправка на име, имейл, телефон и пощенски адрес на родител (канцеларията и класният ръководител)."""
    return guardians.update_guardian(current_runtime(), current_principal(), student_id, guardian_id, data)


@auth_bp.route("/login", methods=["POST"])
@auth_bp.arguments(LoginSchema)
@auth_bp.response(200, IdSchema)
def login(data):
    """Вход с име и парола; отговорът поставя бисквитка за сесията."""
    user_id = users.check_sign_in(current_runtime(), data["name"], data["password"])
    # The cookie opens the pages too, which then ask for a one-time password to be changed first.
    sign_in(user_id, must_change_password=users.after_sign_in(current_runtime(), user_id))
    return {"id": user_id}


@auth_bp.route("/logout", methods=["POST"])
@require_roles(*ROLES)
@auth_bp.response(204)
def logout():
    """Изход: прекратява сесията от входа (бисквитката) във всички услуги; ключ (token) не се отменя оттук."""
    digest = session_digest()
    if digest is None:
        # A key is the school's to revoke (``schoolctl users revoke-token``): a client signing out must
        # not take an integration's key with it, nor believe it did.
        raise ConflictError("Изходът прекратява сесия от вход с име и парола; ключ (token) не се отменя "
                            "оттук, а от администратора.")
    users.end_session(current_runtime(), current_principal(), digest)
    sign_out()


@auth_bp.route("/password", methods=["POST"])
@require_roles(*ROLES)
@auth_bp.arguments(PasswordChangeSchema)
@auth_bp.response(204)
def change_password(data):
    """Смяна на собствената парола; еднократната парола трябва да се смени, преди ключът или сесията да вършат друго."""
    accounts.change_own_password(current_runtime(), current_principal(), data["current"], data["new"],
                                 data["repeated"])
    password_changed()
