"""Texts of the scholarship, PE-exemption and trip orders and of the trip consent declaration."""

from __future__ import annotations

from docx.document import Document as DocumentObject

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


def build_scholarship_stop(heading: str) -> DocumentObject:
    """Scholarship suspension order (Чл. 26, ал. 1, т. 23)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1 и чл. 26, ал. 1, т. 23 от {RULEBOOK}, във връзка с ПМС № 328 от "
        "21.12.2017 г. за условията за получаване на стипендии от учениците и предвид допуснатите от ученика "
        "{{ unexcused_hours }} учебни часа отсъствия през месец {{ month|month }} г., за които няма "
        "уважителни причини по чл. 62 от Наредбата за приобщаващото образование,"
    ))
    para(doc, "Н А Р Е Ж Д А М:", bold=True, align="center")
    para(doc, "1. Спирам изплащането на {{ scholarship }} на {{ student.name }}, ученик от {{ "
        "student.class_name }} клас.")
    para(doc, (
        "2. Получаването на стипендията се възобновява от месеца, следващ месеца, в който основанието "
        "за спирането ѝ е отпаднало."
    ))
    para(doc, "Заповедта да се доведе до знанието на ученика, на класния ръководител и на ЗАС за "
        "сведение и изпълнение.")
    para(doc, "Контрол по изпълнението на заповедта възлагам на {{ control_by }}.")
    director_signature(doc)
    return doc


def build_scholarship_resumption(heading: str) -> DocumentObject:
    """Order on the end of a scholarship stop's ground, the month's absences excused later (Чл. 26, ал. 1, т. 23)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1 и чл. 26, ал. 1, т. 23 от {RULEBOOK}, във връзка с ПМС № 328 от "
        "21.12.2017 г. за условията за получаване на стипендии от учениците и предвид това, че след "
        "извиняването на отсъствия на ученика на {{ lifted_on|date }} г. допуснатите от него учебни часове "
        "отсъствия без уважителни причини през месец {{ month|month }} г. са {{ unexcused_hours }} – по-малко от 5,"
    ))
    para(doc, "Н А Р Е Ж Д А М:", bold=True, align="center")
    para(doc, "1. Основанието за спиране на {{ scholarship }} на {{ student.name }}, ученик от {{ "
        "student.class_name }} клас, за месец {{ month|month }} г. е отпаднало на {{ lifted_on|date }} г.")
    para(doc, "2. Изплащането на стипендията се възобновява от месец {{ resumes_from|month }} г.")
    para(doc, "Заповедта да се доведе до знанието на ученика, на класния ръководител и на ЗАС за "
        "сведение и изпълнение.")
    para(doc, "Контрол по изпълнението на заповедта възлагам на {{ control_by }}.")
    director_signature(doc)
    return doc


def build_pe_exemption(heading: str) -> DocumentObject:
    """Order exempting students from PE (Чл. 27, ал. 3–7)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1 и чл. 27, ал. 3 и ал. 4 от {RULEBOOK} и представените медицински "
        "експертизи по чл. 27, ал. 2,"
    ))
    para(doc, "О П Р Е Д Е Л Я М:", bold=True, align="center")
    para(doc, (
        "1. Освобождавам по здравословни причини от учебните часове по физическо възпитание и спорт през "
        "учебната {{ school_year }} година следните ученици за посочения срок:"
    ))
    loop_table(
        doc,
        ("№", "Ученик", "Клас", "Медицински документ", "От", "До"),
        "row in students",
        ("{{ loop.index }}", "{{ row.name }}", "{{ row.class_name }}", "{{ row.medical_document }}",
         "{{ row.exempt_from|date }}", "{{ row.exempt_to|date }}"),
        widths_cm=(1.0, 3.4, 1.5, 5.0, 2.8, 2.8),  # the medical document's words whole, the dates on one line
    )
    para(doc, "2. По време на часовете по физическо възпитание и спорт освободените ученици {{ "
        "activity }} (чл. 27, ал. 4).")
    para(doc, (
        "3. Учителите по физическо възпитание и спорт изготвят за всеки ученик индивидуална план-програма, "
        "съответстваща на състоянието му (чл. 27, ал. 6)."
    ))
    para(doc, (
        "4. Класните ръководители отразяват освобождаването в ученическия бележник, в дневника на класа "
        "и в личния картон (чл. 27, ал. 7)."
    ))
    para(doc, "5. Родителите на учениците се уведомяват писмено за обстоятелствата по т. 2 (чл. 27, ал. 5).")
    para(doc, (
        "Заповедта да се връчи срещу подпис на класните ръководители и на учителите по физическо възпитание "
        "и спорт за сведение и изпълнение (чл. 27, ал. 6)."
    ))
    director_signature(doc)
    para(doc, "Запознати:", bold=True, align="left")
    tag(doc, "for name in class_teachers")
    para(doc, f"{{{{ name }}}}, класен ръководител: {SIGNATURE_LINE}", align="left")
    tag(doc, "endfor")
    tag(doc, "for name in pe_teachers")
    para(doc, f"{{{{ name }}}}, учител по физическо възпитание и спорт: {SIGNATURE_LINE}", align="left")
    tag(doc, "endfor")
    return doc


def build_trip_order(heading: str) -> DocumentObject:
    """Order for an event, visit or trip (Чл. 154–156)."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1, чл. 154, чл. 155 и чл. 156 от {RULEBOOK}, Наредба № 10 от 01.09.2016 г. "
        "за организация на дейностите в училищното образование и Наредбата за детските и ученическите "
        "туристически пътувания с обща цена,"
    ))
    para(doc, "Р А З Р Е Ш А В А М:", bold=True, align="center")
    para(doc, (
        "1. Участието на учениците по т. 3 в {{ event }}, организирано от {{ organiser }}, в {{ place }}, "
        "за периода от {{ start_on|date }} г. до {{ end_on|date }} г."
    ))
    tag(doc, "if tour_operator")
    para(doc, (
        "Пътуването се организира въз основа на договор между туроператора {{ tour_operator }} и директора "
        "на училището, след представяне на редовно заверените изискуеми документи и съгласуване с РУО "
        "(чл. 155; чл. 156, ал. 1)."
    ))
    tag(doc, "endif")
    tag(doc, "if school_days")
    para(doc, (
        "2. Пътуването заема {{ school_days }} учебни дни от допустимите до 5 учебни дни за паралелка през "
        "учебно време и е планирано в годишния план за дейността на училището (чл. 156, ал. 1–3)."
    ))
    tag(doc, "else")
    para(doc, "2. Пътуването се провежда през ваканцията или в почивни дни и не заема учебни дни "
        "(чл. 156, ал. 1).")
    tag(doc, "endif")
    para(doc, "3. Участници:")
    loop_table(doc, ("№", "Ученик", "Клас"), "row in students",
               ("{{ loop.index }}", "{{ row.name }}", "{{ row.class_name }}"))
    para(doc, "4. Ръководители и придружители:")
    loop_table(doc, ("Име", "Длъжност"), "row in leaders", ("{{ row.name }}", "{{ row.role }}"))
    para(doc, (
        "5. Учениците участват след подписана от родител декларация-съгласие; при несъгласие на родителя "
        "ученикът не участва (чл. 154, ал. 4).{% if outside_town %} За извеждането на учениците извън "
        "населеното място на училището се изисква информирано писмено съгласие на родител "
        "(чл. 154, ал. 3).{% endif %}"
    ))
    para(doc, (
        "6. Преди тръгване ръководителят провежда на учениците инструктаж за безопасност и култура на "
        "поведение и го регистрира (чл. 154, ал. 5)."
    ))
    para(doc, "Заповедта да се доведе до знанието на ръководителите и придружителите срещу подпис "
        "за сведение и изпълнение.")
    director_signature(doc, with_text=True)  # the order's two pages: not the signature alone on the second
    return doc


def build_trip_consent(heading: str) -> DocumentObject:
    """Parent's consent declaration for a trip or event (Чл. 154, ал. 3–4)."""
    doc = new_document(heading)
    title(doc, "ДЕКЛАРАЦИЯ-СЪГЛАСИЕ", f"по чл. 154, ал. 3 и ал. 4 от {RULEBOOK}")
    para(doc, (
        "Долуподписаният/ата {{ parent_name }}, тел. {{ parent_phone }}, родител (настойник) на "
        "{{ student.name }}, ученик от {{ student.class_name }} клас,"
    ))
    para(doc, "Д Е К Л А Р И Р А М,", bold=True, align="center")
    para(doc, (
        "че съм информиран/а за целта, мястото, продължителността и условията на {{ event }} в {{ place }} "
        "за периода от {{ start_on|date }} г. до {{ end_on|date }} г. и:"
    ))
    para(doc, "☐ съм съгласен/съгласна детето ми да участва;", align="left")
    para(doc, "☐ не съм съгласен/съгласна детето ми да участва.", align="left")
    para(doc, (
        "Знам, че при несъгласие на родителя ученикът не участва в мероприятието (чл. 154, ал. 4) и че "
        "преди тръгване на учениците се провежда инструктаж за безопасност и култура на поведение "
        "(чл. 154, ал. 5)."
    ))
    doc.add_paragraph()
    para(doc, f"Дата: ....................    Декларатор: {SIGNATURE_LINE} / {{{{ parent_name }}}} "
        f"/", align="left")
    return doc
