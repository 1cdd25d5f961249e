"""Register numbers print once, in the rulebook's form (issue 20, point 1).

„№ 1058/14.09.2023 г.“ for an order, „Изх. № 318/02.10.2023 г.“ for a letter: every shipped
template is rendered from its example and the number is read back from the .docx text.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from services.documents.catalogue import DocumentKind, shipped_templates
from services.documents.rendering import DocumentRenderer, docx_text

#: A date written straight after another date: „3/06.12.2026/06.12.2026“.
DATE_TWICE = re.compile(r"\d{2}\.\d{2}\.\d{4}\s*/\s*\d{2}\.\d{2}\.\d{4}")
#: Every „№ …“ of a register: sequence, slash, date, „г.“.
REGISTER_NUMBER = re.compile(r"(?:Изх\. )?№ (\S+?)/(\d{2}\.\d{2}\.\d{4}) г\.")


def _day(iso: str) -> str:
    return f"{dt.date.fromisoformat(iso):%d.%m.%Y}"


def expected_numbers(spec) -> list[str]:
    """The numbers the example must print, each in the rulebook's form."""
    example = spec.example
    wanted = []
    if spec.is_order:
        wanted.append(f"№ {example['number']} г.")
    elif "number" in example and "issued_on" in example:
        wanted.append(f"№ {example['number']}/{_day(example['issued_on'])} г.")
    if "outgoing_number" in example:
        wanted.append(f"Изх. № {example['outgoing_number']}/{_day(example['sent_on'])} г.")
    if isinstance(example.get("order"), dict):
        wanted.append(f"№ {example['order']['number']} г.")
    # The list to ЗАС cites each ladder letter by its outgoing number.
    wanted += [f"Изх. № {row['notice_number']}/{_day(row['notified_on'])} г." for row in example.get("students", [])
               if isinstance(row, dict) and "notice_number" in row]
    return wanted


@pytest.mark.parametrize("spec", shipped_templates(), ids=lambda spec: spec.key)
def test_every_template_prints_its_numbers_once_in_the_rulebooks_form(spec):
    text = docx_text(DocumentRenderer().render(spec, spec.example))
    assert not DATE_TWICE.search(text), DATE_TWICE.search(text).group(0)
    for number in expected_numbers(spec):
        assert text.count(number) == 1, (number, text[:400])


def test_the_numbered_templates_are_all_checked():
    unnumbered = {spec.key for spec in shipped_templates() if not expected_numbers(spec)}
    # Every order, letter, certificate and list to ЗАС carries a number; a declaration or a parent's
    # application form (Чл. 61, ал. 1, т. 3–4), a report (the plan's, the class teacher's dropout report to
    # the director), an exam commission's protocol and the hearing's protocol (kept in the procedure's file,
    # Чл. 57, ал. 3) do not.
    declarations = {spec.key for spec in shipped_templates() if spec.kind is DocumentKind.DECLARATION}
    assert {"trip_consent_declaration", "excuse_application_form", "director_permission_form"} <= declarations
    assert unnumbered == declarations | {"plan_execution_report", "dropout_report", "term_exam_protocol",
                                         "correction_exam_protocol", "sanction_hearing_protocol"}
    assert REGISTER_NUMBER.search("Изх. № 318/02.10.2023 г.").groups() == ("318", "02.10.2023")
