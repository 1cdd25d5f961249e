"""Value objects of an imported annual plan (годишен план за дейността), spec annual-plan.md §2–§7.

Every normalised value keeps the cell's wording next to it (``raw``): the plan is a legal document
adopted by the pedagogical council, and people want to see what it says, not only what we made of it.
``raw`` is the cell's text without markup, paragraphs separated by "\\n" and page-break continuations
joined with a space; it is the same whether the plan came as text or as a .docx.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

#: ЗПУО: the school year starts on 15 September.
DEFAULT_FIRST_DAY = (9, 15)
#: The plan's own convention for the end of the school year (spec §4): 30 June of the ending year.
DEFAULT_END_DAY = (6, 30)


@dataclass(frozen=True)
class SchoolYear:
    """учебна година: the dates that phrases such as "Учебна 2023/2024 година" stand for."""

    start_year: int
    first_day: date
    end: date

    @classmethod
    def of(cls, start_year: int, *, end: date | None = None, first_day: date | None = None) -> SchoolYear:
        return cls(
            start_year=start_year,
            first_day=first_day or date(start_year, *DEFAULT_FIRST_DAY),
            end=end or date(start_year + 1, *DEFAULT_END_DAY),
        )

    @property
    def label(self) -> str:
        return f"{self.start_year}/{self.start_year + 1}"


class DeadlineKind(StrEnum):
    SCHOOL_YEAR = "school_year"  # Учебна 2023/2024 година
    BY = "by"  # До края на декември 2023 година
    ON = "on"  # 25 септември 2023 година
    PERIOD = "period"  # Септември – октомври 2023 година
    COMPOSITE = "composite"  # several paragraphs, each a deadline
    RELATIVE = "relative"  # Съгласно сроковете на програмата
    LEGAL_REF = "legal_ref"  # Съгл.ПМС №100/08.06. 2018 — the date in it is not a deadline
    UNKNOWN = "unknown"  # wording we could not read: a person enters the date
    NONE = "none"  # empty cell


class DeadlineStatus(StrEnum):
    DATED = "dated"
    NEEDS_DATE = "needs_date"
    NONE = "none"


@dataclass(frozen=True)
class Deadline:
    """срок за изпълнение. ``due`` is the last day of the (latest) period; ``start`` only for periods."""

    raw: str
    text: str
    kind: DeadlineKind
    start: date | None = None
    due: date | None = None
    milestones: tuple[date, ...] = ()
    parts: tuple[Deadline, ...] = ()
    #: words after a date that qualify it, e.g. "по график, съгласуван от РУО"
    qualifier: str = ""
    #: "before_school_year", "after_school_year", "other_school_year"
    flags: tuple[str, ...] = ()
    #: why a phrase gave no date, in words for the person who enters it ("повтаряща се дейност …")
    reason: str = ""

    @property
    def status(self) -> DeadlineStatus:
        if self.kind is DeadlineKind.NONE:
            return DeadlineStatus.NONE
        return DeadlineStatus.DATED if self.due is not None else DeadlineStatus.NEEDS_DATE


class UnitKind(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    OTHER = "other"
    NONE = "none"


@dataclass(frozen=True)
class Unit:
    """мерна единица: "Брой срещи" is a count of "срещи"; "% изпълнени дейности" a percent of them."""

    raw: str
    text: str
    kind: UnitKind
    counted: str = ""


class ValueKind(StrEnum):
    NUMBER = "number"
    PERCENT = "percent"
    RANGE = "range"
    TEXT = "text"
    NONE = "none"


@dataclass(frozen=True)
class Value:
    """текуща / целева стойност. ``number`` for number and percent, ``low``/``high`` for a range."""

    raw: str
    text: str
    kind: ValueKind
    number: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    #: a range written with "%" ("80-100%")
    percent: bool = False
    #: words after a percent: "100% обучени педагогически специалисти"
    qualifier: str = ""


@dataclass(frozen=True)
class Indicator:
    """индикатор за изпълнение: one unit with its values; a cell may name several units (VI/1.1)."""

    unit: Unit
    current: Value
    target: Value
    #: the deadline paragraph paired with this indicator, when the cell gives one per indicator
    deadline: Deadline | None = None


@dataclass(frozen=True)
class Responsible:
    """отговорник: one party named in the cell, ``role`` being a key of ``parties.RESPONSIBLE_PARTIES``."""

    role: str
    title: str
    subject: str | None = None
    external: bool = False
    known: bool = True


@dataclass(frozen=True)
class SourceRef:
    """Where a thing came from: 1-based rows of the table (headers counted) and, for text, file lines.

    Lines are left out of equality: the same table read from text and from a .docx is the same plan.
    """

    rows: tuple[int, ...]
    lines: tuple[int, ...] = field(default=(), compare=False)

    def describe(self) -> str:
        where = f"ред {self.rows[0]} от таблицата" if self.rows else "таблицата"
        return f"ред {self.lines[0]} от файла ({where})" if self.lines else where


@dataclass(frozen=True)
class PlanWarning:
    """Something the importer could not interpret, or a value a person should look at."""

    code: str
    text: str
    source: SourceRef | None = None

    @property
    def message(self) -> str:
        if self.source is None:
            return self.text
        where = self.source.describe()
        return f"{where[0].upper()}{where[1:]}: {self.text}"


@dataclass(frozen=True)
class Activity:
    """дейност (level 1, "1.1") or поддейност (level 2, "1.1.1"); ``key`` survives a re-import."""

    key: str
    priority: str
    goal_number: str
    number: str
    number_raw: str
    level: int
    parent_key: str | None
    text: str
    text_raw: str
    deadline: Deadline
    unit: Unit
    current: Value
    target: Value
    indicators: tuple[Indicator, ...]
    responsible_raw: str
    responsible: tuple[Responsible, ...]
    note: str
    source: SourceRef

    @property
    def responsible_roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(party.role for party in self.responsible))


@dataclass(frozen=True)
class Measure:
    """мярка: the "Мерки:" row of a goal (its text may hold several sentences)."""

    text: str
    text_raw: str
    source: SourceRef


@dataclass(frozen=True)
class Goal:
    """цел: numbered within its priority area; activities listed in document order."""

    key: str
    number: str
    number_raw: str
    text: str
    text_raw: str
    measures: tuple[Measure, ...]
    activities: tuple[Activity, ...]
    source: SourceRef


@dataclass(frozen=True)
class PriorityArea:
    """приоритетно направление I … VI of the activities table."""

    numeral: str
    ordinal: int
    title: str
    title_raw: str
    goals: tuple[Goal, ...]
    source: SourceRef


@dataclass(frozen=True)
class ParsedPlan:
    """The activities table of one annual plan, with everything the importer could not read."""

    school_year: SchoolYear
    #: the year written in the document's title ("ЗА УЧЕБНАТА 2023/2024 ГОДИНА"), if any
    declared_school_year: str | None
    priorities: tuple[PriorityArea, ...]
    warnings: tuple[PlanWarning, ...]
    #: rows kept verbatim because they fit nowhere (each has a warning)
    unparsed: tuple[tuple[SourceRef, tuple[str, ...]], ...] = ()
    #: (heading as written, what the importer took the column for), for the import preview
    columns: tuple[tuple[str, str], ...] = ()

    @property
    def goals(self) -> tuple[Goal, ...]:
        return tuple(goal for area in self.priorities for goal in area.goals)

    @property
    def activities(self) -> tuple[Activity, ...]:
        return tuple(activity for goal in self.goals for activity in goal.activities)

    def activity(self, key: str) -> Activity:
        for activity in self.activities:
            if activity.key == key:
                return activity
        raise KeyError(key)
