"""Checked by eye, automatically: every template, rendered from its example, looks as its reviewed image.

Each template's example is rendered, printed to PDF by LibreOffice (all documents in one run) and
rasterised; every page is compared with ``references/<template>-p<page>.png`` (see ``look.py`` for
the threshold). A document with another number of pages than its reference fails, so does a page
that visibly differs; the diff image's path is in the failure. After a reviewed change of a layout,
``scripts/update_reference_images.py`` writes new references.

The second test proves the check can fail: templates broken on purpose (the signature pushed down
by blank paragraphs, the letterhead removed) are rendered in the same LibreOffice run.
"""

from __future__ import annotations

import dataclasses
import io

import pytest
from docx import Document as WordDocument

from services.documents.catalogue import TemplateSpec, shipped_templates
from services.documents.rendering import find_soffice
from tests.documents.visual import look

SPECS = {spec.key: spec for spec in shipped_templates()}
#: How many empty paragraphs push the absence letter's signature onto a second page.
PUSHED_DOWN = 25


def _edited(spec: TemplateSpec, name: str, edit) -> TemplateSpec:
    document = WordDocument(io.BytesIO(spec.docx_bytes))
    edit(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return dataclasses.replace(spec, key=f"{spec.key}--{name}", docx_bytes=buffer.getvalue())


def _push_signature_down(document) -> None:
    signature = next(p for p in document.paragraphs if p.text.startswith("Класен ръководител:"))
    for _ in range(PUSHED_DOWN):
        signature.insert_paragraph_before("")


def _remove_letterhead(document) -> None:
    for paragraph in document.sections[0].header.paragraphs:
        for run in paragraph.runs:
            run.text = ""


#: Templates broken on purpose, each named ``<template>--<how>`` and compared with ``<template>``'s references.
BROKEN = {
    "absence_letter--signature-on-page-2": ("absence_letter", "signature-on-page-2", _push_signature_down),
    "sanction_order_remark--no-letterhead": ("sanction_order_remark", "no-letterhead", _remove_letterhead),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, list]:
    """Every template's example and every broken copy, through one LibreOffice run, as page images."""
    assert find_soffice() is not None, "LibreOffice is missing: run `make system-deps`"
    specs = [*SPECS.values(), *(_edited(SPECS[key], how, edit) for key, how, edit in BROKEN.values())]
    pdfs = look.to_pdfs(look.example_documents(specs), tmp_path_factory.mktemp("soffice-profile"))
    return {key: look.rasterise(pdf) for key, pdf in pdfs.items()}


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory):
    return tmp_path_factory.mktemp("visual-diffs")


@pytest.mark.parametrize("key", sorted(SPECS))
def test_every_template_looks_as_its_reviewed_reference(rendered, artifacts, key):
    problems = look.differences(key, rendered[key], artifacts)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_template_broken_on_purpose_fails_the_check_and_passes_restored(rendered, artifacts, broken):
    key = BROKEN[broken][0]
    problems = look.differences(key, rendered[broken], artifacts / "broken-on-purpose")
    assert problems, f"{broken} passed the visual check"
    diff = artifacts / "broken-on-purpose" / f"{key}-p1-diff.png"
    assert diff.exists(), problems  # the reviewer gets the picture of what changed
    assert not look.differences(key, rendered[key], artifacts)  # the template as shipped passes again
