"""Request and response schemas of the register API (marshmallow 4, unknown fields refused)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.auth.roles import ROLES

KINDS = ("unexcused", "excused", "late")


class SchoolSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    neispuo_code = fields.String(required=True, validate=validate.Regexp(
        r"^\d{6,7}$", error="Кодът по НЕИСПУО е от 6 или 7 цифри."))
    address = fields.String(load_default="", validate=validate.Length(max=300))
    town = fields.String(load_default="", validate=validate.Length(max=100))
    director_name = fields.String(load_default="", validate=validate.Length(max=200))
    phone = fields.String(load_default="", validate=validate.Length(max=50))
    email = fields.Email(load_default="")


class IdSchema(Schema):
    id = fields.Integer()


class IdsSchema(Schema):
    ids = fields.List(fields.Integer())


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


class StudentSchema(Schema):
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    middle_name = fields.String(load_default="", validate=validate.Length(max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    egn = fields.String(required=True)
    birth_date = fields.Date(load_default=None, allow_none=True)
    class_code = fields.String(required=True)
    guardians = fields.List(fields.Nested(GuardianSchema), load_default=list)


class MarkSchema(Schema):
    student_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))


class AbsenceLessonSchema(Schema):
    """One lesson's marks for a class: the most frequent request of all."""

    date = fields.Date(required=True)
    lesson = fields.Integer(required=True, validate=validate.Range(min=1, max=14))
    subject = fields.String(required=True, validate=validate.Length(min=1, max=120))
    marks = fields.List(fields.Nested(MarkSchema), required=True, validate=validate.Length(min=1))


class LoginSchema(Schema):
    name = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class UserSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    email = fields.Email(load_default=None, allow_none=True)
    class_codes = fields.List(fields.String(), load_default=list)
    student_ids = fields.List(fields.Integer(), load_default=list)
    password = fields.String(load_default=None, allow_none=True, load_only=True,
                             validate=validate.Length(min=8, error="Паролата трябва да е поне 8 знака."))


class DateRangeSchema(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)

    @validates_schema
    def ordered(self, data, **_kwargs):
        if data["end"] < data["start"]:
            raise ValidationError("Крайната дата е преди началната.", "end")


class SchoolYearSchema(Schema):
    """The contract's ``POST /school-years``; vacations and declared working days are optional extras."""

    name = fields.String(required=True, validate=validate.Regexp(
        r"^\d{4}/\d{4}$", error="Учебната година се пише като 2023/2024."))
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    terms = fields.List(fields.Nested(DateRangeSchema), required=True, validate=validate.Length(
        equal=2, error="Учебната година има точно два срока."))
    vacations = fields.List(fields.Nested(DateRangeSchema), load_default=list)
    non_school_days = fields.List(fields.Date(), load_default=list)
    declared_working_days = fields.List(fields.Date(), load_default=list)

    @validates_schema
    def name_matches_dates(self, data, **_kwargs):
        first, second = (int(part) for part in data["name"].split("/"))
        if second != first + 1:
            raise ValidationError("Втората година трябва да е следващата след първата.", "name")
        if data["start"].year != first or data["end"].year != second:
            raise ValidationError(f"Датите трябва да са в учебната {data['name']} година.", "start")


class SchoolYearOutSchema(Schema):
    """A stored school year; its calendar lists are kept as ISO dates."""

    id = fields.Integer()
    name = fields.String()
    start = fields.Date()
    end = fields.Date()
    terms = fields.List(fields.Dict())
    vacations = fields.List(fields.Dict())
    non_school_days = fields.List(fields.String())
    declared_working_days = fields.List(fields.String())


class ExcuseSchema(Schema):
    """The contract's ``POST /excuses``; the optional facts feed the checks of Чл. 61, ал. 1."""

    student_id = fields.Integer(required=True)
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(("medical", "event", "parent", "director")))
    evidence = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    #: When the document reached the class teacher; default today.
    submitted_on = fields.Date(load_default=None)
    #: т. 2: the parent confirmed the participation document.
    parent_confirmed = fields.Boolean(load_default=True)
    #: т. 3: the parent told the class teacher beforehand.
    parent_notified = fields.Boolean(load_default=True)
    #: т. 4: date of the director's permission (it must precede the absence).
    director_permission_on = fields.Date(load_default=None)

    @validates_schema
    def ordered(self, data, **_kwargs):
        if data["to"] < data["from_"]:
            raise ValidationError("Крайната дата е преди началната.", "to")


class ExcusedSchema(Schema):
    id = fields.Integer()
    excused = fields.Integer()


class SummaryQuerySchema(Schema):
    from_ = fields.Date(load_default=None, data_key="from")
    to = fields.Date(load_default=None)


class SummarySchema(Schema):
    excused = fields.Integer()
    unexcused = fields.Integer()
    late = fields.Integer()
    unexcused_total = fields.Float()


class FiringQuerySchema(Schema):
    student_id = fields.Integer(load_default=None)
    rule_id = fields.String(load_default=None)


class FiringSchema(Schema):
    id = fields.Integer()
    student_id = fields.Integer()
    rule_id = fields.String()
    article = fields.String()
    threshold = fields.Integer()
    count = fields.Float()
    period = fields.String()
    fired_at = fields.AwareDateTime()
    action = fields.String()
    message = fields.String()


class DryRunQuerySchema(Schema):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    month = fields.Integer(required=True, validate=validate.Range(min=1, max=12))


class DryRunFiringSchema(Schema):
    student_id = fields.Integer()
    day = fields.Date()
    rule_id = fields.String()
    article = fields.String()
    threshold = fields.Integer()
    count = fields.Integer()
    period = fields.String()
    message = fields.String()
