"""Texts of the exam protocols and of the orders on correction sessions and summer tuition."""

from __future__ import annotations

from docx.document import Document as DocumentObject

from services.documents.catalogue.layouts.kit import (
    RULEBOOK,
    director_signature,
    loop_table,
    new_document,
    order_heading,
    para,
    signature,
    tag,
    title,
)


def _protocol(doc: DocumentObject, what: str) -> None:
    para(doc, (
        "Днес, {{ exam_date|date }} г., комисия в състав: председател {{ commission.chair }} и членове "
        "{{ commission.members|join(', ') }}, проведе " + what + " по {{ subject }} на учениците от "
        "{{ class_name }} клас за учебната {{ school_year }} година и постави следните оценки:"
    ))
    # The consequence is a sentence with its article: it gets the width, the grade a word's.
    loop_table(doc, ("№", "Ученик", "Оценка", "Последица"), "row in results",
               ("{{ loop.index }}", "{{ row.name }}", "{{ row.grade }}", "{{ row.outcome }}"),
               widths_cm=(1.0, 4.5, 3.0, 8.0))
    para(doc, "Явили се: {{ results|rejectattr('grade', 'equalto', 'не се явил')|list|length }}; "
              "неявили се: {{ results|selectattr('grade', 'equalto', 'не се явил')|list|length }}.")
    signature(doc, "Председател", "{{ commission.chair }}")
    tag(doc, "for member in commission.members")
    signature(doc, "Член", "{{ member }}")
    tag(doc, "endfor")


def build_term_exam_protocol(heading: str) -> DocumentObject:
    """Protocol of an exam for a term grade (Чл. 137, ал. 1–2, 4, 6)."""
    doc = new_document(heading)
    title(doc, "П Р О Т О К О Л", "за резултатите от изпит за определяне на срочна оценка за {{ term }}. срок")
    para(doc, (
        "Изпитът се полага от учениците, за които срочна оценка не може да бъде оформена поради липса на "
        "минималния брой текущи оценки или отсъствия над 25 % от часовете по предмета (чл. 137, ал. 1 и "
        f"ал. 2 от {RULEBOOK}).{{% if pc_decision %}} Срокът е удължен с решение на Педагогическия съвет "
        "({{ pc_decision }}) по чл. 137, ал. 6.{% endif %}"
    ))
    _protocol(doc, "изпит за определяне на срочна оценка")
    para(doc, "Ученик, който не се е явил, полага изпита на втора дата не по-късно от две седмици след края на "
              "срока; ако не се яви и тогава, не получава срочна оценка и полага изпит за годишна оценка "
              "(чл. 137, ал. 4).")
    return doc


def build_correction_exam_protocol(heading: str) -> DocumentObject:
    """Protocol of a correction exam (Чл. 143, ал. 1, 9)."""
    doc = new_document(heading)
    title(doc, "П Р О Т О К О Л", "за резултатите от поправителен изпит – {{ session }}")
    para(doc, (
        "Поправителен изпит полагат учениците с годишна оценка „слаб (2)“ по предмета, върху учебното "
        f"съдържание за годината (чл. 143, ал. 1 и ал. 2 от {RULEBOOK}). Оценка, по-висока от „слаб (2)“, "
        "става годишна оценка по предмета."
    ))
    _protocol(doc, "поправителен изпит")
    para(doc, "Ученик, който не се е явил или не е положил успешно изпита в поправителните сесии, повтаря "
              "класа (чл. 143, ал. 9).")
    return doc


def build_correction_sessions_order(heading: str) -> DocumentObject:
    """Order on the correction sessions of a group of classes (O18, Чл. 143, ал. 4–8)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1 и чл. 143, ал. 4–8 от {RULEBOOK}, във връзка с края на учебните часове "
        "за {{ classes }} клас на {{ classes_end|date }} г.,"
    ))
    para(doc, "О П Р Е Д Е Л Я М:", bold=True, align="center")
    para(doc, "1. Поправителните сесии за учениците от {{ classes }} клас за учебната {{ school_year }} година:")
    loop_table(doc, ("Сесия", "От", "До", "Основание"), "row in sessions",
               ("{{ row.name }}", "{{ row.start_on|date }}", "{{ row.end_on|date }}", "{{ row.article }}"))
    para(doc, (
        "2. Допълнителната сесия е за учениците, които не са се явили на редовните сесии поради "
        "уважителни медицински причини, и приключва не по-късно от 10 октомври (чл. 143, ал. 7)."
    ))
    para(doc, (
        "3. Датите на изпитите, комисиите и графикът на консултациите се определят в рамките на сесиите. "
        "Ученик, който не се е явил или не е положил успешно изпита в поправителните сесии, повтаря класа "
        "(чл. 143, ал. 9)."
    ))
    para(doc, "4. Класните ръководители да запознаят учениците и родителите със заповедта срещу подпис.")
    director_signature(doc)
    return doc


def build_summer_tuition_order(heading: str) -> DocumentObject:
    """Order on the summer additional tuition of students with an annual „слаб“ (O19, Чл. 143, ал. 10)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, f"На основание чл. 11, ал. 1 и чл. 143, ал. 10 от {RULEBOOK},")
    para(doc, "Н А Р Е Ж Д А М:", bold=True, align="center")
    para(doc, (
        "1. Да се организира задължително допълнително обучение през лятната ваканция за учениците с годишна "
        "оценка „слаб (2)“ за учебната {{ school_year }} година (без учениците в самостоятелна форма), "
        "в периода от {{ start_on|date }} г. до {{ end_on|date }} г., по предметите, посочени срещу името "
        "на всеки ученик:"
    ))
    loop_table(doc, ("№", "Ученик", "Клас", "Предмети"), "row in students",
               ("{{ loop.index }}", "{{ row.name }}", "{{ row.class_name }}", "{{ row.subjects }}"))
    para(doc, (
        "2. Допълнителното обучение се провежда от учителите по съответните предмети по график, утвърден от "
        "директора, и може да продължи и през следващата учебна година (чл. 143, ал. 10)."
    ))
    para(doc, "3. Класните ръководители да уведомят учениците и родителите им срещу подпис.")
    director_signature(doc)
    return doc


def build_summer_tuition_supplement(heading: str) -> DocumentObject:
    """Supplement to the summer tuition order: the students added after it (O19, Чл. 143, ал. 10)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1 и чл. 143, ал. 10 от {RULEBOOK} и във връзка с годишните оценки "
        "„слаб (2)“, формирани след издаването на Заповед № {{ supplements }} г.,"
    ))
    para(doc, "Д О П Ъ Л В А М:", bold=True, align="center")
    para(doc, (
        "1. Заповед № {{ supplements }} г. за задължителното допълнително обучение през лятната ваканция за "
        "учебната {{ school_year }} година, като към учениците в нея добавям следните ученици, които се "
        "обучават в периода от {{ start_on|date }} г. до {{ end_on|date }} г. по предметите, посочени "
        "срещу името на всеки ученик:"
    ))
    loop_table(doc, ("№", "Ученик", "Клас", "Предмети"), "row in students",
               ("{{ loop.index }}", "{{ row.name }}", "{{ row.class_name }}", "{{ row.subjects }}"))
    para(doc, "2. В останалата ѝ част Заповед № {{ supplements }} г. остава непроменена.")
    para(doc, "3. Класните ръководители да уведомят добавените ученици и родителите им срещу подпис.")
    director_signature(doc)
    return doc
