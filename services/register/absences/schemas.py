"""Request and response schemas of absences (отсъствия), excuses, summaries and rule firings."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.web.fields import UtcDateTime

KINDS = ("unexcused", "excused", "late")


class MarkSchema(Schema):
    student_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))


class AbsenceLessonSchema(Schema):
    """One lesson's marks for a class: the most frequent request of all."""

    date = fields.Date(required=True)
    lesson = fields.Integer(required=True, validate=validate.Range(min=1, max=14))
    subject = fields.String(required=True, validate=validate.Length(min=1, max=120))
    marks = fields.List(fields.Nested(MarkSchema), required=True, validate=validate.Length(min=1))


class CorrectionSchema(Schema):
    """A recorded lesson's marks as they should be (a student left out was present); excused marks stay."""

    class_code = fields.String(required=True, validate=validate.Length(min=1, max=8))
    date = fields.Date(required=True)
    lesson = fields.Integer(required=True, validate=validate.Range(min=1, max=14))
    marks = fields.List(fields.Nested(MarkSchema), required=True)


class CorrectedSchema(Schema):
    added = fields.Integer()
    changed = fields.Integer()
    removed = fields.Integer()


class StudentDaysSchema(Schema):
    """A student's days from–to, both included and in order: what an excuse, a parent's application
    (Чл. 61, ал. 1, т. 3) and an application for the director's permission (т. 4) are about."""

    student_id = fields.Integer(required=True)
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)

    @validates_schema
    def ordered(self, data, **_kwargs):
        if data["to"] < data["from_"]:
            raise ValidationError("Крайната дата е преди началната.", "to")


class ExcuseSchema(StudentDaysSchema):
    """The contract's ``POST /excuses``; the optional facts feed the checks of Чл. 61, ал. 1."""

    reason = fields.String(required=True, validate=validate.OneOf(("medical", "event", "parent", "director")))
    evidence = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    #: When the document reached the class teacher; default today.
    submitted_on = fields.Date(load_default=None)
    #: т. 2: the parent confirmed the participation document.
    parent_confirmed = fields.Boolean(load_default=True)
    #: т. 3: the parent told the class teacher beforehand.
    parent_notified = fields.Boolean(load_default=True)
    #: т. 4: no longer read: the director's permission is an application granted before the absence
    #: (``POST /director-permissions``), whose days are excused when it is granted.
    director_permission_on = fields.Date(load_default=None)
    #: Чл. 61, ал. 2: the document proves a stay in hospital, temporary incapacity or a stay abroad
    #: for treatment (20 consecutive days or more give the extended term of assessment).
    extended_ground = fields.String(load_default=None, allow_none=True,
                                    validate=validate.OneOf(("hospital", "incapacity", "abroad_treatment")))


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
    fired_at = UtcDateTime()
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


class CountSchema(Schema):
    count = fields.Integer()


class ExcuseApplicationSchema(StudentDaysSchema):
    """The parent's application (Чл. 61, ал. 1, т. 3): the days and the parent's reasons in their words."""

    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ExcuseApplicationQuerySchema(Schema):
    student_id = fields.Integer(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(("pending", "accepted", "refused")))


class ApplicationOutSchema(Schema):
    """What every application answers with (:func:`services.register.absences.application_rows.as_dict`)."""

    id = fields.Integer()
    student_id = fields.Integer()
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    school_days = fields.Integer()
    status = fields.String()
    submitted_on = fields.Date()
    decided_at = UtcDateTime(allow_none=True)
    refusal_reason = fields.String(allow_none=True)
    excuse_id = fields.Integer(allow_none=True)
    article = fields.String()


class ExcuseApplicationOutSchema(ApplicationOutSchema):
    reason = fields.String()


class RefusalSchema(Schema):
    """Откажи: the class teacher's reason, which the parent reads on the card."""

    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class FinalisationRequestSchema(Schema):
    """„Оформи седмицата“ (Чл. 97, т. 9): the class's absences are finalised up to this day (today at the latest)."""

    through = fields.Date(required=True)


class FinalisationSchema(Schema):
    class_code = fields.String(required=True)
    through = fields.Date(required=True)
    finalised_by = fields.Integer(required=True)
    finalised_at = UtcDateTime(required=True)


class DirectorPermissionSchema(StudentDaysSchema):
    """The parent's application for the director's prior permission (Чл. 61, ал. 1, т. 4; спец. A2)."""

    #: The reasons for the absence, described in detail.
    reasons = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    #: An application on paper recorded by the office: the day it was handed in (default today).
    submitted_on = fields.Date(load_default=None)


class DirectorPermissionQuerySchema(Schema):
    student_id = fields.Integer(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(("pending", "granted", "refused")))


class DirectorPermissionOutSchema(ApplicationOutSchema):
    reasons = fields.String()
    on_paper = fields.Boolean()


class ScholarshipSchema(Schema):
    """A scholarship the student holds (Чл. 26, ал. 1, т. 20–23), as the office records it."""

    kind = fields.String(required=True, validate=validate.Length(min=1, max=200))
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(load_default=None, allow_none=True)


class ScholarshipEndSchema(Schema):
    to = fields.Date(required=True)


class ScholarshipStopOutSchema(Schema):
    month = fields.String()
    unexcused_hours = fields.Float()
    ceased_in = fields.String(allow_none=True)
    resumes_from = fields.String(allow_none=True)
    #: The day the month's unexcused hours fell below the threshold (absences excused later): the ground ended.
    lifted_on = fields.Date(allow_none=True)


class ScholarshipOutSchema(Schema):
    id = fields.Integer()
    student_id = fields.Integer()
    kind = fields.String()
    from_ = fields.Date(data_key="from")
    to = fields.Date(allow_none=True)
    article = fields.String()
    stops = fields.List(fields.Nested(ScholarshipStopOutSchema))
