"""Request and response schemas of exams (изпити): scheduling, results, the year's list."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

#: Ids are database integers: anything larger is refused as input, not looked up.
ID = validate.Range(min=1, max=2**31 - 1, error="Невалиден идентификатор.")
KINDS = ("term_grade", "correction")


class ExamSchema(Schema):
    """``POST /exams``: an exam with its date, commission and students (Чл. 126, 137, 143)."""

    kind = fields.String(required=True, validate=validate.OneOf(
        KINDS, error="Видът е term_grade (за срочна оценка, Чл. 137) или correction (поправителен, Чл. 143)."))
    class_code = fields.String(required=True, validate=validate.Length(min=1, max=8))
    subject = fields.String(required=True, validate=validate.Length(min=1, max=120))
    date = fields.Date(required=True)
    term = fields.Integer(load_default=None, allow_none=True,
                          validate=validate.OneOf((1, 2), error="Срокът е 1 или 2."))
    pc_decision = fields.String(load_default="", validate=validate.Length(max=100))
    chair_id = fields.Integer(required=True, validate=ID)
    member_ids = fields.List(fields.Integer(validate=ID), required=True, validate=validate.Length(max=10))
    student_ids = fields.List(fields.Integer(validate=ID), required=True, validate=validate.Length(max=60))


class ResultEntrySchema(Schema):
    student_id = fields.Integer(required=True, validate=ID)
    value = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(
        min=2, max=6, error="Оценката е цяло число от 2 до 6 (Чл. 127, ал. 2)."))
    absent = fields.Boolean(load_default=False)


class ResultsSchema(Schema):
    """``POST /exams/{id}/results``: the commission's grades, or „не се явил“."""

    results = fields.List(fields.Nested(ResultEntrySchema), required=True, validate=validate.Length(min=1, max=60))


class YearQuerySchema(Schema):
    school_year = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^\d{4}/\d{4}$", error="Учебната година е във вида 2023/2024."))


class PersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class CandidateOutSchema(Schema):
    student_id = fields.Integer()
    name = fields.String()
    value = fields.Integer(allow_none=True)
    absent = fields.Boolean()
    result = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    outcome_text = fields.String(allow_none=True)


class ExamOutSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    kind_name = fields.String()
    article = fields.String()
    school_year = fields.String()
    class_code = fields.String()
    subject = fields.String()
    term = fields.Integer(allow_none=True)
    session = fields.String()
    date = fields.String()
    pc_decision = fields.String()
    status = fields.String()
    chair = fields.Nested(PersonSchema)
    members = fields.List(fields.Nested(PersonSchema))
    students = fields.List(fields.Nested(CandidateOutSchema))
    protocol_document_id = fields.Integer(allow_none=True)
    protocol_requested = fields.Boolean()
