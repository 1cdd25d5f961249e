"""Plans as Word documents, built from the text forms kept in the repository (issue 21, item 4).

``three_column_docx`` writes a plan of another layout: „Дейност | Срок | Отговорник“ with section
rows merged across the table, as Word users make them. The seed-layout sample is written by
``seed_docx`` in ``tests/planning/unit/test_planning_docx.py``.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from docx import Document

FIXTURES = Path(__file__).resolve().parent / "fixtures"
THREE_COLUMN_TEXT = FIXTURES / "three_column_plan.txt"


def three_column_docx(text: str | None = None) -> bytes:
    """Title paragraphs, then the table: a tab-less line of the table is a section row spanning it."""
    lines = (text or THREE_COLUMN_TEXT.read_text(encoding="utf-8")).split("\n")
    start = next(i for i, line in enumerate(lines) if "\t" in line)
    document = Document()
    for line in lines[:start]:
        if line.strip():
            document.add_paragraph(line.strip())
    header = lines[start].split("\t")
    table = document.add_table(rows=0, cols=len(header))
    for line in (line for line in lines[start:] if line.strip()):
        cells = table.add_row().cells
        if "\t" not in line:
            merged = cells[0].merge(cells[-1])
            merged.text = line.strip()
            continue
        for cell, value in zip(cells, line.split("\t"), strict=True):
            cell.text = value
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
