"""Context schemas of the sanction procedure: opening notice, orders, letters (Чл. 52–59)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from marshmallow import ValidationError, validates_schema

from services.documents.catalogue.sanction_kinds import SANCTION_KINDS, SanctionKind
from services.documents.catalogue.schemas.common import SCHOOL_YEAR, LetterSchema, OrderSchema, StudentSchema
from services.documents.catalogue.schemas.fields import BaseSchema, Boolean, Date, Nested, Text, one_of

#: Days the director has to issue the order after the proposal or decision (Чл. 58, ал. 1).
ORDER_DEADLINE_DAYS = 14
#: Days to inform the parents after the order (Чл. 58, ал. 3).
LETTER_DEADLINE_DAYS = 3


class SanctionedStudentSchema(StudentSchema):
    """Student with a birth date, needed for the 16-year limit of Чл. 53, ал. 1."""

    birth_date = Date(required=True)


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class HearingNoticeSchema(LetterSchema):
    """Notice of the opening of a sanction procedure (уведомление за откриване на процедура)."""

    sanction = Text(required=True, validate=[one_of(tuple(SANCTION_KINDS))])
    reasons = Text(required=True)
    hearing_on = Date(required=True)
    hearing_time = Text(required=True, max_length=20)
    hearing_place = Text(required=True, max_length=200)

    @validates_schema
    def _hearing_after_notice(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("hearing_on") and data.get("sent_on") and data["hearing_on"] < data["sent_on"]:
            raise ValidationError("Изслушването не може да е преди датата на уведомлението.", "hearing_on")


def sanction_order_schema(kind: SanctionKind) -> type[OrderSchema]:
    """Schema of the sanction order (заповед за налагане на санкция) for one sanction kind."""

    class SanctionOrderSchema(OrderSchema):
        student = Nested(SanctionedStudentSchema, required=True)
        school_year = Text(required=True, validate=[SCHOOL_YEAR])
        motives = Text(required=True, max_length=4000)
        proposal_ref = Text(required=True, max_length=200)
        proposed_on = Date(required=True)
        hearing_on = Date(required=True)
        parent_attended = Boolean(required=True)
        class_teacher = Text(required=True, max_length=200)
        psychologist = Text(required=True, max_length=200)
        effective_from = Date(required=True)
        if kind.notify_ruo:
            ruo = Text(required=True, max_length=200)

        @validates_schema
        def _procedure_dates(self, data: dict[str, Any], **_: Any) -> None:
            issued, proposed = data.get("issued_on"), data.get("proposed_on")
            errors: dict[str, list[str]] = {}
            if issued and proposed and not proposed <= issued <= proposed + timedelta(ORDER_DEADLINE_DAYS):
                errors["proposed_on"] = ["Заповедта се издава в 14-дневен срок от предложението "
                    "(Чл. 58, ал. 1)."]
            if issued and data.get("hearing_on") and data["hearing_on"] > issued:
                errors["hearing_on"] = ["Изслушването трябва да предхожда заповедта (Чл. 57, ал. 3)."]
            if issued and data.get("effective_from") and data["effective_from"] < issued:
                errors["effective_from"] = ["Санкцията не може да влиза в сила преди заповедта."]
            birth = (data.get("student") or {}).get("birth_date")
            if kind.min_age and issued and birth and _age_on(birth, issued) < kind.min_age:
                errors["student"] = [f"Санкцията се налага само на ученици, навършили "
                    f"{kind.min_age} години (Чл. 53, ал. 1)."]
            if errors:
                raise ValidationError(errors)

    SanctionOrderSchema.__name__ = f"SanctionOrder_{kind.key}_Schema"
    return SanctionOrderSchema


class OrderRefSchema(BaseSchema):
    """Reference to an issued order: its number as printed and its date."""

    number = Text(required=True, max_length=50)
    issued_on = Date(required=True)


def sanction_letter_schema(kind: SanctionKind) -> type[LetterSchema]:
    """Schema of the letter to the parents after a sanction order (писмо по образец, Чл. 58, ал. 3)."""

    class SanctionLetterSchema(LetterSchema):
        order = Nested(OrderRefSchema, required=True)
        school_year = Text(required=True, validate=[SCHOOL_YEAR])
        motives = Text(required=True, max_length=4000)
        effective_from = Date(required=True)
        class_teacher = Text(required=True, max_length=200)
        if kind.notify_ruo:
            ruo = Text(required=True, max_length=200)

        @validates_schema
        def _within_three_days(self, data: dict[str, Any], **_: Any) -> None:
            issued = (data.get("order") or {}).get("issued_on")
            sent = data.get("sent_on")
            if issued and sent and not issued <= sent <= issued + timedelta(LETTER_DEADLINE_DAYS):
                raise ValidationError(
                    "Писмото се изпраща в тридневен срок от издаването на заповедта (Чл. 58, ал. "
                        "3).", "sent_on"
                )

    SanctionLetterSchema.__name__ = f"SanctionLetter_{kind.key}_Schema"
    return SanctionLetterSchema
