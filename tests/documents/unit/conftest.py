"""Fixtures of the documents domain-layer tests: shipped templates and a .docx maker."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pytest
from docx import Document

from services.documents.catalogue import TemplateSpec, shipped_templates
from services.documents.rendering import DocumentRenderer


@pytest.fixture(scope="session")
def templates() -> dict[str, TemplateSpec]:
    return {spec.key: spec for spec in shipped_templates()}


@pytest.fixture
def renderer() -> DocumentRenderer:
    return DocumentRenderer()


@pytest.fixture
def make_docx() -> Callable[..., bytes]:
    """Build a .docx whose paragraphs consist of exactly the given runs (as Word would split them)."""

    def build(*paragraphs: Sequence[str], table: Sequence[Sequence[str]] = ()) -> bytes:
        document = Document()
        for runs in paragraphs:
            paragraph = document.add_paragraph()
            for text in runs:
                paragraph.add_run(text)
        if table:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for row, values in zip(grid.rows, table, strict=True):
                for cell, text in zip(row.cells, values, strict=True):
                    cell.paragraphs[0].add_run(text)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    return build
