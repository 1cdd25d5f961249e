"""Papers about one student (документи за ученик), §5.1 O16, §5.2 L10, §5.4 D1 and D3, §5.5 C8.

The support team order (Чл. 44; Чл. 46, ал. 2), the parents' notice after the PE exemption order
(Чл. 27, ал. 5), the informed consent on a transfer (Чл. 26, ал. 2, т. 7), the personal-data
consent on enrolment (Чл. 152–153) and the transfer certificate the director signs (Чл. 10, ал. 7, т. 13).
"""

from __future__ import annotations

from services.documents.catalogue.examples import PARENT, PE_EXEMPTION, SCHOOL, STUDENT
from services.documents.catalogue.layouts.student_papers import (
    build_pe_exemption_letter,
    build_personal_data_consent,
    build_support_team_order,
    build_transfer_certificate,
    build_transfer_consent,
)
from services.documents.catalogue.schemas.student_papers import (
    PeExemptionLetterSchema,
    PersonalDataConsentSchema,
    SupportTeamOrderSchema,
    TransferCertificateSchema,
    TransferConsentSchema,
)
from services.documents.catalogue.spec import DocumentKind, TemplateDefinition

SUPPORT_TEAM = {
    "school": SCHOOL, "number": "1015/18.09.2023", "issued_on": "2023-09-18", "school_year": "2023/2024",
    "student": STUDENT, "leader": "Весела Николова",
    "members": [{"name": "Даниела Петрова", "role": "ресурсен учител"},
                {"name": "Стефка Иванова", "role": "класен ръководител & учител по БЕЛ"}],
    "parent_name": PARENT["name"],
}
_EXEMPT = PE_EXEMPTION["students"][0]
PE_EXEMPTION_LETTER = {
    "school": SCHOOL, "outgoing_number": "1250", "sent_on": "2023-09-18", "parent": PARENT, "student": STUDENT,
    "order": {"number": PE_EXEMPTION["number"], "issued_on": PE_EXEMPTION["issued_on"]},
    "school_year": "2023/2024", "medical_document": _EXEMPT["medical_document"],
    "exempt_from": _EXEMPT["exempt_from"], "exempt_to": _EXEMPT["exempt_to"],
    "activity": PE_EXEMPTION["activity"], "class_teacher": "Стефка Иванова",
}
TRANSFER_CONSENT = {
    "school": SCHOOL, "parent_name": PARENT["name"], "student": STUDENT,
    "from_school": "СУ „Христо Ботев“ – гр. Бяла",
    "differences": "в 9. клас по профилиращия предмет „Техническо чертане & моделиране“ се изучават 72 часа, "
                   "които в училищния учебен план на приемащото училище не се предвиждат.",
    "exams": ["Техническо чертане – 9. клас", "Корабни конструкции – 9. клас"],
}
PERSONAL_DATA_CONSENT = {
    "school": SCHOOL, "parent_name": PARENT["name"], "student": STUDENT, "school_year": "2023/2024",
    "enrolled_on": "2023-09-15",
}
TRANSFER_CERTIFICATE = {
    "school": SCHOOL, "number": "41", "issued_on": "2024-01-22",
    "student": {**STUDENT, "egn": "0743020000", "birth_date": "2007-03-02"}, "school_year": "2023/2024",
    "education_form": "дневна", "profile": "професия „Техник на кораби“, специалност „Корабостроене“",
    "to_school": "ПГ по транспорт „Г. С. Раковски“ – гр. Варна",
    "grades": [{"subject": "Български език и литература", "grade": "Много добър (5)"},
               {"subject": "Математика", "grade": "Добър (4)"}],
    "excused": 14, "unexcused": 2.5,
}

DEFINITIONS: tuple[TemplateDefinition, ...] = (
    TemplateDefinition(
        "support_team_order", "Заповед за определяне на екип за подкрепа за личностно развитие",
        DocumentKind.ORDER, 1, ("Чл. 11, ал. 1", "Чл. 44, ал. 1–4", "Чл. 46, ал. 2"),
        SupportTeamOrderSchema, SUPPORT_TEAM, build_support_team_order,
    ),
    TemplateDefinition(
        "pe_exemption_letter", "Уведомление до родител за освобождаване от физическо възпитание и спорт",
        DocumentKind.LETTER, 1, ("Чл. 27, ал. 4", "Чл. 27, ал. 5"),
        PeExemptionLetterSchema, PE_EXEMPTION_LETTER, build_pe_exemption_letter,
    ),
    TemplateDefinition(
        "transfer_consent_declaration", "Декларация за информирано съгласие при преместване",
        DocumentKind.DECLARATION, 1, ("Чл. 26, ал. 2, т. 7",),
        TransferConsentSchema, TRANSFER_CONSENT, build_transfer_consent,
    ),
    TemplateDefinition(
        "personal_data_consent_declaration", "Декларация за съгласие за обработка на лични данни",
        DocumentKind.DECLARATION, 1, ("Чл. 152", "Чл. 153"),
        PersonalDataConsentSchema, PERSONAL_DATA_CONSENT, build_personal_data_consent,
    ),
    TemplateDefinition(
        "transfer_certificate", "Удостоверение за преместване", DocumentKind.CERTIFICATE, 1,
        ("Чл. 10, ал. 7, т. 13", "Чл. 26, ал. 2"),
        TransferCertificateSchema, TRANSFER_CERTIFICATE, build_transfer_certificate,
    ),
)
