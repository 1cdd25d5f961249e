"""Context schema of the self-study exam session schedule order (заповед за графика на изпитна сесия за
самостоятелна форма на обучение, O17, Чл. 121, ал. 6, т. 6.1 и 6.3)."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validate, validates_schema

from services.documents.catalogue.schemas.common import SCHOOL_YEAR, OrderSchema
from services.documents.catalogue.schemas.fields import BaseSchema, Boolean, Date, List, Nested, Text, one_of

#: One regular and two correction sessions (Чл. 121, ал. 6).
SESSIONS = ("редовна", "първа поправителна", "втора поправителна")
#: The exam forms (писмен, устен, практически изпит).
EXAM_FORMS = ("писмен", "устен", "практически")
#: Months by name, as the order prints them.
MONTHS = {"януари": 1, "март": 3, "май": 5, "юни": 6, "юли": 7, "септември": 9, "ноември": 11}
#: Чл. 121, ал. 6, т. 6.1: the regular session is held in November, January, March and June.
REGULAR_MONTHS = ("ноември", "януари", "март", "юни")
#: Чл. 121, ал. 6, т. 6.3: the correction sessions, July and September; for XII May and July.
CORRECTION_MONTHS = {False: ("юли", "септември"), True: ("май", "юли")}
TIME = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Часът се пише във вида 09:00.")


class SelfStudyExamSchema(BaseSchema):
    """One exam of the session: subject, form, day, hour, room and commission."""

    subject = Text(required=True, max_length=120)
    exam_form = Text(required=True, validate=[one_of(EXAM_FORMS)])
    date = Date(required=True)
    time = Text(required=True, validate=[TIME])
    room = Text(required=True, max_length=40)
    commission = Text(required=True, max_length=400)


class SelfStudySessionsOrderSchema(OrderSchema):
    """Order approving the exam schedule of a self-study session (O17, Чл. 121, ал. 6, т. 6.1, 6.3)."""

    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    session = Text(required=True, validate=[one_of(SESSIONS)])
    month = Text(required=True, validate=[one_of(tuple(MONTHS))])
    final_grade = Boolean(load_default=False)
    class_teacher = Text(required=True, max_length=200)
    schedule = List(Nested(SelfStudyExamSchema), required=True)

    @validates_schema
    def _month_of_the_session(self, data: dict[str, Any], **_: Any) -> None:
        session, month = data.get("session"), data.get("month")
        if not session or not month:
            return
        if session == "редовна":
            allowed, article = REGULAR_MONTHS, "Чл. 121, ал. 6, т. 6.1"
        else:
            allowed, article = CORRECTION_MONTHS[bool(data.get("final_grade"))], "Чл. 121, ал. 6, т. 6.3"
        if month not in allowed:
            who = " за XII клас" if session != "редовна" and data.get("final_grade") else ""
            raise ValidationError(f"Сесията „{session}“{who} е през {' или '.join(allowed)} ({article}).", "month")
        if session != "редовна":  # the first correction session is the earlier month, the second the later
            expected = allowed[SESSIONS.index(session) - 1]
            if month != expected:
                raise ValidationError(f"Сесията „{session}“ е през {expected} ({article}).", "month")
        wrong = [f"{row['date']:%d.%m.%Y}" for row in data.get("schedule") or []
                 if row.get("date") and row["date"].month != MONTHS[month]]
        if wrong:
            raise ValidationError(f"Изпитите на сесията са през {month}: {', '.join(wrong)}.", "schedule")
