"""Context schemas of the procedure's other documents: hearing protocol, early erasure order, the
notices to child protection and to the РУО, the advance notice of a removal from school (Чл. 52–60).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from marshmallow import ValidationError, validates_schema

from services.documents.catalogue.sanction_kinds import SANCTION_KINDS
from services.documents.catalogue.schemas.common import (
    SCHOOL_YEAR,
    LetterSchema,
    OrderSchema,
    SchoolSchema,
    StudentSchema,
)
from services.documents.catalogue.schemas.fields import BaseSchema, Boolean, Date, Nested, Text, one_of
from services.documents.catalogue.schemas.sanctions import LETTER_DEADLINE_DAYS, OrderRefSchema

SANCTION = one_of(tuple(SANCTION_KINDS))
HEARING_MODES = ("in_person", "written", "both")


class InstitutionLetterSchema(BaseSchema):
    """An outgoing letter to an institution, not to a parent: number, date, recipient, student."""

    school = Nested(SchoolSchema, required=True)
    outgoing_number = Text(required=True, max_length=50)
    sent_on = Date(required=True)
    recipient = Text(required=True, max_length=300)
    student = Nested(StudentSchema, required=True)


class HearingProtocolSchema(BaseSchema):
    """Протокол от изслушването (Чл. 57, ал. 3–4): how the student was heard and who was present."""

    school = Nested(SchoolSchema, required=True)
    student = Nested(StudentSchema, required=True)
    sanction = Text(required=True, validate=[SANCTION])
    reasons = Text(required=True, max_length=4000)
    held_on = Date(required=True)
    mode = Text(required=True, validate=[one_of(HEARING_MODES)])
    explanation = Text(load_default=None, allow_none=True, max_length=4000)
    class_teacher = Text(required=True, max_length=200)
    psychologist = Text(required=True, max_length=200)
    parent_attended = Boolean(required=True)

    @validates_schema
    def _written_needs_the_explanation(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("mode") == "written" and not data.get("explanation"):
            raise ValidationError("Когато ученикът не е изслушан лично, се прилага писменото му обяснение "
                                  "(Чл. 57, ал. 3).", "explanation")


class ImposingOrderSchema(BaseSchema):
    """The order that imposed the sanction, as the erasure order cites it: its number from the register of
    orders, or none when it was never numbered (the order then says so in words, not with a dash)."""

    number = Text(load_default=None, allow_none=True, max_length=50)
    issued_on = Date(required=True)


class ErasureOrderSchema(OrderSchema):
    """Заповед за предсрочно заличаване на санкция (Чл. 60, ал. 1, ал. 3)."""

    student = Nested(StudentSchema, required=True)
    sanction = Text(required=True, validate=[SANCTION])
    imposed_by = Nested(ImposingOrderSchema, required=True)
    erasure_proposal_ref = Text(required=True, max_length=200)
    erasure_proposed_on = Date(required=True)
    motives = Text(required=True, max_length=4000)
    class_teacher = Text(required=True, max_length=200)

    @validates_schema
    def _after_the_imposition(self, data: dict[str, Any], **_: Any) -> None:
        imposed = (data.get("imposed_by") or {}).get("issued_on")
        proposed, issued = data.get("erasure_proposed_on"), data.get("issued_on")
        if imposed and proposed and proposed < imposed:
            raise ValidationError("Предложението за заличаване не може да е преди заповедта за налагане.",
                                  "erasure_proposed_on")
        if proposed and issued and issued < proposed:
            raise ValidationError("Заповедта за заличаване не може да е преди предложението (Чл. 60, ал. 1).",
                                  "erasure_proposed_on")


class ChildProtectionNoticeSchema(InstitutionLetterSchema):
    """Уведомление до структурите за закрила на детето при откриване на процедура (Чл. 57, ал. 1)."""

    sanction = Text(required=True, validate=[SANCTION])
    reasons = Text(required=True, max_length=4000)
    proposed_on = Date(required=True)


class RuoTransferLetterSchema(InstitutionLetterSchema):
    """Писмо до началника на РУО със заповедта за преместване в друго училище (Чл. 58, ал. 3)."""

    order = Nested(OrderRefSchema, required=True)
    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    motives = Text(required=True, max_length=4000)

    @validates_schema
    def _within_three_days(self, data: dict[str, Any], **_: Any) -> None:
        issued, sent = (data.get("order") or {}).get("issued_on"), data.get("sent_on")
        if issued and sent and not issued <= sent <= issued + timedelta(LETTER_DEADLINE_DAYS):
            raise ValidationError("Заповедта се изпраща на началника на РУО в тридневен срок от издаването ѝ "
                                  "(Чл. 58, ал. 3).", "sent_on")


class RemovalNoticeSchema(LetterSchema):
    """Предварително уведомление за отстраняване от училище до родителя и психолога (Чл. 52, ал. 3)."""

    removal_on = Date(required=True)
    reason = Text(required=True, max_length=4000)
    psychologist = Text(required=True, max_length=200)

    @validates_schema
    def _before_the_removal(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("sent_on") and data.get("removal_on") and data["sent_on"] > data["removal_on"]:
            raise ValidationError("Родителят и психологът се уведомяват предварително – не след "
                                  "отстраняването (Чл. 52, ал. 3).", "sent_on")
