"""Context schemas of the orders that organise the school year: class teachers, timetables, days, deputy."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validate, validates_schema

from services.documents.catalogue.schemas.common import SCHOOL_YEAR, OrderSchema, SchoolSchema, days_between
from services.documents.catalogue.schemas.fields import BaseSchema, Date, Integer, List, Nested, Text, at_least, one_of

#: Terms of the school year (учебни срокове).
TERMS = (1, 2)
#: Чл. 114, ал. 1, т. 1–3: the grounds of a timetable deviation.
DEVIATION_GROUNDS = (1, 2, 3)
#: Чл. 116, ал. 4: at most three non-school attendance days a school year.
MAX_ATTENDANCE_DAYS = 3
#: Чл. 13, ал. 1 and 3: an order covers an absence shorter than 60 calendar days; a longer one is a contract.
MAX_SUBSTITUTION_DAYS = 60


class ClassTeacherRowSchema(BaseSchema):
    """A class (паралелка) and its class teacher (класен ръководител)."""

    class_name = Text(required=True, max_length=20)
    teacher = Text(required=True, max_length=200)


class ClassTeachersOrderSchema(OrderSchema):
    """Order appointing the class teachers of all classes (Чл. 117)."""

    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    effective_from = Date(required=True)
    classes = List(Nested(ClassTeacherRowSchema), required=True)

    @validates_schema
    def _each_class_once(self, data: dict[str, Any], **_: Any) -> None:
        names = [row["class_name"] for row in data.get("classes") or []]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValidationError(f"Паралелката има един класен ръководител: {', '.join(twice)}.", "classes")


class TimetableClassSchema(BaseSchema):
    """One class's weekly timetable in the approval order: its lessons a week."""

    class_name = Text(required=True, max_length=20)
    weekly_lessons = Integer(required=True, validate=[at_least(1)])
    valid_from = Date(required=True)


class TimetableApprovalSchema(OrderSchema):
    """Approval of the weekly timetable for a term (утвърждаване на седмичното разписание, Чл. 113, ал. 3)."""

    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    term = Integer(required=True, validate=[one_of(TERMS)])
    term_start = Date(required=True)
    council_decision = Text(required=True, max_length=200)
    classes = List(Nested(TimetableClassSchema), required=True)


class DeviationRowSchema(BaseSchema):
    """One lesson of the day taught otherwise, with the circumstances the order must name (Чл. 114, ал. 2)."""

    class_name = Text(required=True, max_length=20)
    lesson = Integer(required=True, validate=[validate.Range(1, 12, error="Часът е от 1 до 12.")])
    change = Text(required=True, max_length=300)
    ground = Integer(required=True, validate=[one_of(DEVIATION_GROUNDS)])
    circumstances = Text(required=True, max_length=1000)


class TimetableDeviationSchema(OrderSchema):
    """Order on one school day's lessons taught otherwise than the timetable (Чл. 114, ал. 1–2)."""

    date = Date(required=True)
    changes = List(Nested(DeviationRowSchema), required=True)


class AttendanceDaySchema(BaseSchema):
    """A non-school attendance day (неучебен, но присъствен ден) and what the students do that day."""

    date = Date(required=True)
    activity = Text(required=True, max_length=500)


def _at_most_three_days(data: dict[str, Any]) -> None:
    days = [row["date"] for row in data.get("days") or []]
    if len(days) > MAX_ATTENDANCE_DAYS:
        raise ValidationError(f"До {MAX_ATTENDANCE_DAYS} учебни дни в една учебна година (Чл. 116, ал. 4).",
                              "days")
    if len(set(days)) != len(days):
        raise ValidationError("Един ден е посочен два пъти.", "days")


class AttendanceDaysOrderSchema(OrderSchema):
    """Order declaring non-school attendance days after the council's decision (Чл. 116, ал. 4)."""

    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    council_decision = Text(required=True, max_length=200)
    days = List(Nested(AttendanceDaySchema), required=True)
    ruo = Text(required=True, max_length=200)

    @validates_schema
    def _days(self, data: dict[str, Any], **_: Any) -> None:
        _at_most_three_days(data)


class OrderRefSchema(BaseSchema):
    """The order a letter cites: its number and date."""

    number = Text(required=True, max_length=50)
    issued_on = Date(required=True)


class AttendanceDaysLetterSchema(BaseSchema):
    """Notice to the head of РУО of the non-school attendance days (Чл. 116, ал. 4)."""

    school = Nested(SchoolSchema, required=True)
    outgoing_number = Text(required=True, max_length=50)
    sent_on = Date(required=True)
    ruo = Text(required=True, max_length=200)
    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    order = Nested(OrderRefSchema, required=True)
    council_decision = Text(required=True, max_length=200)
    days = List(Nested(AttendanceDaySchema), required=True)

    @validates_schema
    def _days(self, data: dict[str, Any], **_: Any) -> None:
        _at_most_three_days(data)


class ClassWorkRowSchema(BaseSchema):
    """A class or test paper (класна или контролна работа) on the term's schedule."""

    class_name = Text(required=True, max_length=20)
    subject = Text(required=True, max_length=120)
    kind = Text(required=True, max_length=40)
    date = Date(required=True)


class ClassWorksScheduleSchema(OrderSchema):
    """Approval of the term's schedule of class and test papers (Чл. 136, ал. 2–3)."""

    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    term = Integer(required=True, validate=[one_of(TERMS)])
    term_start = Date(required=True)
    works = List(Nested(ClassWorkRowSchema), required=True)


class DirectorSubstituteSchema(OrderSchema):
    """Order naming who stands in for the absent director (заместване на директора, Чл. 13, ал. 1–2)."""

    substitute = Text(required=True, max_length=200)
    position = Text(required=True, max_length=200)
    start_on = Date(required=True)
    end_on = Date(required=True)
    reason = Text(required=True, max_length=300)
    powers = Text(load_default=None, allow_none=True, max_length=2000)

    @validates_schema
    def _shorter_than_sixty_days(self, data: dict[str, Any], **_: Any) -> None:
        days = days_between(data.get("start_on"), data.get("end_on"))
        if days is None:
            return
        if days < 0:
            raise ValidationError("Крайната дата е преди началната.", "end_on")
        if days + 1 >= MAX_SUBSTITUTION_DAYS:
            raise ValidationError(
                f"Заместване със заповед е при отсъствие, по-кратко от {MAX_SUBSTITUTION_DAYS} календарни дни "
                "(Чл. 13, ал. 1); при по-дълго се сключва трудов договор (Чл. 13, ал. 3).", "end_on")
