"""Context schemas of the papers about one student: support team, PE notice, declarations, transfer."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validate, validates_schema

from services.documents.catalogue.schemas.common import (
    SCHOOL_YEAR,
    LetterSchema,
    OrderSchema,
    SchoolSchema,
    StudentSchema,
)
from services.documents.catalogue.schemas.fields import BaseSchema, Date, Hours, List, Nested, Text
from services.documents.catalogue.schemas.other import CertificateStudentSchema
from services.documents.catalogue.schemas.school_organisation import OrderRefSchema


class TeamMemberSchema(BaseSchema):
    """A member of the support team with their position."""

    name = Text(required=True, max_length=200)
    role = Text(required=True, max_length=200)


class SupportTeamOrderSchema(OrderSchema):
    """Order setting up a student's personal development support team (Чл. 44, ал. 1–4; Чл. 46, ал. 2)."""

    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    student = Nested(StudentSchema, required=True)
    leader = Text(required=True, max_length=200)
    members = List(Nested(TeamMemberSchema), load_default=list, min_items=0)
    parent_name = Text(required=True, max_length=300)


class PeExemptionLetterSchema(LetterSchema):
    """Notice to the parents of a PE exemption and of what the student does in those hours (Чл. 27, ал. 5)."""

    order = Nested(OrderRefSchema, required=True)
    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    medical_document = Text(required=True, max_length=300)
    exempt_from = Date(required=True)
    exempt_to = Date(required=True)
    activity = Text(required=True, max_length=1000)
    class_teacher = Text(required=True, max_length=200)

    @validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("exempt_from") and data.get("exempt_to") and data["exempt_to"] < data["exempt_from"]:
            raise ValidationError("Крайната дата е преди началната.", "exempt_to")


class TransferConsentSchema(BaseSchema):
    """Informed-consent declaration on a transfer into the school (Чл. 26, ал. 2, т. 7)."""

    school = Nested(SchoolSchema, required=True)
    parent_name = Text(required=True, max_length=300)
    student = Nested(StudentSchema, required=True)
    from_school = Text(required=True, max_length=300)
    differences = Text(required=True, max_length=2000)
    exams = List(Text(max_length=200), load_default=list, min_items=0)


class PersonalDataConsentSchema(BaseSchema):
    """Parents' consent to process their and the student's personal data (Чл. 152–153)."""

    school = Nested(SchoolSchema, required=True)
    parent_name = Text(required=True, max_length=300)
    student = Nested(StudentSchema, required=True)
    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    #: The day the student was enrolled (Чл. 152), or the day the consent is asked for an earlier cohort (Чл. 153).
    enrolled_on = Date(required=True)


_NOT_NEGATIVE = validate.Range(min=0, error="Стойността трябва да е поне {min}.")


class GradeRowSchema(BaseSchema):
    """A subject and the grade so far (оценка) on the transfer certificate."""

    subject = Text(required=True, max_length=120)
    grade = Text(required=True, max_length=60)


class TransferCertificateSchema(BaseSchema):
    """Transfer certificate (удостоверение за преместване), signed by the director (Чл. 10, ал. 7, т. 13)."""

    school = Nested(SchoolSchema, required=True)
    number = Text(required=True, max_length=50)
    issued_on = Date(required=True)
    student = Nested(CertificateStudentSchema, required=True)
    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    education_form = Text(required=True, max_length=50)
    profile = Text(required=True, max_length=300)
    to_school = Text(required=True, max_length=300)
    grades = List(Nested(GradeRowSchema), load_default=list, min_items=0)
    #: Hours of absence this school year; a lateness counts as half (Чл. 61, ал. 5).
    excused = Hours(required=True, validate=[_NOT_NEGATIVE])
    unexcused = Hours(required=True, validate=[_NOT_NEGATIVE])
