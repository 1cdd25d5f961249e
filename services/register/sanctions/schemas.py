"""Request and response schemas of sanction procedures, their steps, the suggestion and removals (санкции)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

SANCTION_TYPES = ("remark", "warning_transfer", "transfer", "warning_self_study", "self_study")


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
