"""Read the visible text back out of a .docx (извличане на текст), headers and tables included.

Used to prove that nothing was lost in rendering and to compare two renderers line by line.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def _block_lines(container, parent) -> Iterator[str]:
    # Walk the XML children in order so paragraphs and tables keep their reading order.
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent).text
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(Table(child, parent))


def _table_lines(table: Table) -> Iterator[str]:
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            # python-docx repeats a merged cell once per grid column; count it once.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(_block_lines(cell._tc, cell)))
        yield " | ".join(cells)


def docx_text(docx_bytes: bytes) -> str:
    """All text of the document: headers, body (paragraphs and table rows), footers."""
    document = Document(io.BytesIO(docx_bytes))
    lines: list[str] = []
    # A linked header has no part of its own; touching it would invent an empty one.
    for section in document.sections:
        if not section.header.is_linked_to_previous:
            lines.extend(_block_lines(section.header._element, section.header))
    lines.extend(_block_lines(document.element.body, document))
    for section in document.sections:
        if not section.footer.is_linked_to_previous:
            lines.extend(_block_lines(section.footer._element, section.footer))
    return "\n".join(lines)
