"""Request and response schemas of the school and its years, and the answers every feature shares."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema


def _email_or_empty(value: str) -> None:
    if value:
        validate.Email(error="Не е валиден адрес на електронна поща.")(value)


class SchoolSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    neispuo_code = fields.String(required=True, validate=validate.Regexp(
        r"^\d{6,7}$", error="Кодът по НЕИСПУО е от 6 или 7 цифри."))
    address = fields.String(load_default="", validate=validate.Length(max=300))
    town = fields.String(load_default="", validate=validate.Length(max=100))
    director_name = fields.String(load_default="", validate=validate.Length(max=200))
    phone = fields.String(load_default="", validate=validate.Length(max=50))
    #: Optional: an empty text is a school without one (so the answer's "" is no broken "email").
    email = fields.String(load_default="", validate=_email_or_empty,
                          metadata={"description": "e-mail address, or empty"})


class IdSchema(Schema):
    id = fields.Integer()


class IdsSchema(Schema):
    ids = fields.List(fields.Integer())


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
    classes_end = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^(1[0-2]|[1-9])$", error="Класът е число от 1 до 12.")),
        values=fields.Date(), load_default=dict,
        metadata={"description": "The last day of classes of a grade that finishes before the second term "
                                 "(XII in May, Чл. 113, ал. 1), e.g. {\"12\": \"2024-05-15\"}; XII's "
                                 "defaults to SCHOOL_XII_CLASSES_END."})

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
    classes_end = fields.Dict(keys=fields.String(), values=fields.String())
