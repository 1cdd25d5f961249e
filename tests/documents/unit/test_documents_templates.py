"""Shipped templates: descriptors, schemas, examples and the Bulgarian text they produce."""

from __future__ import annotations

import copy
import re

import pytest

from services.documents.catalogue import DocumentKind, shipped_templates
from services.documents.catalogue.build import build_all
from services.documents.catalogue.definitions import DEFINITIONS
from services.documents.catalogue.examples import absence_letter
from services.documents.rendering import ContextError, docx_text, field_paths, load_context

SANCTIONS = ("remark", "warning_transfer", "transfer", "warning_self_study", "self_study")
REQUIRED_KEYS = {
    "absence_letter", "absence_notice", "sanction_procedure_notice", "scholarship_stop_order",
    "pe_exemption_order", "trip_order", "trip_consent_declaration", "student_certificate",
    "child_benefit_list", "plan_execution_report",
    *(f"sanction_order_{kind}" for kind in SANCTIONS), *(f"sanction_letter_{kind}" for kind in SANCTIONS),
}
#: Article each document must cite, from spec/pravilnik-rules.md §5.
ARTICLES = {
    "absence_letter": "Чл. 97, т. 8",
    "sanction_procedure_notice": "Чл. 57, ал. 1–4",
    "scholarship_stop_order": "Чл. 26, ал. 1, т. 23",
    "pe_exemption_order": "Чл. 27, ал. 1–7",
    "trip_order": "Чл. 154, ал. 1–5",
    "trip_consent_declaration": "Чл. 154, ал. 3–5",
    "child_benefit_list": "Чл. 97, т. 15",
    "plan_execution_report": "Чл. 20, ал. 1, т. 5",
    **{f"sanction_order_{kind}": "Чл. 58" for kind in SANCTIONS},
    **{f"sanction_letter_{kind}": "Чл. 58, ал. 3" for kind in SANCTIONS},
}


def test_all_required_templates_are_shipped(templates):
    assert set(templates) >= REQUIRED_KEYS


@pytest.mark.parametrize("key", sorted(ARTICLES))
def test_template_cites_its_articles(templates, key):
    assert ARTICLES[key] in templates[key].articles


def test_descriptors_are_complete(templates):
    for spec in templates.values():
        assert re.search("[а-яА-Я]", spec.title), spec.key
        assert isinstance(spec.kind, DocumentKind)
        assert spec.version >= 1
        assert spec.articles
        assert spec.docx_bytes[:2] == b"PK"
        spec.schema_cls().load(spec.example)  # the example is valid against the schema


@pytest.mark.parametrize("spec", shipped_templates(), ids=lambda spec: spec.key)
def test_example_renders_with_letterhead_and_no_leftover_tags(renderer, spec):
    text = docx_text(renderer.render(spec, spec.example))
    school = spec.example["school"]
    for value in ("name", "address", "town", "phone", "email", "neispuo_code"):
        assert school[value] in text
    assert "{{" not in text
    assert "{%" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "dates must print as dd.mm.yyyy"
    assert re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", text)
    if spec.kind is DocumentKind.ORDER:
        assert f"№ {spec.example['number']} г." in text
        assert "З А П О В Е Д" in text


RUNG_SENTENCES = {
    3: "може да бъде наложена санкция „забележка“",
    8: "програма за индивидуално психологическо въздействие",
    20: "застрашено от отпадане",
    30: "представители на специализираните институции",
}


@pytest.mark.parametrize("rung", [3, 8, 20, 30])
def test_absence_letter_text_differs_per_rung(renderer, templates, rung):
    text = docx_text(renderer.render(templates["absence_letter"], absence_letter(rung)))
    assert f"прагът от {rung} отсъствия" in text
    for other, sentence in RUNG_SENTENCES.items():
        assert (sentence in text) == (other == rung)
    if rung == 30:
        assert "14.11.2023 г. от 14:30 ч." in text


def test_sanction_orders_carry_the_rules_of_their_kind(renderer, templates):
    specs = {kind: templates[f"sanction_order_{kind}"] for kind in SANCTIONS}
    texts = {kind: docx_text(renderer.render(spec, spec.example)) for kind, spec in specs.items()}
    assert "мотивирано писмено предложение на класния ръководител" in texts["remark"]
    assert "решение на Педагогическия съвет" in texts["transfer"]
    for kind in ("warning_transfer", "transfer", "self_study"):
        assert "стипендия за отличен успех (чл. 59, ал. 3)" in texts[kind]
    for kind in ("remark", "warning_self_study"):
        assert "стипендия" not in texts[kind]
    assert "началника на РУО – Русе" in texts["transfer"]
    assert "самостоятелна форма на обучение (чл. 121, ал. 2, т. 3)" in texts["self_study"]
    assert all("Административнопроцесуалния кодекс" in text for text in texts.values())


def _errors(spec, context):
    with pytest.raises(ContextError) as caught:
        load_context(spec.schema_cls, context)
    return caught.value.errors


def test_schema_rules_answer_in_bulgarian(templates):
    letter = templates["absence_letter"]
    context = copy.deepcopy(letter.example) | {"rung": 30, "count": 30, "meeting": None}
    assert "meeting" in _errors(letter, context)

    sanction_letter = templates["sanction_letter_remark"]
    late = copy.deepcopy(sanction_letter.example) | {"sent_on": "2023-12-20"}
    assert "тридневен срок" in _errors(sanction_letter, late)["sent_on"][0]

    order = templates["sanction_order_self_study"]
    young = copy.deepcopy(order.example)
    young["student"]["birth_date"] = "2009-01-01"
    assert "16 години" in _errors(order, young)["student"][0]

    wrong_number = copy.deepcopy(order.example) | {"number": "1058/15.12.2023"}
    assert "не съвпада" in _errors(order, wrong_number)["number"][0]

    missing = copy.deepcopy(order.example)
    del missing["motives"]
    missing["extra"] = 1
    errors = _errors(order, missing)
    assert errors["motives"] == ["Полето е задължително."]
    assert errors["extra"] == ["Непознато поле."]


def test_build_script_reproduces_shipped_templates(tmp_path, templates):
    written = build_all(tmp_path)
    assert len(written) == len(DEFINITIONS)
    for path in written:
        assert docx_text(path.read_bytes()) == docx_text(templates[path.stem].docx_bytes)


def test_paragraph_loops_repeat_signature_lines(renderer, templates):
    spec = templates["pe_exemption_order"]
    lines = docx_text(renderer.render(spec, spec.example)).splitlines()
    acknowledgements = [line for line in lines if line.endswith(": ........................................")]
    assert acknowledgements == [
        "Стефка Иванова, класен ръководител: ........................................",
        "Петър Димитров, класен ръководител: ........................................",
        "Николай Тодоров, учител по физическо възпитание и спорт: ........................................",
    ]


def test_field_paths_list_nested_and_list_fields(templates):
    paths = field_paths(templates["pe_exemption_order"].schema_cls)
    assert "school.neispuo_code" in paths
    assert "students[].medical_document" in paths
    assert "class_teachers[]" in paths
    assert "number" in paths
