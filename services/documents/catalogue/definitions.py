"""What each shipped template is: key, title, kind, articles, schema, example and layout."""

from __future__ import annotations

from functools import partial
from importlib import resources

from services.documents import templates
from services.documents.catalogue import examples
from services.documents.catalogue.families import FAMILIES
from services.documents.catalogue.layouts.absence import build_absence_letter, build_absence_notice, build_benefit_list
from services.documents.catalogue.layouts.misc import build_plan_report, build_student_certificate
from services.documents.catalogue.layouts.orders import (
    build_pe_exemption,
    build_scholarship_resumption,
    build_scholarship_stop,
    build_trip_consent,
    build_trip_order,
)
from services.documents.catalogue.layouts.sanctions import (
    build_procedure_notice,
    build_sanction_letter,
    build_sanction_order,
)
from services.documents.catalogue.sanction_kinds import SANCTION_KINDS, sanction_articles
from services.documents.catalogue.schemas.other import (
    AbsenceLetterSchema,
    AbsenceNoticeSchema,
    BenefitListSchema,
    PeExemptionSchema,
    PlanReportSchema,
    ScholarshipResumptionSchema,
    ScholarshipStopSchema,
    StudentCertificateSchema,
    TripConsentSchema,
    TripOrderSchema,
)
from services.documents.catalogue.schemas.sanctions import (
    HearingNoticeSchema,
    sanction_letter_schema,
    sanction_order_schema,
)
from services.documents.catalogue.spec import DocumentKind, TemplateDefinition, TemplateSpec


def _sanction_definitions() -> list[TemplateDefinition]:
    result = []
    for kind in SANCTION_KINDS.values():
        name = kind.name.strip("„“")
        self_study = ("Чл. 121, ал. 2, т. 3",) if kind.min_age else ()
        result.append(TemplateDefinition(
            f"sanction_order_{kind.key}", f"Заповед за налагане на санкция {kind.name}",
            DocumentKind.ORDER, 1,
            ("Чл. 11, ал. 1", *sanction_articles(kind), "Чл. 52, ал. 5", *self_study),
            sanction_order_schema(kind), examples.sanction_order(kind.key),
            partial(build_sanction_order, kind=kind),
        ))
        result.append(TemplateDefinition(
            f"sanction_letter_{kind.key}", f"Писмо до родителите за наложена санкция „{name}“",
            DocumentKind.LETTER, 1,
            ("Чл. 52, ал. 1", "Чл. 58, ал. 3", "Чл. 58, ал. 4", "Чл. 59, ал. 1", "Чл. 60, ал. 1")
            + (("Чл. 59, ал. 2",) if kind.notify_ruo else ())
            + (("Чл. 59, ал. 3",) if kind.loses_scholarship else ())
            + self_study,
            sanction_letter_schema(kind), examples.sanction_letter(kind.key),
            partial(build_sanction_letter, kind=kind),
        ))
    return result


DEFINITIONS: tuple[TemplateDefinition, ...] = (
    TemplateDefinition(
        "absence_letter", "Уведомително писмо до родител при 3, 8, 20 и 30 отсъствия по неуважителни причини",
        DocumentKind.LETTER, 1,
        ("Чл. 97, т. 8", "Чл. 97, т. 14", "Чл. 61, ал. 1", "Чл. 105, ал. 1, т. 1", "Чл. 52, ал. 1"),
        AbsenceLetterSchema, examples.absence_letter(3), build_absence_letter,
    ),
    TemplateDefinition(
        "absence_notice", "Уведомление за отсъствията на ученик", DocumentKind.LETTER, 1,
        ("Чл. 65, ал. 1, т. 5", "Чл. 61, ал. 1", "Чл. 61, ал. 5", "Чл. 105, ал. 1, т. 1"),
        AbsenceNoticeSchema, examples.ABSENCE_NOTICE, build_absence_notice,
    ),
    TemplateDefinition(
        "sanction_procedure_notice", "Уведомление до родител за откриване на процедура за налагане "
            "на санкция",
        DocumentKind.LETTER, 1, ("Чл. 57, ал. 1–4", "Чл. 97, т. 8", "Чл. 52, ал. 1"),
        HearingNoticeSchema, examples.HEARING_NOTICE, build_procedure_notice,
    ),
    *_sanction_definitions(),
    TemplateDefinition(
        "scholarship_stop_order", "Заповед за спиране на стипендия", DocumentKind.ORDER, 1,
        ("Чл. 11, ал. 1", "Чл. 26, ал. 1, т. 23", "ПМС № 328/21.12.2017"),
        ScholarshipStopSchema, examples.SCHOLARSHIP_STOP, build_scholarship_stop,
    ),
    TemplateDefinition(
        "scholarship_resumption_order", "Заповед за възобновяване на стипендия", DocumentKind.ORDER, 1,
        ("Чл. 11, ал. 1", "Чл. 26, ал. 1, т. 23", "ПМС № 328/21.12.2017"),
        ScholarshipResumptionSchema, examples.SCHOLARSHIP_RESUMPTION, build_scholarship_resumption,
    ),
    TemplateDefinition(
        "pe_exemption_order", "Заповед за освобождаване от часовете по физическо възпитание и спорт",
        DocumentKind.ORDER, 1, ("Чл. 11, ал. 1", "Чл. 27, ал. 1–7"),
        PeExemptionSchema, examples.PE_EXEMPTION, build_pe_exemption,
    ),
    TemplateDefinition(
        "trip_order", "Заповед за участие на ученици в мероприятие или пътуване", DocumentKind.ORDER, 1,
        ("Чл. 11, ал. 1", "Чл. 154, ал. 1–5", "Чл. 155", "Чл. 156, ал. 1–3"),
        TripOrderSchema, examples.TRIP_ORDER, build_trip_order,
    ),
    TemplateDefinition(
        "trip_consent_declaration", "Декларация-съгласие на родител за участие в мероприятие или пътуване",
        DocumentKind.DECLARATION, 1, ("Чл. 154, ал. 3–5",),
        TripConsentSchema, examples.TRIP_CONSENT, build_trip_consent,
    ),
    TemplateDefinition(
        "student_certificate", "Удостоверение, че лицето е ученик в училището", DocumentKind.CERTIFICATE, 1,
        ("Наредба за информацията и документите",),
        StudentCertificateSchema, examples.STUDENT_CERTIFICATE, build_student_certificate,
    ),
    TemplateDefinition(
        "child_benefit_list", "Поименна справка до ЗАС за спиране на детски добавки", DocumentKind.LIST, 2,
        ("Чл. 97, т. 15", "Чл. 61, ал. 6"),
        BenefitListSchema, examples.BENEFIT_LIST, build_benefit_list,
    ),
    TemplateDefinition(
        "plan_execution_report", "Отчет за изпълнението на годишния план за дейността", DocumentKind.LIST, 1,
        ("Чл. 20, ал. 1, т. 5",),
        PlanReportSchema, examples.PLAN_REPORT, build_plan_report,
    ),
    *(definition for family in FAMILIES for definition in family.DEFINITIONS),
)


def shipped_templates() -> list[TemplateSpec]:
    """Every template shipped with the service, with its .docx read from ``services/documents/templates``."""
    package = resources.files(templates)
    return [
        TemplateSpec(
            key=definition.key,
            title=definition.title,
            kind=definition.kind,
            version=definition.version,
            articles=definition.articles,
            schema_cls=definition.schema_cls,
            example=definition.example,
            docx_bytes=package.joinpath(f"{definition.key}.docx").read_bytes(),
        )
        for definition in DEFINITIONS
    ]
