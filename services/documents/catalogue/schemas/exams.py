"""Contexts of the exam documents: the protocols of an exam and the orders of the year's end
(Чл. 137; Чл. 143, ал. 4–10)."""

from __future__ import annotations

from services.documents.catalogue.schemas.common import SCHOOL_YEAR, OrderSchema, SchoolSchema
from services.documents.catalogue.schemas.fields import BaseSchema, Date, Integer, List, Nested, Text, one_of


class CommissionSchema(BaseSchema):
    """The exam commission (изпитна комисия, Чл. 126, ал. 1): a chair and at least one member."""

    chair = Text(required=True, max_length=200)
    members = List(Text(max_length=200), required=True)


class ExamResultSchema(BaseSchema):
    """One student's result: the grade in words and figure, or „не се явил“, and what it means."""

    name = Text(required=True, max_length=300)
    grade = Text(required=True, max_length=40)
    outcome = Text(required=True, max_length=1000)


class ExamProtocolSchema(BaseSchema):
    """Protocol of an exam's results (протокол за резултатите от изпит)."""

    school = Nested(SchoolSchema, required=True)
    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    subject = Text(required=True, max_length=120)
    class_name = Text(required=True, max_length=20)
    exam_date = Date(required=True)
    commission = Nested(CommissionSchema, required=True)
    results = List(Nested(ExamResultSchema), required=True)


class TermExamProtocolSchema(ExamProtocolSchema):
    """Protocol of an exam for a term grade (Чл. 137, ал. 1–2, 4, 6)."""

    term = Integer(required=True, validate=[one_of((1, 2))])
    pc_decision = Text(load_default=None, allow_none=True, max_length=100)


class CorrectionExamProtocolSchema(ExamProtocolSchema):
    """Protocol of a correction exam (Чл. 143)."""

    session = Text(required=True, max_length=200)


class SessionRowSchema(BaseSchema):
    """One correction session of a group of classes with its dates (Чл. 143, ал. 4–8)."""

    name = Text(required=True, max_length=60)
    start_on = Date(required=True)
    end_on = Date(required=True)
    article = Text(required=True, max_length=60)


class CorrectionSessionsOrderSchema(OrderSchema):
    """Order on the correction sessions (заповед за поправителните сесии, O18, Чл. 143, ал. 4–8)."""

    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    classes = Text(required=True, max_length=100)
    classes_end = Date(required=True)
    sessions = List(Nested(SessionRowSchema), required=True)


class TuitionStudentSchema(BaseSchema):
    name = Text(required=True, max_length=300)
    class_name = Text(required=True, max_length=20)
    subjects = Text(required=True, max_length=1000)


class SummerTuitionOrderSchema(OrderSchema):
    """Order on the summer additional tuition (допълнително обучение през лятната ваканция, O19, Чл. 143, ал. 10)."""

    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    students = List(Nested(TuitionStudentSchema), required=True)
    start_on = Date(required=True)
    end_on = Date(required=True)


class SummerTuitionSupplementSchema(SummerTuitionOrderSchema):
    """Supplement to the summer tuition order (допълнение на заповедта, O19, Чл. 143, ал. 10): the students
    whose annual „слаб (2)“ was formed after the order, by the number of the order it supplements."""

    supplements = Text(required=True, max_length=40)
