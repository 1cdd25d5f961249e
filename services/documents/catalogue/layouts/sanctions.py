"""Texts of the sanction procedure: opening notice, one order and one letter per sanction kind."""

from __future__ import annotations

from docx.document import Document as DocumentObject

from services.documents.catalogue.layouts.kit import (
    RULEBOOK,
    SIGNATURE_LINE,
    director_signature,
    letter_heading,
    new_document,
    order_heading,
    para,
    signature,
)
from services.documents.catalogue.sanction_kinds import SANCTION_KINDS, SanctionKind


def _kind_choice() -> str:
    # The notice names the proposed sanction; the choice is made in the template so an edited
    # template can change the wording without code.
    branches = [
        f'{"if" if index == 0 else "elif"} sanction == "{kind.key}" %}}{kind.name}{{%'
        for index, kind in enumerate(SANCTION_KINDS.values())
    ]
    return "{% " + " ".join(branches) + " endif %}"


def build_procedure_notice(heading: str) -> DocumentObject:
    """Notice to the parent of the opening of a sanction procedure (Чл. 57, ал. 1; Чл. 97, т. 8)."""
    doc = new_document(heading)
    letter_heading(doc, "УВЕДОМЛЕНИЕ", "за откриване на процедура за налагане на санкция")
    para(doc, (
        f"На основание чл. 57, ал. 1 и чл. 97, т. 8 от {RULEBOOK} Ви уведомявам, че се открива процедура "
        f"за налагане на санкция {_kind_choice()} по чл. 52, ал. 1 на Вашето дете {{{{ student.name }}}}, "
        "ученик от {{ student.class_name }} клас."
    ))
    para(doc, "Основания: {{ reasons }}")
    para(doc, (
        "Преди налагането на санкцията ученикът има право да бъде изслушан и/или писмено да обясни фактите "
        "и обстоятелствата, свързани с нарушението (чл. 57, ал. 3). Изслушването ще се проведе на "
        "{{ hearing_on|date }} г. от {{ hearing_time }} ч. в {{ hearing_place }} в присъствието на класния "
        "ръководител и на училищния психолог."
    ))
    para(doc, (
        "Имате право да присъствате на изслушването, да изразите мнение и да участвате в процедурата "
        "(чл. 57, ал. 4). Малолетният ученик се представлява от родителя си или от оправомощено от родителя "
        "лице, а непълнолетният ученик извършва всички действия лично, но със съгласието на родителите си "
        "(чл. 57, ал. 2)."
    ))
    director_signature(doc)
    return doc


def build_sanction_order(heading: str, kind: SanctionKind) -> DocumentObject:
    """Order imposing one sanction kind (Чл. 56, ал. 1; Чл. 58; Чл. 59)."""
    doc = new_document(heading)
    order_heading(doc)
    if kind.by_class_teacher:
        proposal = "мотивирано писмено предложение на класния ръководител {{ proposal_ref }}"
    else:
        proposal = "решение на Педагогическия съвет (протокол {{ proposal_ref }})"
    para(doc, (
        f"На основание чл. 11, ал. 1, чл. 52, ал. 1, т. {kind.point}, чл. 56, ал. 1 и чл. 58, ал. 1 и ал. 2 "
        f"от {RULEBOOK}, по {proposal} от {{{{ proposed_on|date }}}} г. и след изслушване на ученика на "
        "{{ hearing_on|date }} г. в присъствието на класния ръководител {{ class_teacher }} и на училищния "
        "психолог {{ psychologist }}{% if parent_attended %} и на родителя{% endif %} (чл. 57, ал. 3–4),"
    ))
    para(doc, "Н А Л А Г А М:", bold=True, align="center")
    para(doc, (
        f"на {{{{ student.name }}}}, ученик от {{{{ student.class_name }}}} клас, санкция {kind.name} "
        "за срок до края на учебната {{ school_year }} година (чл. 55, ал. 1–2)."
    ))
    effective = "Санкцията влиза в сила от {{ effective_from|date }} г."
    if kind.may_defer:
        effective += (
            " Когато е наложена до 30 учебни дни преди края на втория учебен срок, тя влиза в сила от "
            "началото на следващата учебна година (чл. 55, ал. 3)."
        )
    para(doc, effective)
    para(doc, "Мотиви: {{ motives }}")
    if kind.loses_scholarship:
        para(doc, "За срока на санкцията ученикът се лишава от правото да получава стипендия за "
            "отличен успех (чл. 59, ал. 3).")
    if kind.notify_ruo:
        para(doc, (
            "Ученикът продължава обучението си в друго училище при условия и по ред, определени със заповед "
            "на началника на {{ ruo }} (чл. 59, ал. 2). Копие от заповедта да се изпрати на началника на "
            "{{ ruo }} (чл. 58, ал. 3)."
        ))
    if kind.min_age:
        para(doc, "Ученикът преминава в самостоятелна форма на обучение (чл. 121, ал. 2, т. 3).")
    para(doc, (
        "Класният ръководител да отрази санкцията в ученическата книжка, в личния картон и в дневника "
        "на класа (чл. 59, ал. 1). На ученика да се осигурят дейности за превенция и преодоляване на "
        "проблемното поведение (чл. 52, ал. 5)."
    ))
    para(doc, "Родителите да се уведомят с писмо по образец в тридневен срок от издаването на "
        "заповедта (чл. 58, ал. 3).")
    para(doc, "Заповедта може да се обжалва при условията и по реда на Административнопроцесуалния "
        "кодекс (чл. 58, ал. 4).")
    para(doc, "Заповедта да се доведе до знанието на класния ръководител и на родителите срещу подпис.")
    director_signature(doc)
    para(doc, f"Запознат: {SIGNATURE_LINE} / {{{{ class_teacher }}}}, класен ръководител /", align="left")
    return doc


def build_sanction_letter(heading: str, kind: SanctionKind) -> DocumentObject:
    """Letter to the parents on the prescribed template after the order (Чл. 58, ал. 3)."""
    doc = new_document(heading)
    letter_heading(doc, "УВЕДОМИТЕЛНО ПИСМО", "за наложена санкция")
    para(doc, (
        "Уведомяваме Ви, че със заповед № {{ order.number }} г. на директора на {{ school.name }} на Вашето "
        f"дете {{{{ student.name }}}}, ученик от {{{{ student.class_name }}}} клас, е наложена "
            f"санкция {kind.name} "
        f"по чл. 52, ал. 1, т. {kind.point} от {RULEBOOK} за срок до края на учебната "
        "{{ school_year }} година."
    ))
    para(doc, "Санкцията влиза в сила от {{ effective_from|date }} г.")
    para(doc, "Мотиви: {{ motives }}")
    if kind.loses_scholarship:
        para(doc, "За срока на санкцията ученикът се лишава от правото да получава стипендия за "
            "отличен успех (чл. 59, ал. 3).")
    if kind.notify_ruo:
        para(doc, (
            "Заповедта е изпратена и на началника на {{ ruo }}, който със своя заповед определя условията и "
            "реда, при които ученикът продължава обучението си в друго училище (чл. 58, ал. 3; чл. "
                "59, ал. 2)."
        ))
    if kind.min_age:
        para(doc, "Ученикът преминава в самостоятелна форма на обучение (чл. 121, ал. 2, т. 3).")
    para(doc, (
        "Санкцията се отразява в ученическата книжка, в личния картон и в дневника на класа (чл. 59, ал. 1). "
        "Тя може да бъде заличена предсрочно по реда, по който е наложена (чл. 60, ал. 1)."
    ))
    para(doc, "Заповедта може да се обжалва при условията и по реда на Административнопроцесуалния "
        "кодекс (чл. 58, ал. 4).")
    signature(doc, "Класен ръководител", "{{ class_teacher }}")
    director_signature(doc)
    return doc
