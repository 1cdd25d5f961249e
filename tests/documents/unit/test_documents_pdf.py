"""PDF through LibreOffice: real conversion when soffice exists, a clear error when it does not."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from services.documents.rendering import PdfConverter, PdfUnavailableError, find_soffice


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_missing_libreoffice_is_explained_in_bulgarian(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    converter = PdfConverter()
    assert not converter.available()
    with pytest.raises(PdfUnavailableError, match="LibreOffice \\(soffice\\) не е инсталиран"):
        converter.convert(b"PK")


def test_batch_conversion_keeps_the_text_and_starts_soffice_once(renderer, templates, tmp_path):
    spec_order, spec_letter = templates["sanction_order_remark"], templates["absence_letter"]
    documents = [renderer.render(spec, spec.example) for spec in (spec_order, spec_letter)]
    converter = PdfConverter(profile_dir=tmp_path / "profile")
    if find_soffice() is None:
        with pytest.raises(PdfUnavailableError):
            converter.convert_many(documents)
        return
    order_pdf, letter_pdf = converter.convert_many(documents)
    assert converter.launches == 1
    order_text, letter_text = _pdf_text(order_pdf), _pdf_text(letter_pdf)
    assert "1058/14.12.2023" in order_text
    assert "забележка" in order_text
    assert "Административнопроцесуалния" in order_text
    assert "УВЕДОМИТЕЛНО ПИСМО" in letter_text
    assert "Петков & Мария" in letter_text
    # The same profile is reused: a second batch is one more launch, not one per document.
    converter.convert(documents[0])
    assert converter.launches == 2


def test_every_shipped_template_renders_and_opens_in_libreoffice(renderer, templates, tmp_path):
    """The examples carry the seed school's data (ПГРКК, Русе); LibreOffice must open every document."""
    assert find_soffice() is not None, "LibreOffice is missing: run `make system-deps`"
    specs = sorted(templates.values(), key=lambda spec: spec.key)
    converter = PdfConverter(profile_dir=tmp_path / "profile")
    pdfs = converter.convert_many([renderer.render(spec, spec.example) for spec in specs])
    assert converter.launches == 1
    for spec, pdf in zip(specs, pdfs, strict=True):
        text = _pdf_text(pdf)
        assert "речно корабостроене" in text, spec.key
