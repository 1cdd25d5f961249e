"""The child-benefit family (детски надбавки, Чл. 97, т. 15; Чл. 61, ал. 6): the parents' prior notice (L7).

The class teacher reports to ЗАС, for Дирекция „Социално подпомагане“, the students over the school's
threshold of unexcused absences in the previous month (the named list, L8: ``child_benefit_list``),
and must **first** tell their parents in writing (Чл. 97, т. 15; spec §2.2, §5.2 L7). This letter is
that notice: drawn up by documents when the register's ``child_benefit_list`` rule fires for the
month, numbered as an outgoing letter, sent by notifications (e-mail, the parents' inbox, or on paper),
and cited by its number and date on the list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from docx.document import Document as DocumentObject
from marshmallow import ValidationError, validates_schema

from services.documents.catalogue.examples import PARENT, SCHOOL, STUDENT
from services.documents.catalogue.layouts.kit import SIGNATURE_LINE, letter_heading, new_document, para, signature
from services.documents.catalogue.schemas.common import LetterSchema
from services.documents.catalogue.schemas.fields import Date, Integer, Text, at_least
from services.documents.catalogue.spec import DocumentKind, TemplateDefinition

#: The template's key: documents draws it up on the rule's firing, register records its number.
NOTICE = "child_benefit_notice"


class BenefitNoticeSchema(LetterSchema):
    """Prior written notice to the parents before the child-benefit list (L7, Чл. 97, т. 15)."""

    #: The month of the absences (its first day).
    month = Date(required=True)
    #: Whole unexcused absences in the month, two latenesses making one (Чл. 61, ал. 5).
    count = Integer(required=True, validate=[at_least(1)])
    #: The school's threshold in words, „повече от 5“ (Чл. 97, т. 15) or „5 и повече“ (spec §10.B-1).
    criterion = Text(required=True, max_length=60)
    #: The day by which the list goes to ЗАС: the 5th of the following month (Чл. 97, т. 15).
    list_due = Date(required=True)
    class_teacher = Text(required=True, max_length=200)

    @validates_schema
    def _before_the_list(self, data: dict[str, Any], **_: Any) -> None:
        month, due = data.get("month"), data.get("list_due")
        if month and due and due <= month:
            raise ValidationError("Справката до ЗАС се подава след месеца на отсъствията.", "list_due")


def build_benefit_notice(heading: str) -> DocumentObject:
    """The letter: the month's count, the school's threshold, the list to ЗАС and what it means."""
    doc = new_document(heading)
    letter_heading(doc, "УВЕДОМЛЕНИЕ", "относно включване в поименната справка до ЗАС")
    para(doc, (
        "На основание чл. 97, т. 15 от Правилника за дейността на училището Ви уведомявам, че Вашето "
        "дете {{ student.name }}, ученик от {{ student.class_name }} клас, е допуснало {{ count }} "
        "отсъствия по неуважителни причини през месец {{ month|month }} г., т.е. {{ criterion }} отсъствия."
    ))
    para(doc, (
        "Поради това ученикът ще бъде включен в поименната справка, която класният ръководител подава "
        "до {{ list_due|date }} г. в ЗАС за Дирекция „Социално подпомагане“. При {{ criterion }} "
        "отсъствия по неуважителни причини за месеца детските надбавки и месечните социални помощи на "
        "семейството се спират (чл. 61, ал. 6)."
    ))
    para(doc, (
        "Отсъствията по уважителни причини се извиняват от класния ръководител въз основа на документите "
        "и в сроковете по чл. 61, ал. 1. Моля да осигурите редовното присъствие на детето си в учебните "
        "часове (чл. 105, ал. 1, т. 1). Копие от уведомлението се съхранява от класния ръководител."
    ))
    signature(doc, "Класен ръководител", "{{ class_teacher }}")
    para(doc, f"Получих: {SIGNATURE_LINE} (подпис на родителя)    Дата: ....................", align="left")
    return doc


BENEFIT_NOTICE: dict[str, Any] = {
    "school": SCHOOL, "outgoing_number": "1250", "sent_on": "2023-10-20", "parent": PARENT, "student": STUDENT,
    "month": "2023-10-01", "count": 7, "criterion": "повече от 5", "list_due": "2023-11-05",
    "class_teacher": "Елена Стоянова Маринова",
}


#: The day of the next month the list is due by (Чл. 97, т. 15), where the rule pack names none.
LIST_DUE_DAY = 5


def list_due(month_first: dt.date, day: int = LIST_DUE_DAY) -> dt.date:
    """The ``day`` of the month after ``month_first``'s: the list's deadline (Чл. 97, т. 15)."""
    return (month_first.replace(day=1) + dt.timedelta(days=32)).replace(day=day)


DEFINITIONS: tuple[TemplateDefinition, ...] = (
    TemplateDefinition(
        NOTICE, "Предварително писмено уведомление до родителите преди справката до ЗАС", DocumentKind.LETTER, 1,
        ("Чл. 97, т. 15", "Чл. 61, ал. 6", "Чл. 61, ал. 1", "Чл. 105, ал. 1, т. 1"),
        BenefitNoticeSchema, BENEFIT_NOTICE, build_benefit_notice,
    ),
)
