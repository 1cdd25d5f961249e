"""Texts of the student certificate and of the annual-plan execution report."""

from __future__ import annotations

from docx.document import Document as DocumentObject

from services.documents.catalogue.layouts.kit import director_signature, loop_table, new_document, para, title

#: How each plan status reads in the report.
STATUS_WORDS = {
    "done": "изпълнена",
    "partial": "частично изпълнена",
    "not_done": "неизпълнена",
    "cancelled": "отпаднала",
}


def build_student_certificate(heading: str) -> DocumentObject:
    """Certificate that a person is a student of the school (удостоверение)."""
    doc = new_document(heading)
    title(doc, "У Д О С Т О В Е Р Е Н И Е", "№ {{ number }}/{{ issued_on|date }} г.")
    para(doc, (
        "{{ school.name }}, код по НЕИСПУО {{ school.neispuo_code }}, удостоверява, че {{ student.name }}, "
        "ЕГН {{ student.egn }}, роден/а на {{ student.birth_date|date }} г., е ученик/ученичка в "
        "{{ student.class_name }} клас, {{ education_form }} форма на обучение, през учебната "
        "{{ school_year }} година."
    ))
    para(doc, "Удостоверението се издава, за да послужи {{ purpose }}.")
    director_signature(doc)
    para(doc, "(печат)", align="left")
    return doc


def _status_words() -> str:
    branches = [
        f'{"if" if index == 0 else "elif"} row.status == "{key}" %}}{word}{{%'
        for index, (key, word) in enumerate(STATUS_WORDS.items())
    ]
    return "{% " + " ".join(branches) + " endif %}"


def _count(status: str) -> str:
    return f'{{{{ activities|selectattr("status", "equalto", "{status}")|list|length }}}}'


def build_plan_report(heading: str) -> DocumentObject:
    """End-of-year report on the execution of the annual plan (Чл. 20, ал. 1, т. 5)."""
    doc = new_document(heading)
    title(doc, "О Т Ч Е Т", (
        "за изпълнението на годишния план за дейността на {{ school.name }} през учебната "
        "{{ school_year }} година"
    ))
    para(doc, (
        "Годишният план за дейността е приет от Педагогическия съвет (чл. 20, ал. 1, т. 5 от Правилника "
        "за дейността на училището). Отчетът е представен на заседание на Педагогическия съвет ({{ "
            "council_protocol }})."
    ))
    loop_table(
        doc,
        ("№", "Дейност", "Срок", "Отговорник", "Изпълнение", "Бележка"),
        "row in activities",
        ("{{ row.number }}", "{{ row.text }}", "{{ row.deadline }}", "{{ row.responsible }}",
         _status_words(), '{{ row.note or "–" }}'),
        # The plan's numbers („II/1.6“) on one line, „Отговорник“ and „Изпълнение“ whole in bold.
        widths_cm=(1.4, 3.8, 2.5, 3.2, 3.2, 2.4),
    )
    para(doc, (
        f"Общо дейности: {{{{ activities|length }}}}; изпълнени: {_count('done')}; частично изпълнени: "
        f"{_count('partial')}; неизпълнени: {_count('not_done')}; отпаднали: {_count('cancelled')}."
    ))
    para(doc, "Дата: {{ prepared_on|date }} г.", align="left")
    para(doc, "Изготвил: ........................................", align="left")
    director_signature(doc)
    return doc
