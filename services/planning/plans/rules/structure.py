"""Table rows to the plan's hierarchy: priority area → goal → measure → activity → sub-activity.

Spec annual-plan.md §2 and the row hazards of §8: page-break continuation rows, labels in the №
column, odd numbering ("1.2..", "5.1", "<b>1.</b>", "5"), duplicate numbers, rows that fit nowhere.
Identity is position, not number: "1.1" recurs in every area and II/1.9 occurs twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from services.planning.plans.rules.model import PlanWarning, SourceRef
from services.planning.plans.rules.table import COLUMNS, DEADLINE, NUMBER, TEXT, Cell, TableRow

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN = re.compile(r"(?P<n>[IVXLC]+)\.?")
#: Cyrillic letters a converter may put in place of Latin numerals
_CONFUSABLES = str.maketrans({"І": "I", "Х": "X", "С": "C"})
_GOAL_NUMBER = re.compile(r"(?P<n>\d+)\.*")
_ACTIVITY_NUMBER = re.compile(r"(?P<n>\d+(?:\.\d+)+)\.*")
_LABEL = re.compile(r"(?P<label>цели|цел|мерки|мярка|мерка|дейности|дейност)\s*:\s*(?P<rest>.*)",
                    re.IGNORECASE | re.DOTALL)
_LABEL_KINDS = {"цел": "goal", "цели": "goal", "мерки": "measure", "мярка": "measure", "мерка": "measure",
                "дейности": "activities", "дейност": "activities"}
COLUMN_NAMES = ("№", "Цели/мерки/дейности", "Срок за изпълнение", "Мерна единица", "Текуща стойност",
                "Целева стойност", "Отговорник", "Забележка")


@dataclass
class _Draft:
    cell: Cell
    rows: list[TableRow]

    @property
    def source(self) -> SourceRef:
        return SourceRef(tuple(r.row for r in self.rows), tuple(r.line for r in self.rows if r.line is not None))


@dataclass
class ActivityDraft(_Draft):
    number: str = ""
    number_raw: str = ""
    level: int = 1
    parent: ActivityDraft | None = None
    cells: list[Cell] = field(default_factory=list)


@dataclass
class GoalDraft(_Draft):
    number: str = ""
    number_raw: str = ""
    text: str = ""
    measures: list[_Draft] = field(default_factory=list)
    activities: list[ActivityDraft] = field(default_factory=list)


@dataclass
class PriorityDraft(_Draft):
    numeral: str = ""
    ordinal: int = 0
    goals: list[GoalDraft] = field(default_factory=list)


@dataclass
class Assembled:
    priorities: list[PriorityDraft]
    warnings: list[PlanWarning]
    unparsed: list[TableRow]


def assemble(rows: tuple[TableRow, ...]) -> Assembled:
    """Group the table's rows into drafts; every row ends up in the plan or in ``unparsed``."""
    assembler = _Assembler()
    for row in rows:
        assembler.feed(row)
    return Assembled(assembler.priorities, assembler.warnings, assembler.unparsed)


def label_rest(cell: Cell) -> str:
    """The cell's text without its "Цел:"/"Мерки:" label."""
    match = _LABEL.fullmatch(cell.plain)
    return match["rest"].strip() if match else cell.plain


class _Assembler:
    def __init__(self) -> None:
        self.priorities: list[PriorityDraft] = []
        self.warnings: list[PlanWarning] = []
        self.unparsed: list[TableRow] = []
        self._goal: GoalDraft | None = None
        #: what a continuation row without № and label belongs to
        self._open: _Draft | None = None

    def warn(self, code: str, text: str, row: TableRow) -> None:
        self.warnings.append(PlanWarning(code, text, row.source))

    def reject(self, row: TableRow, reason: str) -> None:
        self.unparsed.append(row)
        self.warn("unparsed_row", f"{reason}; редът е запазен като невнесен", row)

    def feed(self, row: TableRow) -> None:
        if row.is_empty or row.is_header:
            return
        number = "".join(row.cells[NUMBER].plain.split())
        text = row.cells[TEXT]
        if number and not _is_number(number):
            if not _LABEL.fullmatch(row.cells[NUMBER].plain):
                self.reject(row, f"номерът „{row.cells[NUMBER].plain}“ не е разпознат")
                return
            # a label or a measure written in the № column (spec §8.6)
            text, number = row.cells[NUMBER].joined(text), ""
        label = _LABEL.fullmatch(text.plain)
        kind = _LABEL_KINDS[label["label"].casefold()] if label else None
        roman, goal_number = _ROMAN.fullmatch(number.translate(_CONFUSABLES)), _GOAL_NUMBER.fullmatch(number)
        if roman:
            self._priority(row, roman["n"], text)
        elif goal_number or (not number and kind == "goal"):
            self._goal_row(row, goal_number["n"] if goal_number else "", text, kind)
        elif match := _ACTIVITY_NUMBER.fullmatch(number):
            self._activity(row, match["n"], number, text)
        elif kind == "measure":
            self._measure(row, text)
        elif kind == "activities":
            self._open = None
            self._data_only_in_activities(row, "реда „Дейности:“")
            if label and label["rest"].strip():
                self.reject(row, f"след „{label['label']}:“ има текст без номер на дейност")
        else:
            self._continuation(row)

    def _priority(self, row: TableRow, numeral: str, text: Cell) -> None:
        ordinal = _roman_value(numeral)
        if ordinal != len(self.priorities) + 1:
            self.warn("priority_order", f"приоритетното направление {numeral} не следва поредността "
                                        f"(очаква се {to_roman(len(self.priorities) + 1)})", row)
        self._data_only_in_activities(row, f"реда на приоритет {numeral}")
        area = PriorityDraft(text, [row], numeral=numeral, ordinal=ordinal)
        self.priorities.append(area)
        self._goal, self._open = None, area

    def _goal_row(self, row: TableRow, digits: str, text: Cell, kind: str | None) -> None:
        if not self.priorities:
            self.reject(row, "целта е преди първото приоритетно направление")
            return
        goals = self.priorities[-1].goals
        expected = str(len(goals) + 1)
        number = str(int(digits)) if digits else expected
        if kind != "goal":
            self.warn("goal_label", f"редът с номер „{row.cells[NUMBER].plain}“ не започва с „Цел:“; "
                                    "приет е като цел", row)
        if not digits:
            self.warn("goal_number_missing", f"целта няма номер; дадено ѝ е поредният номер {expected}", row)
        elif number != expected:
            self.warn("goal_order", f"цел {digits} не следва поредността (очаква се {expected})", row)
        self._data_only_in_activities(row, f"реда на цел {number}")
        self._goal = GoalDraft(text, [row], number=number, number_raw=row.cells[NUMBER].plain)
        goals.append(self._goal)
        self._open = self._goal

    def _measure(self, row: TableRow, text: Cell) -> None:
        if self._goal is None:
            self.reject(row, "мярката („Мерки:“) е преди първата цел")
            return
        self._data_only_in_activities(row, "реда „Мерки:“")
        measure = _Draft(text, [row])
        self._goal.measures.append(measure)
        self._open = measure

    def _activity(self, row: TableRow, digits: str, number_raw: str, text: Cell) -> None:
        goal = self._goal
        if goal is None:
            self.reject(row, f"дейност {digits} е преди първата цел")
            return
        segments = [str(int(s)) for s in digits.split(".")]
        number = ".".join(segments)
        if segments[0] != goal.number:
            self.warn("activity_goal_mismatch",
                      f"номерът на дейност {number} не започва с номера на цел {goal.number}", row)
        if any(a.number == number for a in goal.activities):
            self.warn("duplicate_number", f"номер {number} се повтаря в цел {goal.number}; "
                                          "дейностите са запазени поотделно", row)
        parent = None
        if len(segments) > 2:
            prefix = ".".join(segments[:-1])
            parent = next((a for a in reversed(goal.activities) if a.number == prefix), None)
            if parent is None:
                self.warn("parent_missing", f"дейност {number} няма дейност {prefix} над себе си", row)
        cells = [Cell(), text, *row.cells[TEXT + 1:]]
        draft = ActivityDraft(text, [row], number=number, number_raw=number_raw, level=len(segments) - 1,
                              parent=parent, cells=cells)
        goal.activities.append(draft)
        self._open = draft

    def _continuation(self, row: TableRow) -> None:
        """A row the page break cut off: its cells continue the row above (spec §8.1)."""
        target = self._open
        if target is None:
            self.reject(row, "ред без номер и без „Цел:“, „Мерки:“ или „Дейности:“ не може да бъде отнесен")
            return
        target.rows.append(row)
        if isinstance(target, ActivityDraft):
            target.cells = [cell.joined(extra) for cell, extra in zip(target.cells, row.cells, strict=True)]
            target.cell = target.cells[TEXT]
            return
        target.cell = target.cell.joined(row.cells[TEXT])
        self._data_only_in_activities(row, "продължението на реда")

    def _data_only_in_activities(self, row: TableRow, what: str) -> None:
        for column in range(DEADLINE, COLUMNS):
            if row.cells[column].paragraphs:
                self.warn("ignored_cell", f"колона „{COLUMN_NAMES[column]}“ на {what} съдържа "
                                          f"„{row.cells[column].plain}“, което не е отнесено към дейност", row)


def _is_number(number: str) -> bool:
    return bool(_ROMAN.fullmatch(number.translate(_CONFUSABLES)) or _GOAL_NUMBER.fullmatch(number)
                or _ACTIVITY_NUMBER.fullmatch(number))


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def to_roman(value: int) -> str:
    out = ""
    for symbol, amount in (("C", 100), ("XC", 90), ("L", 50), ("XL", 40), ("X", 10), ("IX", 9),
                           ("V", 5), ("IV", 4), ("I", 1)):
        count, value = divmod(value, amount)
        out += symbol * count
    return out
