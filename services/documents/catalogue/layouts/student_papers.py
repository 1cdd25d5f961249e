"""Texts of the papers about one student: support team order, PE notice, consents, transfer certificate."""

from __future__ import annotations

from docx.document import Document as DocumentObject

from services.documents.catalogue.layouts.kit import (
    RULEBOOK,
    SIGNATURE_LINE,
    director_signature,
    letter_heading,
    loop_table,
    new_document,
    order_heading,
    para,
    signature,
    tag,
    title,
)


def build_support_team_order(heading: str) -> DocumentObject:
    """A student's personal development support team, led by the psychologist (Чл. 44, ал. 1–4; Чл. 46, ал. 2)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1, чл. 44, ал. 1 – 4 и чл. 46, ал. 2 от {RULEBOOK} и Наредбата за "
        "приобщаващото образование,"
    ))
    para(doc, "О П Р Е Д Е Л Я М:", bold=True, align="center")
    para(doc, (
        "1. Екип за подкрепа за личностно развитие на {{ student.name }}, ученик от {{ student.class_name }} "
        "клас, за учебната {{ school_year }} година, в състав:"
    ))
    para(doc, "Ръководител на екипа: {{ leader }} – училищен психолог (чл. 44, ал. 2 и ал. 3).", align="left")
    tag(doc, "if members")
    para(doc, "Членове:", align="left")
    loop_table(doc, ("№", "Име", "Длъжност"), "row in members",
               ("{{ loop.index }}", "{{ row.name }}", "{{ row.role }}"))
    tag(doc, "endif")
    para(doc, "2. В работата на екипа участва родителят {{ parent_name }} (чл. 44, ал. 4).")
    para(doc, (
        "3. Екипът извършва оценка на индивидуалните потребности на ученика (чл. 46, ал. 2) и провежда не по-малко "
        "от три заседания по предварително изготвен график – в началото на учебната година и в края на първия и "
        "на втория учебен срок; родителят се запознава с графика (чл. 44, ал. 5)."
    ))
    para(doc, "Заповедта да се доведе до знанието на членовете на екипа и на родителя срещу подпис.")
    director_signature(doc)
    para(doc, "Запознати:", bold=True, align="left")
    para(doc, f"{{{{ leader }}}}, ръководител на екипа: {SIGNATURE_LINE}", align="left")
    tag(doc, "for row in members")
    para(doc, f"{{{{ row.name }}}}, {{{{ row.role }}}}: {SIGNATURE_LINE}", align="left")
    tag(doc, "endfor")
    para(doc, f"{{{{ parent_name }}}}, родител: {SIGNATURE_LINE}", align="left")
    return doc


def build_pe_exemption_letter(heading: str) -> DocumentObject:
    """Notice to the parents after the PE exemption order (Чл. 27, ал. 5)."""
    doc = new_document(heading)
    letter_heading(doc, "УВЕДОМЛЕНИЕ", "за освобождаване от учебните часове по физическо възпитание и спорт")
    para(doc, (
        "Уведомяваме Ви, че със заповед на директора № {{ order.number }} г. {{ student.name }}, ученик от "
        "{{ student.class_name }} клас, е освободен/а по здравословни причини от учебните часове по физическо "
        "възпитание и спорт през учебната {{ school_year }} година за периода от {{ exempt_from|date }} г. до "
        "{{ exempt_to|date }} г. въз основа на {{ medical_document }}."
    ))
    para(doc, (
        "По време на учебните часове по физическо възпитание и спорт ученикът {{ activity }} "
        "(чл. 27, ал. 4 и ал. 5 от Правилника за дейността на училището)."
    ))
    para(doc, (
        "Учителят по физическо възпитание и спорт изготвя за ученика индивидуална план-програма, съответстваща "
        "на състоянието му (чл. 27, ал. 6). Освобождаването се отразява в ученическата книжка, в дневника на "
        "класа и в личния картон (чл. 27, ал. 7)."
    ))
    signature(doc, "Класен ръководител", "{{ class_teacher }}")
    director_signature(doc)
    return doc


def build_transfer_consent(heading: str) -> DocumentObject:
    """Informed consent on a transfer: curricula differences and equivalence exams (Чл. 26, ал. 2, т. 7)."""
    doc = new_document(heading)
    title(doc, "ДЕКЛАРАЦИЯ ЗА ИНФОРМИРАНО СЪГЛАСИЕ", f"по чл. 26, ал. 2, т. 7 от {RULEBOOK}")
    para(doc, (
        "Долуподписаният/ата {{ parent_name }}, родител (настойник) на {{ student.name }}, който/която желае да "
        "се премести от {{ from_school }} в {{ student.class_name }} клас на {{ school.name }},"
    ))
    para(doc, "Д Е К Л А Р И Р А М,", bold=True, align="center")
    para(doc, (
        "че съм информиран/а за различията между училищните учебни планове по чл. 108, ал. 5 от Наредба № 10 "
        "от 01.09.2016 г. за организация на дейностите в училищното образование: {{ differences }}"
    ))
    tag(doc, "if exams")
    para(doc, "и за приравнителните изпити, които ученикът трябва да положи:", align="left")
    tag(doc, "for exam in exams")
    para(doc, "– {{ exam }};", align="left")
    tag(doc, "endfor")
    tag(doc, "else")
    para(doc, "и че приравнителни изпити не се изискват.", align="left")
    tag(doc, "endif")
    para(doc, (
        "Знам, че приравнителните изпити се полагат в срок до две седмици от подаване на заявлението, че ученикът "
        "се записва само след успешното им полагане и че оценка „слаб (2)“ не позволява записването "
        "(чл. 26, ал. 2, т. 8 – 10)."
    ))
    doc.add_paragraph()
    para(doc, f"Дата: ....................    Родител: {SIGNATURE_LINE} / {{{{ parent_name }}}} /", align="left")
    para(doc, f"Ученик: {SIGNATURE_LINE} / {{{{ student.name }}}} /", align="left")
    return doc


def build_personal_data_consent(heading: str) -> DocumentObject:
    """Parents' consent to process their and the student's personal data for the studies (Чл. 152–153)."""
    doc = new_document(heading)
    title(doc, "ДЕКЛАРАЦИЯ", "за даване на съгласие за обработка на лични данни (чл. 152 и чл. 153 от "
        f"{RULEBOOK})")
    para(doc, (
        "Долуподписаният/ата {{ parent_name }}, родител (настойник) на {{ student.name }}, ученик от "
        "{{ student.class_name }} клас през учебната {{ school_year }} година, постъпил/а за обучение в училището "
        "на {{ enrolled_on|date }} г.,"
    ))
    para(doc, "Д Е К Л А Р И Р А М,", bold=True, align="center")
    para(doc, (
        "че давам съгласие {{ school.name }} да обработва моите лични данни и личните данни на ученика за срока "
        "на обучението му в училището, за целите на образователния процес, училищната документация и "
        "задълженията на училището по закон, съгласно Регламент (ЕС) 2016/679 (Общ регламент относно защитата "
        "на данните)."
    ))
    para(doc, (
        "Информиран/а съм, че мога да оттегля съгласието си по всяко време с писмено заявление до директора, без "
        "това да засяга законосъобразността на обработването преди оттеглянето, и че имам право на достъп, "
        "коригиране и ограничаване на обработването на данните."
    ))
    doc.add_paragraph()
    para(doc, f"Дата: ....................    Декларатор: {SIGNATURE_LINE} / {{{{ parent_name }}}} /",
         align="left")
    return doc


def build_transfer_certificate(heading: str) -> DocumentObject:
    """Transfer certificate, signed by the director (Чл. 10, ал. 7, т. 13)."""
    doc = new_document(heading)
    title(doc, "У Д О С Т О В Е Р Е Н И Е  З А  П Р Е М Е С Т В А Н Е", "№ {{ number }}/{{ issued_on|date }} г.")
    para(doc, (
        "{{ school.name }}, код по НЕИСПУО {{ school.neispuo_code }}, удостоверява, че {{ student.name }}, "
        "ЕГН {{ student.egn }}, роден/а на {{ student.birth_date|date }} г., ученик/ученичка в "
        "{{ student.class_name }} клас, {{ education_form }} форма на обучение, {{ profile }}, през учебната "
        "{{ school_year }} година, се премества в {{ to_school }}."
    ))
    tag(doc, "if grades")
    para(doc, "Оценки към датата на преместването:", align="left")
    loop_table(doc, ("№", "Учебен предмет", "Оценка"), "row in grades",
               ("{{ loop.index }}", "{{ row.subject }}", "{{ row.grade }}"))
    tag(doc, "endif")
    para(doc, (
        "Отсъствия през учебната година до датата на преместването: по уважителни причини – "
        "{{ excused|hours }}, по неуважителни причини – {{ unexcused|hours }} учебни часа."
    ))
    director_signature(doc)
    para(doc, "(печат)", align="left")
    return doc
