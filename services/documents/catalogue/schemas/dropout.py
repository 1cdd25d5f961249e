"""Context schemas of the dropout family (Чл. 97, т. 17; Чл. 25, ал. 4–5)."""

from __future__ import annotations

from marshmallow import validate

from services.documents.catalogue.schemas.common import SCHOOL_YEAR, LetterSchema, SchoolSchema, StudentSchema
from services.documents.catalogue.schemas.fields import (
    BaseSchema,
    Date,
    Integer,
    List,
    Nested,
    Text,
    at_least,
    one_of,
)

#: The class register's number of a letter: ``10а-1/06.12.2026`` (the class, its sequence, the date).
REGISTER_ENTRY = validate.Regexp(r"^\S{1,8}-\d{1,5}/\d{2}\.\d{2}\.\d{4}$",
                                 error="Номерът в дневника на класа се пише във вида 10а-1/06.12.2026.")
_ACTIVITY = Text(max_length=500)


class AtRiskRowSchema(StudentSchema):
    """One student in the report: the reasons, the activities so far and the letter's number."""

    unexcused = Integer(required=True, validate=[at_least(0)])
    reasons = Text(required=True, max_length=1000)
    activities = List(_ACTIVITY, min_items=0, load_default=list)
    register_entry = Text(required=True, validate=[REGISTER_ENTRY])


class DropoutReportSchema(BaseSchema):
    """The class teacher's report to the director on the students at risk (доклад, Чл. 97, т. 17)."""

    school = Nested(SchoolSchema, required=True)
    class_name = Text(required=True, max_length=20)
    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    term = Integer(required=True, validate=[one_of((1, 2))])
    term_end = Date(required=True)
    report_on = Date(required=True)
    class_teacher = Text(required=True, max_length=200)
    students = List(Nested(AtRiskRowSchema), required=True, min_items=1)


class DropoutLetterSchema(LetterSchema):
    """The letter to the parents, registered in the class register (уведомително писмо, Чл. 97, т. 17)."""

    reasons = Text(required=True, max_length=1000)
    activities = List(_ACTIVITY, min_items=0, load_default=list)
    term_end = Date(required=True)
    register_entry = Text(required=True, validate=[REGISTER_ENTRY])
    class_teacher = Text(required=True, max_length=200)


#: Who is notified under Чл. 25, ал. 5, as the notice addresses them.
ADDRESSEES = {
    "municipality": "КМЕТА НА ОБЩИНАТА (РАЙОННАТА АДМИНИСТРАЦИЯ)",
    "ruo": "НАЧАЛНИКА НА РЕГИОНАЛНОТО УПРАВЛЕНИЕ НА ОБРАЗОВАНИЕТО",
    "child_protection": "ОТДЕЛ „ЗАКРИЛА НА ДЕТЕТО“ ПРИ ДИРЕКЦИЯ „СОЦИАЛНО ПОДПОМАГАНЕ“",
}
#: The same addressees as the text of the notice names the other two (nominative, in the sentence).
ADDRESSEES_IN_TEXT = {
    "municipality": "кметът на общината (районната администрация)",
    "ruo": "началникът на Регионалното управление на образованието",
    "child_protection": "отдел „Закрила на детето“ при Дирекция „Социално подпомагане“",
}
#: The grounds after which Чл. 25, ал. 5 asks for the notices.
NOTIFIED_GROUNDS = {
    "Чл. 25, ал. 4, т. 2": "непосещаване на училище по неуважителни причини за период, по-дълъг от два месеца",
    "Чл. 25, ал. 4, т. 3": "неявяване на изпитите в три поредни сесии в самостоятелна форма на обучение",
}


class DeregistrationNoticeSchema(BaseSchema):
    """The director's notice of a deregistered student of compulsory school age (уведомление, Чл. 25, ал. 5)."""

    school = Nested(SchoolSchema, required=True)
    outgoing_number = Text(required=True, max_length=50)
    sent_on = Date(required=True)
    addressee = Text(required=True, validate=[one_of(tuple(ADDRESSEES.values()))])
    other_addressees = Text(required=True, max_length=500)
    student = Nested(StudentSchema, required=True)
    #: Under the compulsory school age (the register's setting ``compulsory_school_age``, 16 by default).
    age = Integer(required=True, validate=[at_least(0)])
    deregistered_on = Date(required=True)
    ground_article = Text(required=True, validate=[one_of(tuple(NOTIFIED_GROUNDS))])
    ground_text = Text(required=True, max_length=300)
    nonattendance_since = Date(load_default=None, allow_none=True)
