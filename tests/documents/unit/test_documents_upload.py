"""Upload validation names every problem; unsafe templates are refused and cannot run anyway."""

from __future__ import annotations

import pytest

from services.documents.catalogue.schemas.common import LetterSchema
from services.documents.rendering import (
    CompiledTemplate,
    UnsafeTemplateError,
    render_with_docxtpl,
    validate_upload,
)


def _codes(problems):
    return [problem.code for problem in problems]


def test_shipped_templates_pass_validation(templates):
    for spec in templates.values():
        assert validate_upload(spec.docx_bytes, spec.schema_cls, example=spec.example) == [], spec.key


def test_tags_split_across_runs_inside_a_paragraph_are_repaired(make_docx):
    upload = make_docx(["До ", "{{ par", "ent.na", "me }}", " – {{ student.", "class_name }} клас"])
    assert validate_upload(upload, LetterSchema) == []


def test_unknown_fields_are_named(make_docx):
    upload = make_docx(
        ["{{ school.nme }} {{ grade }}"],
        ["{% for row in rows %}{{ row }}{% endfor %}"],
        table=[["{{ student.name }}", "{{ student.egn }}"]],
    )
    messages = [problem.message for problem in validate_upload(upload, LetterSchema)]
    assert "Полето „school.nme“ не е описано в схемата на шаблона." in messages
    assert "Полето „grade“ не е описано в схемата на шаблона." in messages
    assert "Полето „rows“ не е описано в схемата на шаблона." in messages
    assert "Полето „student.egn“ не е описано в схемата на шаблона." in messages
    assert len(messages) == 4


def test_word_mangling_is_reported(make_docx):
    upload = make_docx(
        ["{{ student.name|default(“без име”) }}"],
        ["{ { parent.name }}"],
        ["Начало {{ parent.", ""],
        ["address }} край"],
        ["{{ parent.name %}"],
    )
    problems = validate_upload(upload, LetterSchema)
    codes = _codes(problems)
    assert codes.count("smart_quotes") == 1
    assert "“ ”" in problems[codes.index("smart_quotes")].message
    assert codes.count("split_tag") == 3
    assert any("не е затворен" in problem.message for problem in problems)
    assert any("се затваря с „%}“" in problem.message for problem in problems)


def test_unbalanced_blocks_are_reported(make_docx):
    upload = make_docx(["{% if parent.name %}"], ["{% for x in student.name %}{{ x }}"], ["{% endif %}"])
    messages = [problem.message for problem in validate_upload(upload, LetterSchema)]
    assert "Блокът {% for %} е затворен с {% endif %} вместо с {% endfor %}." in messages
    assert "Блокът {% if %} не е затворен с {% endif %}." in messages


HOSTILE = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ student.name|attr('__class__') }}",
    "{% include 'secret.xml' %}",
    "{% import 'macros' as m %}",
    "{% extends 'base' %}",
    "{{ self._TemplateReference__context }}",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_unsafe_constructs_are_refused(make_docx, source):
    problems = validate_upload(make_docx([source]), LetterSchema)
    assert "unsafe" in _codes(problems), problems


def test_reaching_python_internals_cannot_execute_even_if_stored(make_docx):
    upload = make_docx(["{{ ''.__class__.__mro__[1].__subclasses__() }}"])
    with pytest.raises(UnsafeTemplateError, match="вътрешни обекти на Python"):
        CompiledTemplate(upload).render({})
    with pytest.raises(UnsafeTemplateError):
        render_with_docxtpl(upload, {})
    # A string's format method is the other classic way out of the template.
    via_format = make_docx(["{{ '{0.__class__}'.format(student) }}"])
    with pytest.raises(UnsafeTemplateError):
        CompiledTemplate(via_format).render({"student": "x"})


def test_file_that_is_not_a_docx(make_docx):
    problems = validate_upload(b"%PDF-1.7", LetterSchema)
    assert _codes(problems) == ["invalid_docx"]
    assert problems[0].message == "Файлът не е документ във формат .docx."
