"""Rendering keeps every character, matches the naive docxtpl cycle and compiles once."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from services.documents.catalogue import shipped_templates
from services.documents.rendering import (
    CompiledTemplate,
    DocumentRenderer,
    RenderError,
    docx_text,
    format_date,
    format_month,
    format_order_number,
    load_context,
    render_with_docxtpl,
)

HOSTILE_NAME = "Мария-Магдалена „Маги“ О'Конър & Синове <ООД> \"Златен век\" " + "Дълго-Име-" * 20
HOSTILE_SCHOOL = "ПГ „Св. Кирил & Методий“ <Русе> \"ПГРКК\""


def _hostile(context: dict) -> dict:
    context = copy.deepcopy(context)
    context["school"]["name"] = HOSTILE_SCHOOL
    if "student" in context:
        context["student"]["name"] = HOSTILE_NAME
    return context


@pytest.mark.parametrize("key", ["sanction_order_transfer", "absence_letter", "student_certificate"])
def test_special_characters_survive_in_body_and_header(renderer, templates, key):
    spec = templates[key]
    text = docx_text(renderer.render(spec, _hostile(spec.example)))
    assert HOSTILE_NAME in text
    assert HOSTILE_SCHOOL in text.splitlines()[0]  # the letterhead lives in the page header


def test_special_characters_survive_in_table_rows(renderer, templates):
    spec = templates["pe_exemption_order"]
    context = copy.deepcopy(spec.example)
    context["students"][1]["name"] = HOSTILE_NAME
    context["students"][1]["medical_document"] = "ЕР на ТЕЛК № 12 & 13 <копие> „заверено“"
    lines = docx_text(renderer.render(spec, context)).splitlines()
    row = next(line for line in lines if line.startswith("2 | "))
    cells = [HOSTILE_NAME, "11б", "ЕР на ТЕЛК № 12 & 13 <копие> „заверено“", "18.09.2023", "22.12.2023"]
    assert row == " | ".join(["2", *cells])


@pytest.mark.parametrize("spec", shipped_templates(), ids=lambda spec: spec.key)
def test_compiled_renderer_matches_naive_docxtpl(renderer, spec):
    context = _hostile(spec.example)
    compiled = renderer.render(spec, context)
    naive = render_with_docxtpl(spec.docx_bytes, load_context(spec.schema_cls, context))
    assert docx_text(compiled) == docx_text(naive)


def test_template_is_compiled_once_per_key_and_version(templates):
    renderer = DocumentRenderer()
    spec = templates["absence_notice"]
    first = [renderer.render(spec, spec.example) for _ in range(5)]
    assert renderer.cache.compilations == 1
    assert len({docx_text(document) for document in first}) == 1
    renderer.cache.get(spec.key, spec.version + 1, spec.docx_bytes)
    renderer.render(spec, spec.example)
    assert renderer.cache.compilations == 2


def test_missing_field_is_an_error_not_a_blank(make_docx):
    compiled = CompiledTemplate(make_docx(["Ученик: {{ student.name }}"]))
    with pytest.raises(RenderError, match="липсва в данните: „name“"):
        compiled.render({"student": {}})


def test_not_a_docx_is_refused_in_bulgarian():
    with pytest.raises(RenderError, match=r"не е документ във формат \.docx"):
        CompiledTemplate(b"plain text")


def test_date_filters_print_bulgarian_formats():
    assert format_date(date(2023, 9, 4)) == "04.09.2023"
    assert format_date("2024-02-29") == "29.02.2024"
    assert format_month(date(2023, 10, 1)) == "октомври 2023"
    with pytest.raises(ValueError, match="Очаква се дата"):
        format_date("утре")


def test_order_number_format():
    assert format_order_number(1058, date(2023, 9, 14)) == "1058/14.09.2023"
    assert format_order_number(7, date(2024, 1, 2)) == "7/02.01.2024"
    for bad in (0, -3, True):
        with pytest.raises(ValueError, match="положително"):
            format_order_number(bad, date(2023, 9, 14))


def test_the_same_template_and_context_give_the_same_bytes(templates):
    """No clock in the file: the rendered parts carry the fixed zip time, the rest is the template's own."""
    import hashlib  # noqa: PLC0415
    import io  # noqa: PLC0415
    import zipfile  # noqa: PLC0415

    from services.documents.rendering import DocumentRenderer  # noqa: PLC0415
    from services.documents.rendering.compiled import FIXED_STAMP  # noqa: PLC0415

    spec = templates["absence_letter"]
    first, again = DocumentRenderer().render(spec, spec.example), DocumentRenderer().render(spec, spec.example)
    assert first == again
    with zipfile.ZipFile(io.BytesIO(first)) as docx, zipfile.ZipFile(io.BytesIO(spec.docx_bytes)) as template:
        assert [i.filename for i in docx.infolist()][: len(template.infolist()) - 2] == \
               [i.filename for i in template.infolist() if not i.filename.startswith(("word/document", "word/header"))]
        assert docx.getinfo("word/document.xml").date_time == FIXED_STAMP
    old = DocumentRenderer().render(spec, spec.example, stamp=(2026, 12, 6, 9, 30, 0))
    assert hashlib.sha256(old).digest() != hashlib.sha256(first).digest()
