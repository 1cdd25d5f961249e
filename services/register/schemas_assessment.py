"""Request and response schemas of grades, results, sanctions and removals (marshmallow 4)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

GRADE_KINDS = ("oral", "written", "practical", "control", "classwork")
SANCTION_TYPES = ("remark", "warning_transfer", "transfer", "warning_self_study", "self_study")
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


class SanctionSchema(Schema):
    """``POST /sanctions``; ``violation`` (default: the reason) keys one sanction per violation (Чл. 54)."""

    student_id = fields.Integer(required=True)
    type = fields.String(required=True, validate=validate.OneOf(SANCTION_TYPES))
    proposed_on = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    violation = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    medical_document = fields.Boolean(load_default=False)
    proposal_ref = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    hearing_on = fields.Date(load_default=None, allow_none=True)
    hearing_time = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    hearing_place = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class StepSchema(Schema):
    """``POST /sanctions/{id}/steps/{name}``; ``present`` for the hearing (Чл. 57, ал. 3)."""

    done_on = fields.Date(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=4000))
    present = fields.List(fields.String(validate=validate.OneOf(
        ("class_teacher", "psychologist", "director", "parent", "teacher"))), load_default=list)
    parent_attended = fields.Boolean(load_default=False)
    child_protection_notified = fields.Boolean(load_default=False)


class SanctionStepOutSchema(Schema):
    name = fields.String()
    due = fields.Date(allow_none=True)
    done_at = fields.Date(allow_none=True)
    article = fields.String()
    title = fields.String()
    owner = fields.String()
    deadline = fields.String()
    note = fields.String()
    overdue = fields.Boolean()


class SanctionOutSchema(Schema):
    id = fields.Integer()
    type = fields.String()
    state = fields.String()
    steps = fields.List(fields.Nested(SanctionStepOutSchema))
    type_name = fields.String()
    student_id = fields.Integer()
    reason = fields.String()
    proposed_on = fields.Date()
    effective_from = fields.Date(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    in_force = fields.Boolean()
    blocks_excellence_scholarship = fields.Boolean()


class SanctionQuerySchema(Schema):
    student_id = fields.Integer(load_default=None)


class SuggestionSchema(Schema):
    student_id = fields.Integer()
    unexcused_total = fields.Float()
    age = fields.Integer()
    type = fields.String(allow_none=True)
    type_name = fields.String(allow_none=True)
    alternatives = fields.List(fields.String())
    article = fields.String(allow_none=True)
    message = fields.String()


class RemovalSchema(Schema):
    """Removal from a lesson (Чл. 52, ал. 2) or from school (ал. 3)."""

    kind = fields.String(required=True, validate=validate.OneOf(("lesson", "school")))
    date = fields.Date(required=True)
    lesson = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=14))
    subject = fields.String(load_default="", validate=validate.Length(max=120))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    parent_informed = fields.Boolean(load_default=False)
    psychologist_informed = fields.Boolean(load_default=False)

    @validates_schema
    def lesson_for_lesson_removal(self, data, **_kwargs):
        if data["kind"] == "school" and data.get("lesson") is not None:
            raise ValidationError("Отстраняването от училище не е от определен час.", "lesson")
