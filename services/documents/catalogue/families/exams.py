"""The exam family (изпити): the protocols of an exam for a term grade and of a correction exam, drawn up
when the commission enters the results, and the orders of the year's end on the correction sessions
(O18) and on the summer tuition (O19, and its supplements for the students added later), drawn up by
the register's sweep on the last day of classes (Чл. 137; Чл. 143, ал. 4–10)."""

from __future__ import annotations

from services.documents.catalogue.examples import SCHOOL
from services.documents.catalogue.layouts.exams import (
    build_correction_exam_protocol,
    build_correction_sessions_order,
    build_summer_tuition_order,
    build_summer_tuition_supplement,
    build_term_exam_protocol,
)
from services.documents.catalogue.schemas.exams import (
    CorrectionExamProtocolSchema,
    CorrectionSessionsOrderSchema,
    SummerTuitionOrderSchema,
    SummerTuitionSupplementSchema,
    TermExamProtocolSchema,
)
from services.documents.catalogue.spec import DocumentKind, TemplateDefinition

_COMMISSION = {"chair": "Стефка Иванова", "members": ["Петър Димитров", "Николай Тодоров"]}

TERM_EXAM_PROTOCOL = {
    "school": SCHOOL, "school_year": "2023/2024", "subject": "Математика", "class_name": "10а",
    "exam_date": "2024-02-09", "term": 1, "pc_decision": None, "commission": _COMMISSION,
    "results": [
        {"name": "Мария Иванова Петрова", "grade": "добър (4)", "outcome": "Срочна оценка за 1. срок: добър (4) "
                                                                          "(Чл. 137)."},
        {"name": "Иван Георгиев Стоянов", "grade": "не се явил",
         "outcome": "Не се е явил: определя се втора дата не по-късно от 16.02.2024 (Чл. 137, ал. 4)."},
    ],
}

CORRECTION_EXAM_PROTOCOL = {
    "school": SCHOOL, "school_year": "2023/2024", "subject": "Физика и астрономия", "class_name": "10а",
    "exam_date": "2024-07-03", "session": "Първа редовна сесия", "commission": _COMMISSION,
    "results": [
        {"name": "Мария Иванова Петрова", "grade": "среден (3)",
         "outcome": "Годишна оценка след поправителен изпит: среден (3) (Чл. 143, ал. 1)."},
        {"name": "Иван Георгиев Стоянов", "grade": "слаб (2)",
         "outcome": "Не е положил успешно изпита: явява се на втората редовна сесия – от 31.08.2024 до "
                    "14.09.2024 (Чл. 143, ал. 4)."},
    ],
}

CORRECTION_SESSIONS_ORDER = {
    "school": SCHOOL, "number": "1205/28.06.2024", "issued_on": "2024-06-28", "school_year": "2023/2024",
    "classes": "VIII–XI", "classes_end": "2024-06-28",
    "sessions": [
        {"name": "Първа редовна сесия", "start_on": "2024-06-29", "end_on": "2024-07-12", "article": "Чл. 143, ал. 4"},
        {"name": "Втора редовна сесия", "start_on": "2024-09-01", "end_on": "2024-09-14", "article": "Чл. 143, ал. 4"},
        {"name": "Допълнителна сесия", "start_on": "2024-09-15", "end_on": "2024-10-10", "article": "Чл. 143, ал. 7"},
    ],
}

SUMMER_TUITION_ORDER = {
    "school": SCHOOL, "number": "1206/28.06.2024", "issued_on": "2024-06-28", "school_year": "2023/2024",
    "start_on": "2024-07-01", "end_on": "2024-08-30",
    "students": [
        {"name": "Мария Иванова Петрова", "class_name": "10а", "subjects": "Математика"},
        {"name": "Иван Георгиев Стоянов", "class_name": "11б", "subjects": "Физика и астрономия, Химия"},
    ],
}

SUMMER_TUITION_SUPPLEMENT = {
    "school": SCHOOL, "number": "1248/05.07.2024", "issued_on": "2024-07-05", "school_year": "2023/2024",
    "supplements": "1206/28.06.2024", "start_on": "2024-07-06", "end_on": "2024-08-30",
    "students": [{"name": "Георги Николаев Димитров", "class_name": "9в",
                  "subjects": "Химия и опазване на околната среда"}],
}

DEFINITIONS: tuple[TemplateDefinition, ...] = (
    TemplateDefinition(
        "term_exam_protocol", "Протокол за резултатите от изпит за определяне на срочна оценка",
        DocumentKind.LIST, 1, ("Чл. 125, ал. 3, т. 2", "Чл. 126, ал. 1", "Чл. 137, ал. 1–2", "Чл. 137, ал. 4",
                               "Чл. 137, ал. 6"),
        TermExamProtocolSchema, TERM_EXAM_PROTOCOL, build_term_exam_protocol,
    ),
    TemplateDefinition(
        "correction_exam_protocol", "Протокол за резултатите от поправителен изпит",
        DocumentKind.LIST, 1, ("Чл. 125, ал. 3, т. 3", "Чл. 126, ал. 1", "Чл. 143, ал. 1–2", "Чл. 143, ал. 9"),
        CorrectionExamProtocolSchema, CORRECTION_EXAM_PROTOCOL, build_correction_exam_protocol,
    ),
    TemplateDefinition(
        "correction_sessions_order", "Заповед за поправителните сесии", DocumentKind.ORDER, 1,
        ("Чл. 11, ал. 1", "Чл. 143, ал. 4–8"),
        CorrectionSessionsOrderSchema, CORRECTION_SESSIONS_ORDER, build_correction_sessions_order,
    ),
    TemplateDefinition(
        "summer_tuition_order", "Заповед за допълнително обучение през лятната ваканция", DocumentKind.ORDER, 1,
        ("Чл. 11, ал. 1", "Чл. 143, ал. 10"),
        SummerTuitionOrderSchema, SUMMER_TUITION_ORDER, build_summer_tuition_order,
    ),
    TemplateDefinition(
        "summer_tuition_supplement_order",
        "Заповед за допълнение на заповедта за допълнително обучение през лятната ваканция", DocumentKind.ORDER, 1,
        ("Чл. 11, ал. 1", "Чл. 143, ал. 10"),
        SummerTuitionSupplementSchema, SUMMER_TUITION_SUPPLEMENT, build_summer_tuition_supplement,
    ),
)
