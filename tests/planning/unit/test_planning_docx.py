"""The same table read from a Word document gives the same plan as the text (issue 7, item 2).

On the project's sample plan (``services/planning/plans/samples``) everywhere; on the real seed plan
where ``../shared/seeds`` exists (the tests marked ``seed``).
"""

from __future__ import annotations

import html
import re
from io import BytesIO

import pytest
from docx import Document

from services.planning.plans.rules import PlanFormatError, parse_plan_docx, parse_plan_text, parse_plan_upload
from services.planning.plans.samples import SAMPLE_PLAN
from tests.support.seeds import seed_plan

_BLOCKS = re.compile(r"</?(?:p|ul|li)\b[^>]*>")
_RUNS = re.compile(r"(</?[bi]>)")
_PRIORITY = re.compile(r"(?:<b>)?[IVX]+\.(?:</b>)?")


def _fill(cell, markup: str) -> None:
    """Write one seed cell into a Word cell: one paragraph per <p>/<li>, bold and italic as runs."""
    pieces = [piece for piece in _BLOCKS.split(markup) if piece.strip()]
    for index, piece in enumerate(pieces):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        bold = italic = False
        for part in _RUNS.split(piece.strip()):
            if part in ("<b>", "</b>"):
                bold = part == "<b>"
            elif part in ("<i>", "</i>"):
                italic = part == "<i>"
            elif part:
                run = paragraph.add_run(html.unescape(part))
                run.bold, run.italic = bold, italic


def seed_docx(text: str) -> bytes:
    """The seed as a Word document: title paragraphs, then the table with merged header cells."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("№\t"))
    document = Document()
    for line in lines[:start]:
        if line.strip():
            document.add_paragraph(line.strip("#* "))
    table_lines = [line for line in lines[start:] if "\t" in line]
    table = document.add_table(rows=0, cols=8)
    for line in table_lines:
        cells = table.add_row().cells
        for cell, markup in zip(cells, line.split("\t"), strict=True):
            _fill(cell, markup)
    header, units = table.rows[0].cells, table.rows[1].cells
    header[3].merge(header[5])  # "Индикатори за изпълнение" spans the three indicator columns
    header[0].merge(units[0])  # "№" spans both header rows
    for row in table.rows[2:]:
        cells = row.cells
        if _PRIORITY.fullmatch(cells[0].text.strip()) and not any(c.text for c in cells[2:]):
            cells[1].merge(cells[7])  # a priority title across the whole row, as Word users do
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def sample_text() -> str:
    return SAMPLE_PLAN.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample_word(sample_text: str) -> bytes:
    return seed_docx(sample_text)


def test_docx_import_equals_text_import(sample_text: str, sample_word: bytes) -> None:
    from_text = parse_plan_text(sample_text, school_year_start=2023)
    from_docx = parse_plan_docx(sample_word, school_year_start=2023)
    assert from_docx == from_text
    assert len(from_docx.activities) == 22
    # equality leaves out where the rows were in the text file: a .docx has no lines
    assert from_text.activities[0].source.lines == (22,)
    assert from_docx.activities[0].source.lines == ()
    assert from_docx.activities[0].source.rows == from_text.activities[0].source.rows == (7,)


def test_merged_priority_title_does_not_leak_into_data_columns(sample_word: bytes) -> None:
    plan = parse_plan_docx(sample_word, school_year_start=2023)
    assert plan.priorities[0].title == "Обхват и задържане на учениците в училище"
    assert not [w for w in plan.warnings if w.code == "ignored_cell"]


def test_upload_picks_the_reader_by_content(sample_text: str, sample_word: bytes) -> None:
    by_upload = parse_plan_upload(sample_word, filename="plan.bin", school_year_start=2023)
    assert by_upload == parse_plan_text(sample_text, school_year_start=2023)
    as_cp1251 = parse_plan_upload(sample_text.encode("cp1251"), filename="plan.txt", school_year_start=2023)
    assert as_cp1251 == by_upload


@pytest.mark.seed
def test_seed_plan_from_word_equals_the_text_82_of_82() -> None:
    seed_text = seed_plan().read_text(encoding="utf-8")
    from_text = parse_plan_text(seed_text, school_year_start=2023)
    from_docx = parse_plan_docx(seed_docx(seed_text), school_year_start=2023)
    assert from_docx == from_text
    assert len(from_docx.activities) == 82
    assert from_text.activities[0].source.lines == (58,)
    assert from_docx.activities[0].source.rows == from_text.activities[0].source.rows == (7,)
    assert from_docx.priorities[0].title == ("Повишаване на обхвата и пълноценното включване на децата и "
                                             "учениците в образователния процес")
    assert not [w for w in from_docx.warnings if w.code == "ignored_cell"]
    # Windows-1251 has no "ѝ" (it occurs once, in II/1.6), so the export writes "?" in its place
    legacy = parse_plan_upload(seed_text.encode("cp1251", errors="replace"), filename="plan.txt",
                               school_year_start=2023)
    assert len(legacy.activities) == 82
    assert legacy.activities[0].text.startswith("Реализацията на дейностите")


def test_broken_or_tableless_documents_are_refused() -> None:
    with pytest.raises(PlanFormatError, match="не е документ на Word"):
        parse_plan_docx(b"PK\x03\x04 not really a zip", school_year_start=2023)
    document = Document()
    document.add_paragraph("Годишен план без таблица")
    buffer = BytesIO()
    document.save(buffer)
    with pytest.raises(PlanFormatError, match="няма таблица с дейности"):
        parse_plan_docx(buffer.getvalue(), school_year_start=2023)


def test_headerless_word_table_with_eight_columns_is_read_with_a_warning() -> None:
    document = Document()
    table = document.add_table(rows=0, cols=8)
    for line in ("I.\tНаправление", "1.\tЦел: Цел.", "\tМерки: Мярка.",
                 "1.1.\tДейност.\tДо края на май 2024 година\tБрой\t0\t1\tдиректор"):
        for cell, text in zip(table.add_row().cells, line.split("\t"), strict=False):
            cell.text = text
    buffer = BytesIO()
    document.save(buffer)
    plan = parse_plan_docx(buffer.getvalue(), school_year_start=2023)
    assert [w.code for w in plan.warnings] == ["no_header"]
    assert plan.activities[0].deadline.due.isoformat() == "2024-05-31"
