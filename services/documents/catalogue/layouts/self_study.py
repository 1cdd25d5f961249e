"""Text of the order approving a self-study exam session's schedule (O17, Чл. 121, ал. 6–8, 12)."""

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
)


def build_self_study_sessions_order(heading: str) -> DocumentObject:
    """The exams of one session of the self-study students, with their dates, rooms and commissions."""
    doc = new_document(heading)
    order_heading(doc)
    para(doc, (
        f"На основание чл. 11, ал. 1 и чл. 121, ал. 6, т. 6.1 и т. 6.3 от {RULEBOOK} и подадените от "
        "учениците в самостоятелна форма на обучение заявления (чл. 121, ал. 7),"
    ))
    para(doc, "У Т В Ъ Р Ж Д А В А М:", bold=True, align="center")
    para(doc, (
        "1. График на изпитите на {{ session }} изпитна сесия{% if final_grade %} за учениците от XII клас"
        "{% endif %} – {{ month }} (чл. 121, ал. 6, т. {% if session == 'редовна' %}6.1{% else %}6.3{% endif %}), "
        "за учениците в самостоятелна форма на обучение през учебната "
        "{{ school_year }} година:"
    ))
    # The day and the hour share a column (two lines), so that every column holds its longest word whole
    # („Математика“, „практически“, „спортна“ and the hour broke mid-word in six narrower columns).
    loop_table(doc, ("Учебен предмет", "Форма на изпита", "Дата и час", "Зала", "Комисия"),
               "row in schedule",
               ("{{ row.subject }}", "{{ row.exam_form }}", "{{ row.date|date }}, {{ row.time }} ч.",
                "{{ row.room }}", "{{ row.commission }}"))
    column_widths(doc, (3.4, 3.4, 3.2, 2.3, 4.2))
    para(doc, (
        "2. {{ class_teacher }}, определен(а) за класен ръководител на учениците в самостоятелна форма, да ги "
        "запознае с датите на изпитите и да им предостави конспектите по всеки учебен предмет "
        "(чл. 121, ал. 7, т. 1)."
    ))
    para(doc, (
        "3. Графикът на консултациите се публикува на интернет страницата на училището (чл. 121, ал. 8). "
        "Ученик, който не се е явил на нито един изпит в три поредни сесии, се отписва (чл. 121, ал. 12)."
    ))
    para(doc, "Заповедта да се доведе до знанието на членовете на комисиите за сведение и изпълнение.")
    director_signature(doc)
    # Kept with the name under it: alone at the foot of a page it left the name to a page of its own.
    para(doc, "Запознат(а):", bold=True, align="left").paragraph_format.keep_with_next = True
    para(doc, f"{{{{ class_teacher }}}}: {SIGNATURE_LINE}", align="left")
    return doc
