"""Request and response schemas of grades, results, regimes, PE exemptions and class works (оценяване)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

GRADE_KINDS = ("oral", "written", "practical", "control", "classwork", "entry", "exit")
TERM = validate.OneOf((1, 2), error="Срокът е 1 или 2.")


class GradeSchema(Schema):
    """``POST /grades`` (the contract's body)."""

    student_id = fields.Integer(required=True)
    subject = fields.String(required=True, validate=validate.Length(min=1, max=120))
    value = fields.Integer(required=True, validate=validate.Range(
        min=2, max=6, error="Оценката е цяло число от 2 до 6 (Чл. 127, ал. 2)."))
    kind = fields.String(required=True, validate=validate.OneOf(GRADE_KINDS))
    date = fields.Date(required=True)


class GradeCreatedSchema(Schema):
    id = fields.Integer()
    value = fields.Integer()
    name = fields.String()
    kind = fields.String()
    date = fields.Date()


class TermQuerySchema(Schema):
    term = fields.Integer(load_default=None, validate=TERM)


class TermGradeSchema(Schema):
    """``POST /term-grades``: formed and entered today (Чл. 137, ал. 5; Чл. 139, ал. 2, т. 3)."""

    student_id = fields.Integer(required=True)
    subject = fields.String(required=True, validate=validate.Length(min=1, max=120))
    term = fields.Integer(required=True, validate=TERM)
    value = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=2, max=6))


class AnnualGradeSchema(Schema):
    """``POST /annual-grades``: the teacher's choice, taking the term grades into account (Чл. 138)."""

    student_id = fields.Integer(required=True)
    subject = fields.String(required=True, validate=validate.Length(min=1, max=120))
    value = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=2, max=6))


class ResultGradeSchema(Schema):
    id = fields.Integer()
    student_id = fields.Integer()
    subject = fields.String()
    period = fields.String()
    value = fields.Integer(allow_none=True)
    name = fields.String()
    formed_on = fields.Date()


class RegimeSchema(Schema):
    """The regime of Чл. 129: by the year of admission, or given directly."""

    admission_year = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1990, max=2100))
    regime = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(("legacy", "zpuo")))


class RegimeOutSchema(Schema):
    student_id = fields.Integer()
    admission_year = fields.Integer(allow_none=True)
    regime = fields.String()


class PeExemptionSchema(Schema):
    """The director's PE exemption order for one student (Чл. 27)."""

    student_id = fields.Integer(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    order_ref = fields.String(load_default="", validate=validate.Length(max=100))
    activity = fields.String(load_default="")


class ClassWorkSchema(Schema):
    class_code = fields.String(required=True)
    subject = fields.String(required=True, validate=validate.Length(min=1, max=120))
    kind = fields.String(required=True, validate=validate.OneOf(("control", "classwork")))
    date = fields.Date(required=True)
