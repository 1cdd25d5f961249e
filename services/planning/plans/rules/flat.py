"""A plan of another layout as drafts: sections and their numbered activities (issue 21, item 2).

Such a plan has no priority areas, goals or measures: each section becomes an area (numbered I, II …
in document order) with one unnamed goal, so the plan is stored and tracked like the seed's. A number
column numbers the activities ("1.", "2.3" as written, without the trailing dot); without one they
are numbered 1, 2, 3 … in document order. Rows before the first section form a section of their own.
"""

from __future__ import annotations

import re

from services.planning.plans.rules.model import PlanWarning
from services.planning.plans.rules.structure import ActivityDraft, Assembled, GoalDraft, PriorityDraft, to_roman
from services.planning.plans.rules.table import NUMBER, TEXT, Cell, TableRow

_NUMBER = re.compile(r"(?P<n>\d+(?:\.\d+)*)\.*")


def assemble_flat(rows: tuple[TableRow, ...], *, numbered: bool) -> Assembled:
    """Group the rows into sections and activities; every row ends up in the plan or in ``unparsed``."""
    priorities: list[PriorityDraft] = []
    warnings: list[PlanWarning] = []
    unparsed: list[TableRow] = []
    counter = 0
    for row in rows:
        if row.is_empty:
            continue
        if row.section:
            title = row.cells[TEXT] if row.cells[TEXT].paragraphs else row.cells[NUMBER]
            priorities.append(_section(title, row, len(priorities) + 1))
            continue
        if not row.cells[TEXT].paragraphs:
            unparsed.append(row)
            warnings.append(PlanWarning("unparsed_row", "редът няма текст на дейност; запазен е като невнесен",
                                        row.source))
            continue
        if not priorities:
            priorities.append(_section(Cell(), row, 1))
        counter += 1
        written = "".join(row.cells[NUMBER].plain.split())
        match = _NUMBER.fullmatch(written)
        number = match["n"] if match else ("" if numbered else str(counter))
        goal = priorities[-1].goals[0]
        goal.activities.append(ActivityDraft(row.cells[TEXT], [row], number=number, number_raw=row.cells[NUMBER].plain,
                                             level=1, cells=[Cell(), *row.cells[TEXT:]]))
    return Assembled(priorities, warnings, unparsed)


def _section(title: Cell, row: TableRow, ordinal: int) -> PriorityDraft:
    numeral = to_roman(ordinal)
    area = PriorityDraft(title, [row], numeral=numeral, ordinal=ordinal)
    area.goals.append(GoalDraft(Cell(), [row], number="1", number_raw=""))
    return area
