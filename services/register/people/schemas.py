"""Request and response schemas of classes, assignments, students, guardians and users (marshmallow 4)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.register.models.people import ADDRESS_MAX
from shared.auth.roles import ROLES


class TrimmedString(fields.String):
    """A text with the spaces around it removed; an empty one is no value (``None``)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        return text or None

    def _validate(self, value):
        if value is not None:  # a blank text is no value: nothing to check
            super()._validate(value)


class ClassSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(
        r"^(8|9|10|11|12)[а-я]$", error="Кодът на паралелката е клас и буква, например 10а."))
    grade = fields.Integer(required=True, validate=validate.Range(min=8, max=12))
    class_teacher_id = fields.Integer(load_default=None, allow_none=True)

    @validates_schema
    def grade_matches_code(self, data, **_kwargs):
        if data["code"][:-1] != str(data["grade"]):
            raise ValidationError("Класът не съвпада с кода на паралелката.", "grade")


class AssignmentSchema(Schema):
    teacher_id = fields.Integer(required=True)
    class_code = fields.String(required=True)
    subject = fields.String(required=True, validate=validate.Length(min=1, max=120))
    weekly_hours = fields.Dict(keys=fields.String(validate=validate.OneOf(("1", "2"))),
                               values=fields.Integer(validate=validate.Range(min=0, max=40)), load_default=dict)


class GuardianSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^\+?[0-9 ]{6,20}$", error="Невалиден телефонен номер."))
    #: The postal address for letters on paper (optional; additive to the contract's name, email, phone).
    address = TrimmedString(load_default=None, allow_none=True, validate=validate.Length(
        max=ADDRESS_MAX, error=f"Адресът е най-много {ADDRESS_MAX} знака."))


class GuardianReadSchema(GuardianSchema):
    """A guardian as ``GET /students/{id}/guardians`` returns them, with the id their correction names."""

    id = fields.Integer(dump_only=True)


class StudentSchema(Schema):
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    middle_name = fields.String(load_default="", validate=validate.Length(max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    egn = fields.String(required=True)
    birth_date = fields.Date(load_default=None, allow_none=True)
    class_code = fields.String(required=True)
    guardians = fields.List(fields.Nested(GuardianSchema), load_default=list)


class LoginSchema(Schema):
    name = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class PasswordChangeSchema(Schema):
    """„Смяна на паролата“: the current password and the new one (at least 8 characters), twice."""

    current = fields.String(required=True, load_only=True, validate=validate.Length(max=200))
    new = fields.String(required=True, load_only=True, validate=validate.Length(max=200))
    repeated = fields.String(required=True, load_only=True, validate=validate.Length(max=200))


class UserSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    email = fields.Email(load_default=None, allow_none=True)
    class_codes = fields.List(fields.String(), load_default=list)
    student_ids = fields.List(fields.Integer(), load_default=list)
    password = fields.String(load_default=None, allow_none=True, load_only=True,
                             validate=validate.Length(min=8, error="Паролата трябва да е поне 8 знака."))
