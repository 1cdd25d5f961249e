"""The activities table as rows of cells, read from the plan's text (spec §1, §3, §8.13–15).

A row is 8 cells (№, text, deadline, unit, current, target, responsible, note); a cell is a tuple
of paragraphs with the markup removed, so a text file and a .docx give the same rows.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from services.planning.plans.rules.model import PlanWarning, SourceRef

if TYPE_CHECKING:
    from services.planning.plans.rules.layouts import Layout

#: № | Цели/мерки/дейности | Срок | Мерна единица | Текуща | Целева | Отговорник | Забележка
COLUMNS = 8
NUMBER, TEXT, DEADLINE, UNIT, CURRENT, TARGET, RESPONSIBLE, NOTE = range(COLUMNS)

_HEADER_MARKERS = ("срок за изпълнение", "мерна единица", "текуща стойност", "целева стойност", "отговорник")
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|div|br)\b[^<>]*>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_DECLARED_YEAR = re.compile(r"учебната\s+(\d{4})\s*/\s*(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class Cell:
    paragraphs: tuple[str, ...] = ()

    @property
    def raw(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(p.split()) for p in self.paragraphs)

    def joined(self, continuation: Cell) -> Cell:
        """A page break cut the cell: its tail continues the last paragraph (spec §8.1)."""
        if not continuation.paragraphs:
            return self
        if not self.paragraphs:
            return continuation
        head, tail = self.paragraphs, continuation.paragraphs
        return Cell((*head[:-1], f"{head[-1]} {tail[0]}", *tail[1:]))


@dataclass(frozen=True)
class TableRow:
    row: int
    cells: tuple[Cell, ...]
    line: int | None = field(default=None, compare=False)
    #: a row spanning a table of another layout: the title of a section (раздел)
    section: bool = False

    @property
    def source(self) -> SourceRef:
        return SourceRef((self.row,), (self.line,) if self.line is not None else ())

    @property
    def is_empty(self) -> bool:
        return not any(cell.paragraphs for cell in self.cells)

    @property
    def is_header(self) -> bool:
        if self.cells and self.cells[NUMBER].plain == "№":
            return True
        joined = " ".join(cell.plain for cell in self.cells).casefold()
        return sum(marker in joined for marker in _HEADER_MARKERS) >= 2


@dataclass(frozen=True)
class TableRead:
    rows: tuple[TableRow, ...]
    warnings: tuple[PlanWarning, ...]
    declared_school_year: str | None
    #: the header's layout when it is not the seed's (a plain „Дейност | Срок | Отговорник“ table)
    layout: Layout | None = None


def cell_from_markup(text: str) -> Cell:
    """`<p>`/`<li>` blocks become paragraphs; `<b>`, `<i>` and entities are dropped."""
    paragraphs = []
    for block in _BLOCK_TAG.split(text):
        plain = html.unescape(_INLINE_TAG.sub("", block)).strip()
        if plain:
            paragraphs.append(plain)
    return Cell(tuple(paragraphs))


def fit_cells(cells: list[Cell], source: SourceRef) -> tuple[tuple[Cell, ...], PlanWarning | None]:
    """Exactly 8 cells: lost trailing empties are restored, surplus text goes to the note."""
    if len(cells) <= COLUMNS:
        return (*cells, *(Cell() for _ in range(COLUMNS - len(cells)))), None
    surplus = [cell for cell in cells[COLUMNS:] if cell.paragraphs]
    if not surplus:
        return tuple(cells[:COLUMNS]), None
    note = cells[NOTE]
    for cell in surplus:
        note = note.joined(cell)
    warning = PlanWarning(
        "extra_cells",
        f"редът има {len(cells)} клетки вместо {COLUMNS}; текстът от излишните е добавен към забележката",
        source,
    )
    return (*cells[:NOTE], note), warning


def declared_school_year(text: str) -> str | None:
    match = _DECLARED_YEAR.search(text)
    return f"{match.group(1)}/{match.group(2)}" if match else None


def read_text_table(text: str) -> TableRead:
    """The tab-separated rows of the first table in the plan's text, headers included."""
    lines = [line.rstrip("\r").replace("\x0c", "") for line in text.lstrip("\ufeff").split("\n")]
    tabbed = [index for index, line in enumerate(lines) if "\t" in line]
    if not tabbed:
        return TableRead((), (), declared_school_year(text))
    header = next((i for i in tabbed if _text_row(lines[i], 0, i + 1)[0].is_header), None)
    start = tabbed[0] if header is None else header
    warnings: list[PlanWarning] = []
    if header is None:
        warnings.append(PlanWarning("no_header", "таблицата няма заглавен ред; колоните са приети по реда на образеца",
                                    SourceRef((1,), (start + 1,))))
    rows: list[TableRow] = []
    last = tabbed[-1]
    for index in range(start, last + 1):
        line = lines[index]
        if "\t" in line:
            row, warning = _text_row(line, len(rows) + 1, index + 1)
            rows.append(row)
            if warning:
                warnings.append(warning)
        elif line.strip():
            warnings.append(PlanWarning(
                "outside_table", f"текстът „{line.strip()[:80]}“ е между редовете на таблицата и не е внесен",
                SourceRef((len(rows),) if rows else (), (index + 1,))))
    return TableRead(tuple(rows), tuple(warnings), declared_school_year("\n".join(lines[:start])))


def _text_row(line: str, number: int, line_no: int) -> tuple[TableRow, PlanWarning | None]:
    source = SourceRef((number,), (line_no,))
    cells, warning = fit_cells([cell_from_markup(cell) for cell in line.split("\t")], source)
    return TableRow(number, cells, line_no), warning
