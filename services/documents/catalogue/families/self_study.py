"""The self-study family (самостоятелна форма на обучение): the order approving the exam schedule of a
session (O17, Чл. 121, ал. 6, т. 6.1 и 6.3), issued before each session and made known to the students
by the person designated as their class teacher (Чл. 121, ал. 7, т. 1)."""

from __future__ import annotations

from services.documents.catalogue.examples import SCHOOL
from services.documents.catalogue.layouts.self_study import build_self_study_sessions_order
from services.documents.catalogue.schemas.self_study import SelfStudySessionsOrderSchema
from services.documents.catalogue.spec import DocumentKind, TemplateDefinition

SELF_STUDY_SESSIONS_ORDER = {
    "school": SCHOOL, "number": "1062/16.10.2023", "issued_on": "2023-10-16", "school_year": "2023/2024",
    "session": "редовна", "month": "ноември", "final_grade": False, "class_teacher": "Стефка Иванова",
    "schedule": [
        {"subject": "Български език и литература", "exam_form": "писмен", "date": "2023-11-06", "time": "09:00",
         "room": "204", "commission": "Мария Колева (председател), Петър Димитров"},
        {"subject": "Математика", "exam_form": "устен", "date": "2023-11-08", "time": "10:30", "room": "112",
         "commission": "Петър Димитров (председател), Александра-Мария Христова Петкова-Димитрова"},
        {"subject": "Физическо възпитание и спорт", "exam_form": "практически", "date": "2023-11-10",
         "time": "14:00", "room": "спортна зала", "commission": "Николай Тодоров & Стефка Иванова"},
    ],
}

DEFINITIONS: tuple[TemplateDefinition, ...] = (
    TemplateDefinition(
        "self_study_sessions_order", "Заповед за графика на изпитната сесия за самостоятелна форма на обучение",
        DocumentKind.ORDER, 1, ("Чл. 11, ал. 1", "Чл. 121, ал. 6, т. 6.1", "Чл. 121, ал. 6, т. 6.3",
                                "Чл. 121, ал. 7, т. 1"),
        SelfStudySessionsOrderSchema, SELF_STUDY_SESSIONS_ORDER, build_self_study_sessions_order,
    ),
)
