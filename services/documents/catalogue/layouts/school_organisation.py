"""Texts of the orders that organise the school year and of the notice of attendance days to РУО."""

from __future__ import annotations

from docx.document import Document as DocumentObject

from services.documents.catalogue.layouts.kit import (
    RULEBOOK,
    SIGNATURE_LINE,
    column_widths,
    director_signature,
    loop_table,
    new_document,
    order_heading,
    para,
    tag,
    title,
    window_address,
)


def build_class_teachers_order(heading: str) -> DocumentObject:
    """Class teachers of all classes, at the start of the school year (Чл. 117)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, f"На основание чл. 11, ал. 1 и чл. 117 от {RULEBOOK},")
    para(doc, "О П Р Е Д Е Л Я М:", bold=True, align="center")
    para(doc, "1. За класни ръководители на паралелките през учебната {{ school_year }} година, считано от "
        "{{ effective_from|date }} г.:")
    loop_table(doc, ("№", "Паралелка", "Класен ръководител"), "row in classes",
               ("{{ loop.index }}", "{{ row.class_name }}", "{{ row.teacher }}"))
    para(doc, (
        "2. Класните ръководители организират и провеждат Час на класа, водят училищната документация и "
        "документацията на паралелката и изпълняват задълженията си по чл. 97 – 100 от правилника (чл. 117)."
    ))
    para(doc, "Заповедта да се доведе до знанието на класните ръководители срещу подпис за сведение и изпълнение.")
    director_signature(doc)
    para(doc, "Запознати:", bold=True, align="left")
    tag(doc, "for row in classes")
    para(doc, f"{{{{ row.teacher }}}}, {{{{ row.class_name }}}} клас: {SIGNATURE_LINE}", align="left")
    tag(doc, "endfor")
    return doc


def build_timetable_approval(heading: str) -> DocumentObject:
    """Approval of the weekly timetable, no later than 3 days before the term (Чл. 113, ал. 3)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1 и чл. 113, ал. 3 от {RULEBOOK} и решение на педагогическия съвет "
        "({{ council_decision }}),"
    ))
    para(doc, "У Т В Ъ Р Ж Д А В А М:", bold=True, align="center")
    para(doc, (
        "1. Седмичното разписание на учебните часове за {{ term }} учебен срок на учебната {{ school_year }} "
        "година, който започва на {{ term_start|date }} г., за паралелките:"
    ))
    loop_table(doc, ("№", "Паралелка", "Часове седмично", "В сила от"), "row in classes",
               ("{{ loop.index }}", "{{ row.class_name }}", "{{ row.weekly_lessons }}",
                "{{ row.valid_from|date }}"))
    para(doc, "2. Седмичното разписание е неразделна част от заповедта.")
    para(doc, (
        "3. Седмичното разписание да се постави на видно място в училището и да се публикува на интернет "
        "страницата на училището (чл. 113, ал. 3)."
    ))
    para(doc, "4. Класните ръководители да запознаят учениците и родителите със седмичното разписание.")
    para(doc, "Заповедта да се доведе до знанието на учителите и класните ръководители за сведение и изпълнение.")
    director_signature(doc)
    return doc


def build_timetable_deviation(heading: str) -> DocumentObject:
    """One school day's lessons taught otherwise, with the circumstances (Чл. 114, ал. 1–2)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1 и чл. 114, ал. 1 и ал. 2 от {RULEBOOK} и предвид обстоятелствата, "
        "посочени за всеки час в таблицата,"
    ))
    para(doc, "Н А Р Е Ж Д А М:", bold=True, align="center")
    para(doc, (
        "1. На {{ date|date }} г. учебните часове на посочените паралелки да се проведат различно от "
        "утвърденото седмично разписание, както следва:"
    ))
    loop_table(doc, ("Паралелка", "Час", "Промяна", "Основание", "Обстоятелства"), "row in changes",
               ("{{ row.class_name }}", "{{ row.lesson }}", "{{ row.change }}",
                "т. {{ row.ground }}", "{{ row.circumstances }}"))
    column_widths(doc, (3.0, 1.3, 3.4, 3.0, 5.8))  # „Паралелка“, „Час“ and „Основание“ whole in bold
    para(doc, (
        "2. Основанията по чл. 114, ал. 1: т. 1 – национално или регионално външно оценяване; т. 2 – заместване "
        "на отсъстващ учител; т. 3 – два последователни часа по един предмет за класна работа."
    ))
    para(doc, "Заповедта да се доведе до знанието на засегнатите учители и паралелки за сведение и изпълнение.")
    director_signature(doc)
    return doc


def build_attendance_days_order(heading: str) -> DocumentObject:
    """Up to three non-school attendance days after the council's decision (Чл. 116, ал. 4)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1 и чл. 116, ал. 4 от {RULEBOOK} и решение на педагогическия съвет "
        "({{ council_decision }}),"
    ))
    para(doc, "О Б Я В Я В А М:", bold=True, align="center")
    para(doc, "1. За неучебни, но присъствени дни през учебната {{ school_year }} година:")
    loop_table(doc, ("№", "Дата", "Дейности"), "row in days",
               ("{{ loop.index }}", "{{ row.date|date }}", "{{ row.activity }}"))
    para(doc, "2. Учениците присъстват в училището в посочените дни; отсъствията се отразяват по общия ред.")
    para(doc, "3. За обявените дни да се уведоми Началникът на {{ ruo }} (чл. 116, ал. 4).")
    para(doc, "Заповедта да се доведе до знанието на учителите, учениците и родителите.")
    director_signature(doc)
    return doc


def build_attendance_days_letter(heading: str) -> DocumentObject:
    """Notice to the head of РУО of the declared days (Чл. 116, ал. 4)."""
    doc = new_document(heading)
    para(doc, "Изх. № {{ outgoing_number }}/{{ sent_on|date }} г.", align="left")
    window_address(doc, "ДО НАЧАЛНИКА", "НА {{ ruo }}")
    title(doc, "УВЕДОМЛЕНИЕ", "за обявени неучебни, но присъствени дни (чл. 116, ал. 4)")
    para(doc, "Уважаеми господин/госпожо Началник,", indent=True)
    para(doc, (
        f"Уведомяваме Ви, че на основание чл. 116, ал. 4 от {RULEBOOK} и решение на педагогическия съвет "
        "({{ council_decision }}) със заповед № {{ order.number }} г. директорът обяви за неучебни, но "
        "присъствени следните дни от учебната {{ school_year }} година:"
    ))
    loop_table(doc, ("№", "Дата", "Дейности"), "row in days",
               ("{{ loop.index }}", "{{ row.date|date }}", "{{ row.activity }}"))
    director_signature(doc)
    return doc


def build_class_works_schedule(heading: str) -> DocumentObject:
    """The term's schedule of class and test papers, within 2 weeks of the term's start (Чл. 136, ал. 2–3)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1 и чл. 136, ал. 2 от {RULEBOOK} и предложенията на учителите по "
        "учебните предмети,"
    ))
    para(doc, "У Т В Ъ Р Ж Д А В А М:", bold=True, align="center")
    para(doc, (
        "1. График на класните и контролните работи за {{ term }} учебен срок на учебната {{ school_year }} "
        "година, започнал на {{ term_start|date }} г.:"
    ))
    loop_table(doc, ("№", "Паралелка", "Учебен предмет", "Вид", "Дата"), "row in works",
               ("{{ loop.index }}", "{{ row.class_name }}", "{{ row.subject }}", "{{ row.kind }}",
                "{{ row.date|date }}"))
    para(doc, (
        "2. Графикът спазва изискванията на чл. 136, ал. 1: не повече от една класна или контролна работа в "
        "един учебен ден и не повече от две класни работи в учебна седмица за една паралелка; без класни "
        "работи в последните две седмици на срока."
    ))
    para(doc, "3. Графикът да се постави на общодостъпно място в училището и да се публикува на интернет "
        "страницата на училището (чл. 136, ал. 2).")
    para(doc, "4. Учителите по учебните предмети информират учениците, а класните ръководители – родителите "
        "(чл. 136, ал. 3).")
    director_signature(doc)
    return doc


def build_director_substitute(heading: str) -> DocumentObject:
    """Who stands in for the absent director, for less than 60 days (Чл. 13, ал. 1–2)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, f"На основание чл. 11, ал. 1 и чл. 13, ал. 1 и ал. 2 от {RULEBOOK} и във връзка с "
        "отсъствието ми поради {{ reason }},")
    para(doc, "О П Р Е Д Е Л Я М:", bold=True, align="center")
    para(doc, (
        "1. {{ substitute }} – {{ position }}, да ме замества за периода от {{ start_on|date }} г. до "
        "{{ end_on|date }} г. включително."
    ))
    tag(doc, "if powers")
    para(doc, "2. Делегирам на заместващия следните правомощия (чл. 13, ал. 2): {{ powers }}")
    tag(doc, "else")
    para(doc, "2. Заместващият изпълнява правомощията на директора, необходими за нормалната работа на "
        "училището през периода.")
    tag(doc, "endif")
    para(doc, "Заповедта да се доведе до знанието на заместващия срещу подпис и на служителите за сведение.")
    director_signature(doc)
    para(doc, f"Запознат/а: {SIGNATURE_LINE} / {{{{ substitute }}}} /", align="left")
    return doc
