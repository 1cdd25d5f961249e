"""Texts of the absence documents: ladder letter, generic notice, child-benefit list."""

from __future__ import annotations

from docx.document import Document as DocumentObject

from services.documents.catalogue.layouts.kit import (
    RULEBOOK,
    SIGNATURE_LINE,
    fixed_table,
    letter_heading,
    loop_table,
    new_document,
    para,
    signature,
    tag,
    title,
)


def build_absence_letter(heading: str) -> DocumentObject:
    """Letter at 3, 8, 20 or 30 unexcused absences (Чл. 97, т. 8); each rung has its own text."""
    doc = new_document(heading)
    letter_heading(doc, "УВЕДОМИТЕЛНО ПИСМО", "относно отсъствия по неуважителни причини")
    para(doc, (
        f"На основание чл. 97, т. 8 от {RULEBOOK} Ви уведомявам, че Вашето дете {{{{ student.name }}}}, "
        "ученик от {{ student.class_name }} клас, е допуснало {{ count }} отсъствия по неуважителни причини "
        "за периода от {{ period_from|date }} г. до {{ period_to|date }} г. С това е достигнат прагът от "
        "{{ rung }} отсъствия по неуважителни причини, при който класният ръководител уведомява писмено "
        "родителя или настойника."
    ))
    tag(doc, "if rung == 3")
    para(doc, (
        "Моля да осигурите редовното присъствие на детето си в учебните часове и своевременно да "
        "уведомявате класния ръководител за всяко отсъствие (чл. 105, ал. 1, т. 1). При 5 и повече "
        "отсъствия по неуважителни причини и непристойно поведение на ученика може да бъде наложена "
        "санкция „забележка“ (чл. 52, ал. 1, т. 1)."
    ))
    tag(doc, "elif rung == 8")
    para(doc, (
        "Училищният психолог {{ psychologist }} изготвя програма за индивидуално психологическо "
        "въздействие за Вашето дете (чл. 97, т. 8). Моля да се свържете с класния ръководител и с "
        "училищния психолог, за да обсъдим заедно причините за отсъствията и мерките за преодоляването им."
    ))
    tag(doc, "elif rung == 20")
    para(doc, (
        "Вашето дете е застрашено от отпадане от училище. Училищният психолог {{ psychologist }} изготвя "
        "програма за допълнителна работа с него по време на учебните занятия и ваканциите (чл. 97, т. 8). "
        "При повече от 15 отсъствия по неуважителни причини и груби нарушения на правилника може да бъде "
        "наложена санкция „преместване в друго училище“ или „преместване от дневна форма в самостоятелна "
        "форма на обучение“ (чл. 52, ал. 1, т. 3 и т. 5)."
    ))
    tag(doc, "else")
    para(doc, (
        "Каним Ви на среща с класния ръководител и с представители на специализираните институции "
        "({{ meeting.institutions }}), на която ще бъдат набелязани нови мерки в прилаганите вече програми "
        "(чл. 97, т. 8). Срещата ще се проведе на {{ meeting.date|date }} г. от {{ meeting.time }} ч. "
        "в {{ meeting.place }}. Моля да присъствате."
    ))
    tag(doc, "endif")
    para(doc, (
        "Отсъствията по уважителни причини се извиняват от класния ръководител въз основа на документите "
        "и в сроковете по чл. 61, ал. 1. Копие от това писмо се съхранява от класния ръководител "
        "(чл. 97, т. 14)."
    ))
    signature(doc, "Класен ръководител", "{{ class_teacher }}")
    para(doc, f"Получих: {SIGNATURE_LINE} (подпис на родителя)    Дата: ....................", align="left")
    return doc


def build_absence_notice(heading: str) -> DocumentObject:
    """One-page notice of a student's absences for a period (Чл. 65, ал. 1, т. 5)."""
    doc = new_document(heading)
    letter_heading(doc, "УВЕДОМЛЕНИЕ", "за отсъствията на ученик")
    para(doc, (
        "Уведомявам Ви, че за периода от {{ period_from|date }} г. до {{ period_to|date }} г. Вашето дете "
        "{{ student.name }}, ученик от {{ student.class_name }} клас, има:"
    ))
    fixed_table(doc, [
        ("Вид", "Брой"),
        ("отсъствия по уважителни причини", "{{ excused }}"),
        ("отсъствия по неуважителни причини", "{{ unexcused }}"),
        ("закъснения", "{{ late }}"),
    ])
    para(doc, (
        "От началото на учебната година отсъствията по неуважителни причини са общо {{ unexcused_year }}. "
        "Закъснение до 20 минути за 2 учебни часа се счита за едно отсъствие по неуважителни причини "
        "(чл. 61, ал. 5)."
    ))
    para(doc, (
        "Отсъствията се извиняват от класния ръководител въз основа на документите и в сроковете по "
        "чл. 61, ал. 1. Родителят е длъжен да осигурява редовното присъствие на ученика и своевременно да "
        "уведомява класния ръководител за отсъствията (чл. 105, ал. 1, т. 1)."
    ))
    signature(doc, "Класен ръководител", "{{ class_teacher }}")
    return doc


def build_benefit_list(heading: str) -> DocumentObject:
    """Named list to ЗАС for stopping child benefits (Чл. 97, т. 15; Чл. 61, ал. 6)."""
    doc = new_document(heading)
    para(doc, "ДО ЗАС", bold=True, align="right")
    para(doc, "(за Дирекция „Социално подпомагане“)", align="right")
    title(doc, "ПОИМЕННА СПРАВКА", (
        "за учениците от {{ class_name }} клас, допуснали {{ criterion }} отсъствия по неуважителни причини "
        "през месец {{ month|month }} г."
    ))
    para(doc, f"(чл. 97, т. 15 и чл. 61, ал. 6 от {RULEBOOK})", align="center")
    tag(doc, "if students")
    loop_table(
        doc,
        ("№", "Ученик", "Отсъствия по неуважителни причини", "Писмено уведомяване на родителите"),
        "row in students",
        ("{{ loop.index }}", "{{ row.name }}", "{{ row.unexcused|hours }}",
         # The ladder letter by its register number, printed once (Изх. № 318/02.10.2023 г.); when
         # no numbered letter of ours exists (benefit_lists.NO_LETTER_NUMBER), the day they were told.
         "{% if row.notice_number == '—' %}на {{ row.notified_on|date }} г.{% else %}Изх. № "
         "{{ row.notice_number }}/{{ row.notified_on|date }} г.{% endif %}"),
    )
    para(doc, (
        "Родителите на посочените ученици са уведомени писмено преди подаването на справката. "
        "При {{ criterion }} отсъствия без уважителни причини се спират детските надбавки и месечните "
        "социални помощи на семействата (чл. 61, ал. 6)."
    ))
    tag(doc, "else")
    para(doc, "През месеца няма ученици от класа с {{ criterion }} отсъствия по неуважителни причини.")
    tag(doc, "endif")
    para(doc, "Дата: {{ submitted_on|date }} г.", align="left")
    signature(doc, "Класен ръководител", "{{ class_teacher }}")
    para(doc, "Приел в ЗАС: ........................................", align="left")
    return doc
