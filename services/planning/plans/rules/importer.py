"""Entry points of the annual-plan import: text (as in the seed), .docx, or an uploaded file.

Both sources give the same table rows, and the same rows give the same plan, so a plan imported
from Word equals the one imported from its text export (source line numbers aside).
"""

from __future__ import annotations

from datetime import date

from services.planning.plans.rules.docx_table import DocxReadError, read_docx_table
from services.planning.plans.rules.flat import assemble_flat
from services.planning.plans.rules.freeze import Freezer
from services.planning.plans.rules.layouts import SEED_COLUMNS, read_layout_text
from services.planning.plans.rules.model import ParsedPlan, PlanWarning, SchoolYear
from services.planning.plans.rules.structure import assemble
from services.planning.plans.rules.table import TableRead, read_text_table

#: encodings tried for an uploaded text file; Windows-1251 is what Bulgarian Office saves as "Text"
TEXT_ENCODINGS = ("utf-8-sig", "cp1251")
_ZIP_MAGIC = b"PK\x03\x04"


class PlanFormatError(ValueError):
    """The file holds no activities table at all (the message is for the person who uploaded it)."""


def parse_plan_text(text: str, *, school_year_start: int, school_year_end: date | None = None,
                    school_year_first_day: date | None = None) -> ParsedPlan:
    """The plan from its text/Markdown form: the tab-separated activities table of the seed.

    Parameters:
        text: the whole document; the table is found by its header, the rest is ignored.
        school_year_start: 2023 for the school year 2023/2024.
        school_year_end: what "Учебна 2023/2024 година" ends on; 30.06 of the ending year if not given.
        school_year_first_day: what it starts on; 15.09 (ЗПУО) if not given.
    """
    table = read_layout_text(text) or read_text_table(text)
    if not table.rows:
        raise PlanFormatError("В текста няма таблица с дейности (редове с колони, разделени с табулация).")
    return _plan(table, SchoolYear.of(school_year_start, end=school_year_end, first_day=school_year_first_day))


def parse_plan_docx(data: bytes, *, school_year_start: int, school_year_end: date | None = None,
                    school_year_first_day: date | None = None) -> ParsedPlan:
    """The plan from a Word document: a table with the seed's 8 columns, or another with its header row."""
    try:
        table = read_docx_table(data)
    except DocxReadError as exc:
        raise PlanFormatError(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from exc
    if not table.rows:
        raise PlanFormatError("В документа няма таблица с дейности с колоните на годишния план.")
    return _plan(table, SchoolYear.of(school_year_start, end=school_year_end, first_day=school_year_first_day))


def parse_plan_upload(data: bytes, *, filename: str, school_year_start: int, school_year_end: date | None = None,
                      school_year_first_day: date | None = None) -> ParsedPlan:
    """An uploaded file: a .docx by its content (a ZIP package), otherwise text in UTF-8 or Windows-1251."""
    dates = {"school_year_start": school_year_start, "school_year_end": school_year_end,
             "school_year_first_day": school_year_first_day}
    if data.startswith(_ZIP_MAGIC) or filename.casefold().endswith(".docx"):
        return parse_plan_docx(data, **dates)
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return parse_plan_text(text, **dates)
    raise PlanFormatError("Файлът не е текст в UTF-8 или Windows-1251, нито документ на Word (.docx).")


def _plan(table: TableRead, year: SchoolYear) -> ParsedPlan:
    layout = table.layout
    assembled = assemble(table.rows) if layout is None else assemble_flat(table.rows, numbered=layout.numbered)
    freezer = Freezer(year)
    priorities = freezer.priorities(assembled.priorities)
    warnings = [*table.warnings, *assembled.warnings, *freezer.warnings]
    if table.declared_school_year and table.declared_school_year != year.label:
        warnings.append(PlanWarning(
            "school_year_mismatch", f"в заглавието на плана е посочена учебна {table.declared_school_year} "
                                    f"година, а планът се внася за {year.label}"))
    if not any(goal.activities for area in priorities for goal in area.goals):
        warnings.append(PlanWarning("no_activities", "в таблицата не е намерена нито една дейност"))
    # row order reads like the document; warnings without a row (whole-plan ones) come first
    warnings.sort(key=lambda w: w.source.rows[0] if w.source and w.source.rows else 0)
    unparsed = tuple((row.source, tuple(cell.raw for cell in row.cells)) for row in assembled.unparsed)
    columns = layout.recognised() if layout is not None else SEED_COLUMNS
    return ParsedPlan(year, table.declared_school_year, priorities, tuple(warnings), unparsed, columns)
