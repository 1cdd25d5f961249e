"""Context pieces shared by all templates: letterhead, people, order header."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import ValidationError, validate, validates_schema

from services.documents.catalogue.schemas.fields import BaseSchema, Date, Email, Nested, Text

ORDER_NUMBER = validate.Regexp(
    r"^\d{1,6}/\d{2}\.\d{2}\.\d{4}$", error="Номерът на заповедта трябва да е във вида 1058/14.09.2023."
)
SCHOOL_YEAR = validate.Regexp(r"^\d{4}/\d{4}$", error="Учебната година се пише във вида 2023/2024.")


class SchoolSchema(BaseSchema):
    """School identity for the letterhead (бланка на училището), as stored by PUT /school."""

    name = Text(required=True, max_length=300)
    address = Text(required=True, max_length=300)
    town = Text(required=True, max_length=100)
    phone = Text(required=True, max_length=100)
    email = Email(required=True)
    neispuo_code = Text(
        required=True, validate=[validate.Regexp(r"^\d{7}$", error="Кодът по НЕИСПУО е от 7 цифри.")]
    )
    director_name = Text(required=True, max_length=200)


class StudentSchema(BaseSchema):
    """Student (ученик) with the class (паралелка) code, e.g. ``10а``."""

    name = Text(required=True, max_length=300)
    class_name = Text(required=True, max_length=20)


class ParentSchema(BaseSchema):
    """Parent or guardian (родител или настойник) a letter is addressed to."""

    name = Text(required=True, max_length=300)
    address = Text(required=True, max_length=500)


class LetterSchema(BaseSchema):
    """Fields of every outgoing letter: registration number, date, addressee, student."""

    school = Nested(SchoolSchema, required=True)
    outgoing_number = Text(required=True, max_length=50)
    sent_on = Date(required=True)
    parent = Nested(ParentSchema, required=True)
    student = Nested(StudentSchema, required=True)


class OrderSchema(BaseSchema):
    """Fields of every director order (заповед, Чл. 11, ал. 1): number, date, letterhead."""

    school = Nested(SchoolSchema, required=True)
    number = Text(required=True, validate=[ORDER_NUMBER])
    issued_on = Date(required=True)

    @validates_schema
    def _number_matches_date(self, data: dict[str, Any], **_: Any) -> None:
        number, issued = data.get("number"), data.get("issued_on")
        if number and issued and not number.endswith(f"/{issued:%d.%m.%Y}"):
            raise ValidationError("Датата в номера не съвпада с датата на заповедта.", "number")


def days_between(start: date | None, end: date | None) -> int | None:
    """Calendar days from ``start`` to ``end``, or ``None`` when either is missing."""
    if start is None or end is None:
        return None
    return (end - start).days
