"""The dropout family (отпадане и отписване): the early warning of Чл. 97, т. 17 and the notices of Чл. 25, ал. 5.

- ``dropout_report``: the class teacher's report to the director one month before the term ends: the
  students at risk, the reasons, the activities so far, and each letter's number in the class register.
- ``dropout_letter``: the letter to the parents of each of them, registered in the class register.
- ``deregistration_notice``: one notice **per addressee** (the municipality or district administration,
  the РУО, the child-protection department), each naming the other two: each institution gets its own
  outgoing number and its own envelope or e-mail, which a single letter with three addressees would
  not give the office, and the child-protection department receives nothing addressed to the others.

Drawn up by documents on the register's events ``register.dropout_report_due`` and
``register.student_deregistered`` (``services/documents/handlers.py``).
"""

from __future__ import annotations

from typing import Any

from services.documents.catalogue.examples import PARENT, SCHOOL, STUDENT
from services.documents.catalogue.layouts.dropout import (
    build_deregistration_notice,
    build_dropout_letter,
    build_dropout_report,
)
from services.documents.catalogue.schemas.dropout import (
    ADDRESSEES,
    ADDRESSEES_IN_TEXT,
    DeregistrationNoticeSchema,
    DropoutLetterSchema,
    DropoutReportSchema,
)
from services.documents.catalogue.spec import DocumentKind, TemplateDefinition

_ACTIVITIES = [
    "Уведомително писмо до родителите при 3 отсъствия – 06.10.2023 г. (Чл. 97, т. 8)",
    "Програма за индивидуално психологическо въздействие при 8 отсъствия – 20.10.2023 г. (Чл. 97, т. 8)",
    "Програма за превенция на ранното напускане при 20 отсъствия – 15.11.2023 г. (Чл. 97, т. 8)",
]
_REASONS = "24 отсъствия по неуважителни причини от началото на учебната година (към 02.01.2024 г.)"

DROPOUT_REPORT: dict[str, Any] = {
    "school": SCHOOL, "class_name": "10а", "school_year": "2023/2024", "term": 1, "term_end": "2024-02-02",
    "report_on": "2024-01-02", "class_teacher": "Стефка Иванова",
    "students": [
        {**STUDENT, "unexcused": 24, "reasons": _REASONS, "activities": _ACTIVITIES,
         "register_entry": "10а-1/02.01.2024"},
        {"name": "Иван Георгиев Стоянов", "class_name": "10а", "unexcused": 21,
         "reasons": "21 отсъствия по неуважителни причини от началото на учебната година (към 02.01.2024 г.)",
         "activities": [], "register_entry": "10а-2/02.01.2024"},
    ],
}

DROPOUT_LETTER: dict[str, Any] = {
    "school": SCHOOL, "outgoing_number": "1310", "sent_on": "2024-01-02", "parent": PARENT, "student": STUDENT,
    "reasons": _REASONS, "activities": _ACTIVITIES, "term_end": "2024-02-02",
    "register_entry": "10а-1/02.01.2024", "class_teacher": "Стефка Иванова",
}

DEREGISTRATION_NOTICE: dict[str, Any] = {
    "school": SCHOOL, "outgoing_number": "1402", "sent_on": "2024-01-22", "addressee": ADDRESSEES["ruo"],
    "other_addressees": f"{ADDRESSEES_IN_TEXT['municipality']} и {ADDRESSEES_IN_TEXT['child_protection']}",
    "student": {"name": "Иван Георгиев Стоянов", "class_name": "9б"}, "age": 15, "deregistered_on": "2024-01-22",
    "ground_article": "Чл. 25, ал. 4, т. 2",
    "ground_text": "непосещаване на училище по неуважителни причини за период, по-дълъг от два месеца",
    "nonattendance_since": "2023-11-13",
}

DEFINITIONS: tuple[TemplateDefinition, ...] = (
    TemplateDefinition(
        "dropout_report", "Доклад до директора за учениците, застрашени от отпадане", DocumentKind.LIST, 1,
        ("Чл. 97, т. 17", "Чл. 97, т. 8"), DropoutReportSchema, DROPOUT_REPORT, build_dropout_report,
    ),
    TemplateDefinition(
        "dropout_letter", "Уведомително писмо до родителите за риск от отпадане", DocumentKind.LETTER, 1,
        ("Чл. 97, т. 17", "Чл. 105, ал. 1, т. 1", "Чл. 25, ал. 4, т. 2"), DropoutLetterSchema, DROPOUT_LETTER,
        build_dropout_letter,
    ),
    TemplateDefinition(
        "deregistration_notice", "Уведомление за отписан ученик в задължителна училищна възраст",
        DocumentKind.LETTER, 1, ("Чл. 25, ал. 5", "Чл. 25, ал. 4, т. 2", "Чл. 25, ал. 4, т. 3"),
        DeregistrationNoticeSchema, DEREGISTRATION_NOTICE, build_deregistration_notice,
    ),
)
