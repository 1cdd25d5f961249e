"""Texts of the dropout family: the class teacher's report and letter (Чл. 97, т. 17), the notice of ал. 5."""

from __future__ import annotations

from docx.document import Document as DocumentObject

from services.documents.catalogue.layouts.kit import (
    RULEBOOK,
    director_signature,
    letter_heading,
    loop_table,
    new_document,
    para,
    signature,
    tag,
    title,
)


def build_dropout_report(heading: str) -> DocumentObject:
    """Доклад до директора: the students at risk, the reasons and the activities so far (Чл. 97, т. 17)."""
    doc = new_document(heading)
    para(doc, "ДО ДИРЕКТОРА", bold=True, align="right")
    para(doc, "НА {{ school.name }}", align="right")
    title(doc, "Д О К Л А Д", (
        "относно учениците от {{ class_name }} клас, застрашени от отпадане, {{ term }}. срок на "
        "{{ school_year }} учебна година"))
    para(doc, "Уважаеми господин/госпожо Директор,", indent=True)
    para(doc, (
        f"На основание чл. 97, т. 17 от {RULEBOOK}, един месец преди края на {{{{ term }}}}. срок "
        "({{ term_end|date }} г.), Ви докладвам за учениците от {{ class_name }} клас, застрашени от отпадане, "
        "за причините за това и за предприетите до момента дейности:"
    ), indent=True)
    loop_table(
        doc,
        ("№", "Ученик", "Причини", "Предприети дейности", "Писмо до родителите"),
        "row in students",
        ("{{ loop.index }}", "{{ row.name }}", "{{ row.reasons }}",
         "{% for item in row.activities %}{{ item }}{% if not loop.last %}; {% endif %}{% else %}"
         "няма предприети дейности{% endfor %}",
         "рег. № {{ row.register_entry }} г. в дневника на класа"),
        widths_cm=(1.0, 3.0, 3.5, 5.8, 3.2),  # the activities, a list with their articles, get the width
    )
    para(doc, (
        "На родителите на всеки от посочените ученици е изпратено уведомително писмо, регистрирано в дневника "
        "на класа (чл. 97, т. 17). Предлагам случаите да бъдат обсъдени с училищния психолог и, при "
        "необходимост, с родителите и с органите за закрила на детето."
    ), indent=True)
    para(doc, "Дата: {{ report_on|date }} г.", align="left")
    signature(doc, "Класен ръководител", "{{ class_teacher }}")
    return doc


def build_dropout_letter(heading: str) -> DocumentObject:
    """Уведомително писмо до родителите за риск от отпадане, регистрирано в дневника на класа (Чл. 97, т. 17)."""
    doc = new_document(heading)
    letter_heading(doc, "УВЕДОМИТЕЛНО ПИСМО", "относно риск от отпадане от училище")
    para(doc, (
        f"На основание чл. 97, т. 17 от {RULEBOOK} Ви уведомявам, че Вашето дете {{{{ student.name }}}}, ученик "
        "от {{ student.class_name }} клас, е застрашено от отпадане от училище. Причини: {{ reasons }}."
    ), indent=True)
    tag(doc, "if activities")
    para(doc, "До момента са предприети следните дейности:", indent=True)
    loop_table(doc, ("№", "Дейност"), "item in activities", ("{{ loop.index }}", "{{ item }}"))
    tag(doc, "endif")
    para(doc, (
        "Моля да осигурите редовното присъствие на детето си в учебните часове (чл. 105, ал. 1, т. 1) и да се "
        "свържете с класния ръководител до края на срока ({{ term_end|date }} г.), за да обсъдим заедно "
        "причините за отсъствията и мерките за преодоляването им. Непосещаването на училище без уважителни "
        "причини за период, по-дълъг от два месеца, е основание за отписване (чл. 25, ал. 4, т. 2)."
    ), indent=True)
    para(doc, "Писмото е регистрирано в дневника на класа под № {{ register_entry }} г.", align="left")
    signature(doc, "Класен ръководител", "{{ class_teacher }}")
    return doc


def build_deregistration_notice(heading: str) -> DocumentObject:
    """Уведомление за отписан ученик в задължителна училищна възраст (Чл. 25, ал. 5), to one addressee."""
    doc = new_document(heading)
    para(doc, "Изх. № {{ outgoing_number }}/{{ sent_on|date }} г.", align="left")
    para(doc, "ДО {{ addressee }}", bold=True, align="right")
    title(doc, "У В Е Д О М Л Е Н И Е", "за отписан ученик в задължителна училищна възраст")
    para(doc, (
        f"На основание чл. 25, ал. 5 от {RULEBOOK} Ви уведомявам, че ученикът {{{{ student.name }}}} от "
        "{{ student.class_name }} клас, на {{ age }} години, е отписан от училището на "
        "{{ deregistered_on|date }} г. на основание {{ ground_article }} от Правилника – {{ ground_text }}."
    ), indent=True)
    tag(doc, "if nonattendance_since")
    para(doc, "Ученикът не посещава училище по неуважителни причини от {{ nonattendance_since|date }} г.",
         indent=True)
    tag(doc, "endif")
    para(doc, (
        "Ученикът е в задължителна училищна възраст. Със същото уведомление се уведомяват и "
        "{{ other_addressees }}, за да бъдат предприети мерки за връщането му в образователната система."
    ), indent=True)
    director_signature(doc)
    return doc
