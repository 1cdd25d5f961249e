"""Excuses and their consequences (извиняване на отсъствия, Чл. 61): the parents' forms and the director's order.

- ``excuse_application_form`` (спец. A1): the parent's motivated application to the class teacher to
  excuse up to 3 school days a year, after notice in advance by phone or e-mail (Чл. 61, ал. 1, т. 3).
- ``director_permission_form`` (спец. A2): the parent's application to the director for prior
  permission, up to 7 school days a year, with the reasons described in detail (Чл. 61, ал. 1, т. 4).
- ``assessment_conditions_order`` (спец. O5): the director's order on the conditions and procedure
  of assessment for a daily-form student with more than 25 % excused absences in a subject, with the
  extended term after 20 consecutive days in hospital, of temporary incapacity or abroad for
  treatment (Чл. 61, ал. 2); the register asks for it when the case arises.

The two forms are printable blanks: every field but the letterhead may be left out, and a blank
prints as a dotted line for the parent to fill in by hand (the parent downloads them from the
parent's pages, ``/documents/forms/<key>``).
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from services.documents.catalogue.examples import SCHOOL, STUDENT
from services.documents.catalogue.layouts.kit import (
    RULEBOOK,
    SIGNATURE_LINE,
    director_signature,
    loop_table,
    new_document,
    order_heading,
    para,
    tag,
    title,
)
from services.documents.catalogue.schemas.common import SCHOOL_YEAR, OrderSchema, SchoolSchema, StudentSchema
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
from services.documents.catalogue.spec import DocumentKind, TemplateDefinition

#: What a blank prints as, for the parent to fill in by hand.
_BLANK = "………………………"
#: The keys of the forms a parent may download blank (the parent's pages link them).
PARENT_FORMS = ("excuse_application_form", "director_permission_form")


def _or_blank(expression: str, filter_: str = "") -> str:
    return f"{{{{ {expression}{filter_} if {expression} else '{_BLANK}' }}}}"


class _ParentFormSchema(BaseSchema):
    school = Nested(SchoolSchema, required=True)
    parent_name = Text(load_default=None, allow_none=True, max_length=300)
    parent_phone = Text(load_default=None, allow_none=True, max_length=50)
    student = Nested(StudentSchema, load_default=None, allow_none=True)
    date_from = Date(load_default=None, allow_none=True)
    date_to = Date(load_default=None, allow_none=True)
    school_days = Integer(load_default=None, allow_none=True, validate=[at_least(1)])
    reasons = Text(load_default=None, allow_none=True, max_length=4000)
    submitted_on = Date(load_default=None, allow_none=True)


class ExcuseApplicationFormSchema(_ParentFormSchema):
    """A1: application to excuse up to 3 school days (заявление до класния ръководител, Чл. 61, ал. 1, т. 3)."""

    class_teacher = Text(load_default=None, allow_none=True, max_length=300)
    #: The notice given in advance (by phone or e-mail) and its day.
    notified_by = Text(load_default=None, allow_none=True, max_length=100)
    notified_on = Date(load_default=None, allow_none=True)


class DirectorPermissionFormSchema(_ParentFormSchema):
    """A2: application for the director's prior permission (заявление до директора, Чл. 61, ал. 1, т. 4)."""


class SubjectShareSchema(BaseSchema):
    subject = Text(required=True, max_length=120)
    excused_hours = Integer(required=True, validate=[at_least(1)])
    planned_hours = Integer(required=True, validate=[at_least(1)])


class AssessmentConditionsSchema(OrderSchema):
    """O5: the order on the conditions and procedure of assessment (Чл. 61, ал. 2)."""

    student = Nested(StudentSchema, required=True)
    school_year = Text(required=True, validate=[SCHOOL_YEAR])
    term = Integer(required=True, validate=[one_of((1, 2))])
    subjects = List(Nested(SubjectShareSchema), required=True)
    #: The term's last day: by it the student is assessed when there is no extended term.
    assess_by = Date(required=True)
    #: The pedagogical council's proposal (protocol number and date), when the office knows it.
    pc_proposal = Text(load_default=None, allow_none=True, max_length=200)
    extended_ground = Text(load_default=None, allow_none=True, max_length=200)
    extended_days = Integer(load_default=None, allow_none=True, validate=[at_least(1)])
    extended_from = Date(load_default=None, allow_none=True)
    extended_to = Date(load_default=None, allow_none=True)
    extended_until = Date(load_default=None, allow_none=True)
    control_by = Text(required=True, max_length=200)


def _letterhead_to(doc: DocumentObject, addressee: str) -> None:
    para(doc, addressee, bold=True, align="right")


def _parent_and_student(doc: DocumentObject) -> None:
    para(doc, (
        f"от {_or_blank('parent_name')}, тел. {_or_blank('parent_phone')}, родител (настойник) на "
        f"{{{{ student.name if student else '{_BLANK}' }}}}, ученик от "
        f"{{{{ student.class_name if student else '{_BLANK}' }}}} клас"
    ), align="left")


def _signature_block(doc: DocumentObject) -> None:
    doc.add_paragraph()
    para(doc, f"Дата: {_or_blank('submitted_on', '|date')} г.    Подпис: {SIGNATURE_LINE}", align="left")


def build_excuse_application(heading: str) -> DocumentObject:
    """A1 (Чл. 61, ал. 1, т. 3)."""
    doc = new_document(heading)
    _letterhead_to(doc, f"ДО КЛАСНИЯ РЪКОВОДИТЕЛ {_or_blank('class_teacher')}")
    title(doc, "З А Я В Л Е Н И Е", "за извиняване на отсъствия до 3 учебни дни в учебната година")
    _parent_and_student(doc)
    para(doc, "Уважаеми/а господин/госпожо класен ръководител,", indent=True)
    para(doc, (
        f"На основание чл. 61, ал. 1, т. 3 от {RULEBOOK} моля да бъдат извинени отсъствията на детето ми "
        f"от {_or_blank('date_from', '|date')} г. до {_or_blank('date_to', '|date')} г. "
        f"({_or_blank('school_days')} учебни дни) по следните причини:"
    ))
    para(doc, _or_blank("reasons"))
    para(doc, (
        f"Уведомих Ви предварително {_or_blank('notified_by')} на {_or_blank('notified_on', '|date')} г. "
        "Известно ми е, че по този ред се извиняват до 3 учебни дни в една учебна година и че заявлението "
        "се подава до 3 учебни дни след завръщането на ученика в училище (чл. 61, ал. 1, т. 3)."
    ))
    _signature_block(doc)
    return doc


def build_director_permission(heading: str) -> DocumentObject:
    """A2 (Чл. 61, ал. 1, т. 4)."""
    doc = new_document(heading)
    _letterhead_to(doc, "ДО ДИРЕКТОРА")
    title(doc, "З А Я В Л Е Н И Е", "за предварително разрешение за отсъствие до 7 учебни дни в учебната година")
    _parent_and_student(doc)
    para(doc, "Уважаеми/а господин/госпожо директор,", indent=True)
    para(doc, (
        f"На основание чл. 61, ал. 1, т. 4 от {RULEBOOK} моля да разрешите предварително отсъствието на "
        f"детето ми от {_or_blank('date_from', '|date')} г. до {_or_blank('date_to', '|date')} г. "
        f"({_or_blank('school_days')} учебни дни)."
    ))
    para(doc, "Подробно описание на причините за отсъствието:", align="left")
    para(doc, _or_blank("reasons"))
    para(doc, (
        "Известно ми е, че заявлението се подава преди отсъствието, че по този ред се разрешават до 7 учебни "
        "дни в една учебна година и че разрешените дни се извиняват от класния ръководител (чл. 61, ал. 1, т. 4)."
    ))
    _signature_block(doc)
    para(doc, f"Резолюция на директора: разрешавам / не разрешавам. Дата: ………… Подпис: {SIGNATURE_LINE}",
         align="left")
    return doc


def build_assessment_conditions(heading: str) -> DocumentObject:
    """O5 (Чл. 61, ал. 2)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1 и чл. 61, ал. 2 от {RULEBOOK}, по предложение на педагогическия съвет "
        f"({_or_blank('pc_proposal')}) и предвид допуснатите от {{{{ student.name }}}}, ученик от "
        "{{ student.class_name }} клас в дневна форма на обучение, отсъствия по уважителни причини в повече от "
        "25 % от часовете по учебните предмети по-долу през {{ term }}. учебен срок на учебната "
        "{{ school_year }} година, които не позволяват оформяне на срочна оценка,"
    ))
    para(doc, "О П Р Е Д Е Л Я М:", bold=True, align="center")
    para(doc, "1. Условия и ред за оценяване на знанията и уменията на ученика за завършване на учебния срок:")
    loop_table(
        doc,
        ("№", "Учебен предмет", "Извинени отсъствия (часа)", "Часове в срока"),
        "row in subjects",
        ("{{ loop.index }}", "{{ row.subject }}", "{{ row.excused_hours }}", "{{ row.planned_hours }}"),
    )
    para(doc, (
        "Учителите по предметите изпитват ученика и оформят срочните оценки в срок до {{ assess_by|date }} г., "
        "по график, съгласуван с ученика и родителя и утвърден от директора."
    ))
    tag(doc, "if extended_ground")
    para(doc, (
        "2. Ученикът има право на удължен срок за изпитване и оформяне на оценки до {{ extended_until|date }} г. "
        "поради доказани обстоятелства – {{ extended_ground }} от {{ extended_from|date }} г. до "
        "{{ extended_to|date }} г. "
        "({{ extended_days }} поредни дни, не по-малко от 20) (чл. 61, ал. 2)."
    ))
    tag(doc, "endif")
    para(doc, "Заповедта да се доведе до знанието на ученика, родителя, класния ръководител и учителите по "
        "предметите за сведение и изпълнение.")
    para(doc, "Контрол по изпълнението на заповедта възлагам на {{ control_by }}.")
    director_signature(doc)
    return doc


_PARENT = {"parent_name": "Христо Петков", "parent_phone": "0888 123 456", "student": STUDENT}

EXCUSE_APPLICATION_EXAMPLE = {
    "school": SCHOOL, **_PARENT, "class_teacher": "Мария Колева", "date_from": "2023-10-02",
    "date_to": "2023-10-03", "school_days": 2, "reasons": "Семейни причини: погребение на баба ѝ в гр. Бяла.",
    "notified_by": "по телефона", "notified_on": "2023-10-02", "submitted_on": "2023-10-05",
}
DIRECTOR_PERMISSION_EXAMPLE = {
    "school": SCHOOL, **_PARENT, "date_from": "2023-10-09", "date_to": "2023-10-12", "school_days": 4,
    "reasons": "Пътуване до гр. Варна за сватбата на сестра ми „Иванова & Петров“: заминаване в неделя "
               "вечер, връщане в четвъртък вечер.",
    "submitted_on": "2023-10-04",
}
ASSESSMENT_CONDITIONS_EXAMPLE = {
    "school": SCHOOL, "number": "1210/06.12.2023", "issued_on": "2023-12-06", "student": STUDENT,
    "school_year": "2023/2024", "term": 1,
    "subjects": [{"subject": "Математика", "excused_hours": 22, "planned_hours": 68},
                 {"subject": "История и цивилизации", "excused_hours": 6, "planned_hours": 17}],
    "assess_by": "2024-02-02", "pc_proposal": "протокол № 5 от 04.12.2023 г.",
    "extended_ground": "престой в болнично заведение", "extended_days": 24, "extended_from": "2023-11-06",
    "extended_to": "2023-11-29", "extended_until": "2024-03-02",
    "control_by": "Мария Колева – заместник-директор по учебната дейност",
}

DEFINITIONS: tuple[TemplateDefinition, ...] = (
    TemplateDefinition(
        "assessment_conditions_order", "Заповед за условията и реда за оценяване при над 25 % извинени отсъствия",
        DocumentKind.ORDER, 1, ("Чл. 11, ал. 1", "Чл. 61, ал. 2", "Чл. 137, ал. 6"),
        AssessmentConditionsSchema, ASSESSMENT_CONDITIONS_EXAMPLE, build_assessment_conditions,
    ),
    TemplateDefinition(
        "excuse_application_form", "Заявление от родител за извиняване на отсъствия до 3 учебни дни",
        DocumentKind.DECLARATION, 1, ("Чл. 61, ал. 1, т. 3",),
        ExcuseApplicationFormSchema, EXCUSE_APPLICATION_EXAMPLE, build_excuse_application,
    ),
    TemplateDefinition(
        "director_permission_form", "Заявление от родител за предварително разрешение на директора за отсъствие "
            "до 7 учебни дни",
        DocumentKind.DECLARATION, 1, ("Чл. 61, ал. 1, т. 4",),
        DirectorPermissionFormSchema, DIRECTOR_PERMISSION_EXAMPLE, build_director_permission,
    ),
)
