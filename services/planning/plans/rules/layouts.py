"""Plans in other layouts (issue 21, item 2): the table found by its header row, whatever the columns.

Most schools keep their annual plan as a plain table, „№ | Дейност | Срок | Отговорник“, in any
order and with any extra columns. The header row says which column is which, through the names
schools use; a row spanning the table is a section („I. Организационна дейност“). Each row is
turned into the 8 cells of the seed's format, so the rest of the importer reads it unchanged;
a column we do not know keeps its text in the note, under its heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.planning.plans.rules.table import (
    COLUMNS,
    CURRENT,
    DEADLINE,
    NOTE,
    NUMBER,
    RESPONSIBLE,
    TARGET,
    TEXT,
    UNIT,
    Cell,
    TableRead,
    TableRow,
    cell_from_markup,
    declared_school_year,
)

#: the names schools give each column, casefolded, without punctuation; a heading that begins
#: with one of them ("Срок за изпълнение (дата)") counts as it
HEADER_NAMES: dict[int, tuple[str, ...]] = {
    NUMBER: ("№", "no", "n", "#", "№ по ред", "пореден номер", "номер"),
    TEXT: ("дейност", "дейности", "мероприятие", "мероприятия", "цели/мерки/дейности", "цели мерки дейности",
           "съдържание", "тема", "задача", "задачи", "наименование", "описание на дейността", "инициатива",
           "инициативи", "събитие", "събития"),
    DEADLINE: ("срок", "срокове", "срок за изпълнение", "срок на изпълнение", "време", "време на провеждане",
               "дата", "дата на провеждане", "период", "кога"),
    RESPONSIBLE: ("отговорник", "отговорници", "отговорно лице", "отговорни лица", "отговаря", "отговарят",
                  "изпълнител", "изпълнители", "отг", "отговорен"),
    NOTE: ("забележка", "забележки", "бележка", "бележки"),
    UNIT: ("мерна единица", "индикатор", "индикатори за изпълнение"),
    CURRENT: ("текуща стойност",),
    TARGET: ("целева стойност",),
}
#: what each column means, for the import preview
MEANINGS = {NUMBER: "номер", TEXT: "дейност", DEADLINE: "срок", RESPONSIBLE: "отговорник", NOTE: "забележка",
            UNIT: "мерна единица", CURRENT: "текуща стойност", TARGET: "целева стойност"}
#: the seed's columns (spec annual-plan.md §1), as the preview names them
SEED_COLUMNS = (("№", "номер"), ("Цели/мерки/дейности", "приоритет, цел, мярка или дейност"),
                ("Срок за изпълнение", "срок"), ("Мерна единица", "мерна единица"),
                ("Текуща стойност", "текуща стойност"), ("Целева стойност", "целева стойност"),
                ("Отговорник", "отговорник"), ("Забележка", "забележка"))
UNKNOWN_MEANING = "не е разпозната; текстът ѝ се пази в забележката"
_PUNCTUATION = re.compile(r"[\s.:;,()*]+")
_ROMAN = re.compile(r"(?:[IVXІХ]+|[ivx]+)\.?")
#: a section's title as schools write it in the activity column: "I. Организационна дейност", "РАЗДЕЛ 2"
_SECTION_TEXT = re.compile(r"^(?:[IVXІХ]+\.\s|раздел\b|част\b|направление\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Layout:
    """Which canonical column each of the table's columns is (None: not known), with their headings."""

    columns: tuple[int | None, ...]
    headings: tuple[str, ...]

    @property
    def seed(self) -> bool:
        """The seed's own layout, with indicator columns and hierarchy: read as before."""
        return any(column in (UNIT, CURRENT, TARGET) for column in self.columns)

    @property
    def numbered(self) -> bool:
        return NUMBER in self.columns

    def recognised(self) -> tuple[tuple[str, str], ...]:
        """(heading as written, what it was taken for) for each column, for the preview."""
        return tuple((heading, MEANINGS[column] if column is not None else UNKNOWN_MEANING)
                     for heading, column in zip(self.headings, self.columns, strict=True) if heading)

    def row(self, number: int, cells: list[Cell], *, spanning: bool = False, line: int | None = None) -> TableRow:
        """The row in the seed's 8 cells; a row that spans the table, or holds only a title, is a section."""
        canonical = [Cell() for _ in range(COLUMNS)]
        extras: list[str] = []
        for index, cell in enumerate(cells):
            column = self.columns[index] if index < len(self.columns) else None
            if column is None:
                if cell.paragraphs:
                    heading = self.headings[index] if index < len(self.headings) else ""
                    extras.append(f"{heading}: {cell.plain}" if heading else cell.plain)
            else:
                canonical[column] = canonical[column].joined(cell) if canonical[column].paragraphs else cell
        if extras:
            canonical[NOTE] = Cell((*canonical[NOTE].paragraphs, *extras))
        filled = [cell for cell in cells if cell.paragraphs]
        section = bool(filled) and ((spanning and len(filled) == 1) or self._titled(canonical, filled))
        if section:
            title = canonical[TEXT] if canonical[TEXT].paragraphs else filled[0]
            canonical = [Cell() for _ in range(COLUMNS)]
            canonical[TEXT] = title
        return TableRow(number, tuple(canonical), line, section=section)

    def _titled(self, canonical: list[Cell], filled: list[Cell]) -> bool:
        """A row with only a title: a Roman numeral in the № column, or one cell that reads as a section."""
        number = canonical[NUMBER].plain
        others = [c for i, c in enumerate(canonical) if i not in (NUMBER, TEXT) and c.paragraphs]
        if others:
            return False
        if number and _ROMAN.fullmatch(number):
            return True
        if len(filled) != 1:
            return False
        return (self.numbered and not number) or bool(_SECTION_TEXT.match(filled[0].plain))


def recognise(cells: list[Cell] | tuple[Cell, ...]) -> Layout | None:
    """The layout a header row gives, or None when the row is not a header (no activity column, or
    neither a deadline nor a responsible column)."""
    columns: list[int | None] = []
    for cell in cells:
        column = _column(cell.plain)
        columns.append(None if column in columns else column)
    if TEXT not in columns or not ({DEADLINE, RESPONSIBLE} & set(columns)):
        return None
    return Layout(tuple(columns), tuple(cell.plain for cell in cells))


def _column(heading: str) -> int | None:
    name = _PUNCTUATION.sub(" ", heading.casefold()).strip()
    if not name:
        return None
    best: tuple[int, int] | None = None
    for column, names in HEADER_NAMES.items():
        for known in names:
            fits = name == known or name.startswith((f"{known} ", f"{known}/"))
            if fits and (best is None or len(known) > best[1]):
                best = (column, len(known))
    return best[0] if best else None


def read_layout_text(text: str) -> TableRead | None:
    """The rows of a tab-separated plan whose header is not the seed's; None for the seed's or no header.

    A line without a tab between the table's rows is a row spanning the table: a section.
    """
    lines = [line.rstrip("\r").replace("\x0c", "") for line in text.lstrip("\ufeff").split("\n")]
    tabbed = [index for index, line in enumerate(lines) if "\t" in line]
    for index in tabbed:
        layout = recognise([cell_from_markup(cell) for cell in lines[index].split("\t")])
        if layout is None:
            continue
        if layout.seed:
            return None
        rows: list[TableRow] = []
        for at in range(index + 1, tabbed[-1] + 1):
            line = lines[at]
            if not line.strip():
                continue
            cells = [cell_from_markup(cell) for cell in line.split("\t")]
            if recognise(cells) is not None:
                continue  # the header again, on a new page
            rows.append(layout.row(len(rows) + 2, cells, spanning="\t" not in line, line=at + 1))
        return TableRead(tuple(rows), (), declared_school_year("\n".join(lines[:index])), layout)
    return None
