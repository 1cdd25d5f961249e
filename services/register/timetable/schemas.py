"""Request and response schemas of the timetable (седмично разписание) and its one-day changes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.register.timetable.changes import GROUNDS


class TimetableLessonSchema(Schema):
    weekday = fields.Integer(required=True, validate=validate.Range(min=1, max=7),
                             metadata={"description": "1 = понеделник … 5 = петък"})
    lesson = fields.Integer(required=True, validate=validate.Range(min=1, max=14),
                            metadata={"description": "номер на часа според звънеца (SCHOOL_SCHOOL_BELLS)"})
    subject = fields.String(required=True, validate=validate.Length(min=1, max=120))
    teacher_id = fields.Integer(required=True)


class TimetableSchema(Schema):
    """The contract's ``PUT /classes/{code}/timetable``: the class's weekly timetable from ``valid_from``."""

    valid_from = fields.Date(required=True)
    lessons = fields.List(fields.Nested(TimetableLessonSchema), required=True)


class TimetableQuerySchema(Schema):
    date = fields.Date(load_default=None, metadata={"description": "по подразбиране днес"})


class ChangeSchema(Schema):
    """A one-day change of one lesson (Чл. 114): another teacher or subject, or the lesson cancelled."""

    date = fields.Date(required=True)
    lesson = fields.Integer(required=True, validate=validate.Range(min=1, max=14))
    subject = fields.String(load_default=None, validate=validate.Length(min=1, max=120))
    teacher_id = fields.Integer(load_default=None)
    cancelled = fields.Boolean(load_default=False)
    ground = fields.Integer(required=True, validate=validate.OneOf(tuple(GROUNDS)),
                            metadata={"description": "Чл. 114, ал. 1, т. 1, 2 или 3"})
    circumstances = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                                  metadata={"description": "обстоятелствата, наложили промяната (Чл. 114, ал. 2)"})


class ChangeOutSchema(Schema):
    lesson = fields.Integer()
    subject = fields.String(allow_none=True)
    teacher_id = fields.Integer(allow_none=True)
    cancelled = fields.Boolean()
    ground = fields.Integer()
    circumstances = fields.String()


class TimetableOutSchema(Schema):
    class_code = fields.String()
    valid_from = fields.Date()
    lessons = fields.List(fields.Nested(TimetableLessonSchema))
    #: The requested day's changes (Чл. 114); empty for a PUT's answer's first day without any.
    changes = fields.List(fields.Nested(ChangeOutSchema))


class UnrecordedSchema(Schema):
    class_code = fields.String()
    lesson = fields.Integer()
    subject = fields.String()
    teacher_id = fields.Integer()
    teacher = fields.String()
