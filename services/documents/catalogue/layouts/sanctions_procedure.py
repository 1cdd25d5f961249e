"""Texts of the procedure's other documents: hearing protocol, early erasure order (O2), notices to
child protection (L3) and to the РУО (L5), advance notice of removal from school (L16).
"""

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
    title,
)
from services.documents.catalogue.sanction_kinds import SANCTION_KINDS


def _kind_choice(field: str = "sanction") -> str:
    """The sanction's exact wording chosen in the template (Чл. 52, ал. 1), so an edited template can reword it."""
    branches = [
        f'{"if" if index == 0 else "elif"} {field} == "{kind.key}" %}}{kind.name} (чл. 52, ал. 1, т. {kind.point}){{%'
        for index, kind in enumerate(SANCTION_KINDS.values())
    ]
    return "{% " + " ".join(branches) + " endif %}"


def _institution_heading(doc: DocumentObject, heading: str, subtitle: str) -> None:
    para(doc, "Изх. № {{ outgoing_number }}/{{ sent_on|date }} г.", align="left")
    para(doc, "ДО {{ recipient }}", bold=True, align="left")
    title(doc, heading, subtitle)


def build_hearing_protocol(heading: str) -> DocumentObject:
    """Protocol of the student's hearing before a sanction (Чл. 57, ал. 3–4)."""
    doc = new_document(heading)
    title(doc, "П Р О Т О К О Л", "от изслушване на ученик в процедура за налагане на санкция")
    para(doc, "Днес, {{ held_on|date }} г., в {{ school.name }}, {{ school.town }}, на основание чл. 57, ал. 3 "
              f"и ал. 4 от {RULEBOOK} се проведе изслушване на {{{{ student.name }}}}, ученик от "
              "{{ student.class_name }} клас, във връзка с процедура за налагане на санкция "
              f"{_kind_choice()}.")
    para(doc, "Нарушение, за което е открита процедурата: {{ reasons }}")
    para(doc, "{% if mode == \"written\" %}Писменото обяснение приеха{% else %}Присъстваха{% endif %}: "
              "класният ръководител {{ class_teacher }} и училищният психолог {{ psychologist }} "
              "(чл. 57, ал. 3){% if parent_attended %}, както и родителят на ученика, който изрази мнение и "
              "участва в процедурата (чл. 57, ал. 4){% else %}; родителят не присъства (чл. 57, ал. 4){% endif %}.")
    para(doc, "{% if mode == \"written\" %}Ученикът не беше изслушан лично; той обясни писмено фактите и "
              "обстоятелствата, свързани с нарушението.{% elif mode == \"both\" %}Ученикът беше изслушан и "
              "обясни писмено фактите и обстоятелствата, свързани с нарушението.{% else %}Ученикът беше "
              "изслушан лично.{% endif %}")
    para(doc, "Обяснения на ученика: {% if explanation %}{{ explanation }}{% else %}"
              f"{SIGNATURE_LINE * 3}{{% endif %}}")
    para(doc, "Протоколът се прилага към преписката по налагането на санкцията, преди заповедта на директора "
              "(чл. 58, ал. 1).")
    signature(doc, "Класен ръководител", "{{ class_teacher }}")
    signature(doc, "Училищен психолог", "{{ psychologist }}")
    para(doc, f"Ученик: {SIGNATURE_LINE} / {{{{ student.name }}}} /", align="left")
    para(doc, f"{{% if parent_attended %}}Родител: {SIGNATURE_LINE}{{% endif %}}", align="left")
    return doc


def build_erasure_order(heading: str) -> DocumentObject:
    """Order erasing a sanction before its term, by the route it was imposed (Чл. 60, ал. 1, ал. 3)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1 и чл. 60, ал. 1 от {RULEBOOK}, по {{{{ erasure_proposal_ref }}}} от "
        "{{ erasure_proposed_on|date }} г., по реда, по който санкцията е наложена,"
    ))
    para(doc, "З А Л И Ч А В А М   П Р Е Д С Р О Ч Н О:", bold=True, align="center")
    para(doc, (
        f"наложената на {{{{ student.name }}}}, ученик от {{{{ student.class_name }}}} клас, санкция "
        f"{_kind_choice()}, наложена със заповед {{% if imposed_by.number %}}№ {{{{ imposed_by.number }}}} г."
        "{% else %}от {{ imposed_by.issued_on|date }} г. (заповедта за налагане не е номерирана).{% endif %}"
    ))
    para(doc, "Мотиви: {{ motives }}")
    para(doc, "Класният ръководител {{ class_teacher }} да отбележи заличаването в ученическата книжка и в "
              "личния картон на ученика (чл. 60, ал. 3).")
    para(doc, "Заповедта да се доведе до знанието на класния ръководител, на ученика и на родителите срещу "
              "подпис. Заповедта може да се обжалва при условията и по реда на Административнопроцесуалния "
              "кодекс.")
    director_signature(doc)
    para(doc, f"Запознат: {SIGNATURE_LINE} / {{{{ class_teacher }}}}, класен ръководител /", align="left")
    return doc


def build_child_protection_notice(heading: str) -> DocumentObject:
    """Notice to child protection of the opening of a procedure (Чл. 57, ал. 1)."""
    doc = new_document(heading)
    _institution_heading(doc, "УВЕДОМЛЕНИЕ", "за откриване на процедура за налагане на санкция")
    para(doc, "Уважаеми господин/госпожо Директор,", indent=True)
    para(doc, (
        f"На основание чл. 57, ал. 1 от {RULEBOOK} Ви уведомявам, че с предложение от "
        "{{ proposed_on|date }} г. е открита процедура за налагане на санкция "
        f"{_kind_choice()} на {{{{ student.name }}}}, ученик от {{{{ student.class_name }}}} клас в "
        "{{ school.name }}, {{ school.town }}."
    ))
    para(doc, "Основания: {{ reasons }}")
    para(doc, "Родителите на ученика се уведомяват едновременно с настоящото. Преди налагането на санкцията "
              "ученикът ще бъде изслушан в "
              "присъствието на класния ръководител и на училищния психолог (чл. 57, ал. 3).")
    director_signature(doc)
    return doc


def build_ruo_transfer_letter(heading: str) -> DocumentObject:
    """The order of transfer to another school sent to the head of РУО (Чл. 58, ал. 3; Чл. 59, ал. 2)."""
    doc = new_document(heading)
    _institution_heading(doc, "ПИСМО", "относно наложена санкция „преместване в друго училище“")
    para(doc, "Уважаеми господин/госпожо Началник,", indent=True)
    para(doc, (
        "На основание чл. 58, ал. 3 от {RULEBOOK} Ви изпращам заповед № {{ order.number }} г. на директора на "
        "{{ school.name }}, с която на {{ student.name }}, ученик от {{ student.class_name }} клас, е наложена "
        "санкция „преместване в друго училище“ по чл. 52, ал. 1, т. 3 за срок до края на учебната "
        "{{ school_year }} година."
    ).replace("{RULEBOOK}", RULEBOOK))
    para(doc, "Мотиви: {{ motives }}")
    para(doc, "Моля да определите със заповед условията и реда, при които ученикът продължава обучението си "
              "в друго училище (чл. 59, ал. 2). Родителите са уведомени с писмо по образец (чл. 58, ал. 3).")
    para(doc, "Приложение: копие от заповедта.", align="left")
    director_signature(doc)
    return doc


def build_removal_notice(heading: str) -> DocumentObject:
    """Advance notice of removal from school to the parent and the psychologist (Чл. 52, ал. 3–4)."""
    doc = new_document(heading)
    letter_heading(doc, "УВЕДОМЛЕНИЕ", "за отстраняване на ученик от училище")
    para(doc, (
        f"На основание чл. 52, ал. 3 от {RULEBOOK} Ви уведомяваме предварително, че на {{{{ removal_on|date }}}} г. "
        "Вашето дете {{ student.name }}, ученик от {{ student.class_name }} клас, ще бъде отстранено от "
        "училище до отпадане на основанието за отстраняването."
    ))
    para(doc, "Основание: {{ reason }}")
    para(doc, "С уведомлението е запознат и училищният психолог {{ psychologist }}. След отстраняването се "
              "предприемат дейности за мотивация и преодоляване на проблемното поведение, обсъдени с Вас и с "
              "училищния психолог (чл. 52, ал. 4).")
    signature(doc, "Училищен психолог", "{{ psychologist }}")
    director_signature(doc)
    return doc
