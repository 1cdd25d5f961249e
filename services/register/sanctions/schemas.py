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
    """``POST /sanctions/{id}/steps/{name}``; ``present`` for the hearing (Чл. 57, ал. 3), the rest by step."""

    done_on = fields.Date(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=4000))
    present = fields.List(fields.String(validate=validate.OneOf(
        ("class_teacher", "psychologist", "director", "parent", "teacher"))), load_default=list)
    parent_attended = fields.Boolean(load_default=False)
    child_protection_notified = fields.Boolean(load_default=False)
    #: Heard in person and/or a written explanation (Чл. 57, ал. 3); "written" needs the explanation in ``note``.
    hearing_mode = fields.String(load_default=None, allow_none=True,
                                 validate=validate.OneOf(("in_person", "written", "both")))
    #: The council's protocol for its decision or an erasure it proposes (Чл. 56, ал. 1; Чл. 20, ал. 1, т. 23).
    protocol_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))
    #: For the letter: when the parents were notified; the appeal term runs from it (Чл. 58, ал. 3–4).
    notified_on = fields.Date(load_default=None, allow_none=True)
    #: For the appeal under the АПК (Чл. 58, ал. 4); a filed appeal is posted again with its result.
    appeal_outcome = fields.String(load_default=None, allow_none=True,
                                   validate=validate.OneOf(("none", "filed", "upheld", "revoked")))


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
    #: What the step recorded: hearing ``mode``/``parent_attended``, ``protocol_number``, ``notified_on``,
    #: appeal ``outcome``/``filed_on``.
    facts = fields.Dict(keys=fields.String(), values=fields.Raw())


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
    notified_on = fields.Date(allow_none=True)
    appeal_due = fields.Date(allow_none=True)
    appeal_outcome = fields.String(allow_none=True)
    appeal_outcome_name = fields.String(allow_none=True)
    erased_early = fields.Boolean()
    available_steps = fields.List(fields.String())


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
