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

from services.planning.plans.rules.layouts import recognise
from services.planning.plans.rules.model import PlanWarning, SourceRef
from services.planning.plans.rules.table import COLUMNS, Cell, TableRead, TableRow, declared_school_year, fit_cells


class DocxReadError(ValueError):
    """The bytes are not a Word document we can open."""


def read_docx_table(data: bytes) -> TableRead:
    """The rows of the plan's activities table: the first table with the plan's header, in the seed's
    layout or another one (:mod:`layouts`)."""
    try:
        document = Document(BytesIO(data))
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocxReadError("файлът не е документ на Word (.docx)") from exc
    title = declared_school_year("\n".join(p.text for p in document.paragraphs))
    grids = [_grid(table) for table in document.tables]
    for grid in grids:
        for at, (_number, cells, _spanning) in enumerate(grid[:3]):
            layout = recognise(cells)
            if layout is not None and not layout.seed:
                rows = tuple(layout.row(number, cells, spanning=spanning) for number, cells, spanning in grid[at + 1:]
                             if recognise(cells) is None)
                return TableRead(rows, (), title, layout)
            if layout is not None:
                break
        rows, warnings = _fitted(grid)
        if any(row.is_header for row in rows[:3]):
            return TableRead(rows, warnings, title)
    for grid in grids:
        rows, warnings = _fitted(grid)
        if rows and len(rows[0].cells) >= COLUMNS:
            missing = PlanWarning("no_header", "таблицата няма заглавен ред; колоните са приети по реда на образеца",
                                  SourceRef((1,)))
            return TableRead(rows, (missing, *warnings), title)
    return TableRead((), (), title)


def _fitted(grid: list[tuple[int, list[Cell], bool]]) -> tuple[tuple[TableRow, ...], tuple[PlanWarning, ...]]:
    rows: list[TableRow] = []
    warnings: list[PlanWarning] = []
    for number, cells, _spanning in grid:
        fitted, warning = fit_cells(cells, SourceRef((number,)))
        rows.append(TableRow(number, fitted))
        if warning is not None:
            warnings.append(warning)
    return tuple(rows), tuple(warnings)


def _grid(table: Table) -> list[tuple[int, list[Cell], bool]]:
    """(row number, its cells on the layout grid, whether one cell spans the whole row) for each row."""
    grid = []
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
        spanning = any(tc.grid_span > 1 for tc in tr.tc_lst) and sum(1 for c in cells if c.paragraphs) == 1
        grid.append((number, cells, spanning))
    return grid
