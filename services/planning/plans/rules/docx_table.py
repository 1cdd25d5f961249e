"""The activities table read from a Word document (.docx), as the same rows the text gives.

Merged cells follow the layout grid: a horizontal span yields its text once and empty cells for the
other columns it covers, a vertical continuation is empty (its text belongs to the row above), so
every row has the 8 columns of the text format.
"""

from __future__ import annotations

from io import BytesIO
from zipfile import BadZipFile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell

from services.planning.plans.rules.model import PlanWarning, SourceRef
from services.planning.plans.rules.table import COLUMNS, Cell, TableRead, TableRow, declared_school_year, fit_cells


class DocxReadError(ValueError):
    """The bytes are not a Word document we can open."""


def read_docx_table(data: bytes) -> TableRead:
    """The rows of the plan's activities table: the first table with the plan's header."""
    try:
        document = Document(BytesIO(data))
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocxReadError("файлът не е документ на Word (.docx)") from exc
    title = declared_school_year("\n".join(p.text for p in document.paragraphs))
    tables = [_read(table) for table in document.tables]
    for rows, warnings in tables:
        if any(row.is_header for row in rows[:3]):
            return TableRead(rows, warnings, title)
    for rows, warnings in tables:
        if rows and len(rows[0].cells) >= COLUMNS:
            missing = PlanWarning("no_header", "таблицата няма заглавен ред; колоните са приети по реда на образеца",
                                  SourceRef((1,)))
            return TableRead(rows, (missing, *warnings), title)
    return TableRead((), (), title)


def _read(table: Table) -> tuple[tuple[TableRow, ...], tuple[PlanWarning, ...]]:
    rows: list[TableRow] = []
    warnings: list[PlanWarning] = []
    # python-docx's public row.cells repeats a merged cell's text in every column it covers,
    # which would copy a priority title into the deadline column; the grid elements say which is which.
    for number, tr in enumerate(table._tbl.tr_lst, start=1):
        cells: list[Cell] = [Cell() for _ in range(tr.grid_before)]
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                cells.append(Cell())
            else:
                paragraphs = (p.text.strip() for p in _Cell(tc, table).paragraphs)
                cells.append(Cell(tuple(p for p in paragraphs if p)))
            cells.extend(Cell() for _ in range(tc.grid_span - 1))
        fitted, warning = fit_cells(cells, SourceRef((number,)))
        rows.append(TableRow(number, fitted))
        if warning is not None:
            warnings.append(warning)
    return tuple(rows), tuple(warnings)
