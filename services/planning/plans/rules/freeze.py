"""Drafts to the frozen plan: cell values normalised, natural keys given, doubtful values reported."""

from __future__ import annotations

import hashlib
from collections import Counter

from services.planning.plans.rules.deadlines import resolve_deadline
from services.planning.plans.rules.model import (
    Activity,
    Deadline,
    DeadlineKind,
    Goal,
    Indicator,
    Measure,
    PlanWarning,
    PriorityArea,
    SchoolYear,
    SourceRef,
    UnitKind,
)
from services.planning.plans.rules.repair import collapse
from services.planning.plans.rules.responsible import parse_responsible
from services.planning.plans.rules.structure import ActivityDraft, GoalDraft, PriorityDraft, label_rest
from services.planning.plans.rules.table import CURRENT, DEADLINE, NOTE, RESPONSIBLE, TARGET, TEXT, UNIT, Cell
from services.planning.plans.rules.values import parse_unit, parse_value

#: hex digits of the text digest in an activity key: enough to tell apart two activities that share
#: a number (II/1.9), short enough to read
KEY_DIGEST_BYTES = 5


def activity_key(priority: str, number: str, text: str) -> str:
    """"II/1.9/3f2a9c1b07": stable across re-imports as long as the wording stays (case and spacing aside)."""
    digest = hashlib.blake2b(collapse(text).casefold().encode(), digest_size=KEY_DIGEST_BYTES).hexdigest()
    return f"{priority}/{number}/{digest}"


class Freezer:
    def __init__(self, year: SchoolYear) -> None:
        self.year = year
        self.warnings: list[PlanWarning] = []
        self._keys: Counter[str] = Counter()

    def priorities(self, drafts: list[PriorityDraft]) -> tuple[PriorityArea, ...]:
        return tuple(
            PriorityArea(area.numeral, area.ordinal, area.cell.plain, area.cell.raw,
                         tuple(self._goal(area.numeral, goal) for goal in area.goals), area.source)
            for area in drafts
        )

    def _unique(self, key: str) -> str:
        self._keys[key] += 1
        return key if self._keys[key] == 1 else f"{key}~{self._keys[key]}"

    def _goal(self, numeral: str, goal: GoalDraft) -> Goal:
        keys: dict[int, str] = {}
        activities = []
        for draft in goal.activities:
            activity = self._activity(numeral, goal.number, draft, keys.get(id(draft.parent)))
            keys[id(draft)] = activity.key
            activities.append(activity)
        measures = tuple(Measure(label_rest(m.cell), m.cell.raw, m.source) for m in goal.measures)
        return Goal(self._unique(f"{numeral}/{goal.number}"), goal.number, goal.number_raw, label_rest(goal.cell),
                    goal.cell.raw, measures, tuple(activities), goal.source)

    def _activity(self, numeral: str, goal_number: str, draft: ActivityDraft, parent_key: str | None) -> Activity:
        cells = draft.cells
        text = "\n".join(collapse(p) for p in cells[TEXT].paragraphs)
        key = self._unique(activity_key(numeral, draft.number, text))
        deadline = resolve_deadline(cells[DEADLINE].raw, school_year_start=self.year.start_year,
                                    school_year_end=self.year.end, school_year_first_day=self.year.first_day)
        unit, current, target = parse_unit(cells[UNIT].raw), parse_value(cells[CURRENT].raw), \
            parse_value(cells[TARGET].raw)
        activity = Activity(
            key=key, priority=numeral, goal_number=goal_number, number=draft.number, number_raw=draft.number_raw,
            level=draft.level, parent_key=parent_key, text=text, text_raw=cells[TEXT].raw, deadline=deadline,
            unit=unit, current=current, target=target, indicators=_indicators(cells, deadline),
            responsible_raw=cells[RESPONSIBLE].raw, responsible=parse_responsible(cells[RESPONSIBLE].raw),
            note=cells[NOTE].plain, source=draft.source,
        )
        self._check(activity)
        return activity

    def _check(self, activity: Activity) -> None:
        name = f"дейност {activity.priority}/{activity.number}"
        deadline = activity.deadline
        for part in deadline.parts or (deadline,):
            if part.kind is DeadlineKind.UNKNOWN:
                why = f" ({part.reason})" if part.reason else ""
                self._warn("deadline_unknown", f"срокът „{part.text}“ на {name} не е разпознат{why}; "
                                               "датата трябва да се въведе ръчно", activity.source)
        if deadline.due is not None and "before_school_year" in deadline.flags:
            self._warn("deadline_before_year", f"срокът на {name} ({deadline.due:%d.%m.%Y}) е преди началото на "
                                               f"учебната година ({self.year.first_day:%d.%m.%Y})", activity.source)
        if deadline.due is not None and "after_school_year" in deadline.flags:
            self._warn("deadline_after_year", f"срокът на {name} ({deadline.due:%d.%m.%Y}) е след края на "
                                              f"учебната година ({self.year.end:%d.%m.%Y})", activity.source)
        for indicator in activity.indicators:
            if indicator.unit.kind is UnitKind.OTHER:
                self._warn("unit_unknown", f"мерната единица „{indicator.unit.text}“ на {name} не е "
                                           "„Брой …“ или „% …“; запазена е като текст", activity.source)
        for party in activity.responsible:
            if not party.known:
                self._warn("responsible_unknown", f"отговорникът „{party.title}“ на {name} не е разпознат; "
                                                  "запазен е като текст", activity.source)

    def _warn(self, code: str, text: str, source: SourceRef) -> None:
        self.warnings.append(PlanWarning(code, text, source))


def _indicators(cells: list[Cell], deadline: Deadline) -> tuple[Indicator, ...]:
    """One indicator per unit paragraph (VI/1.1 has two); a single value applies to each of them."""
    units = cells[UNIT].paragraphs or ("",)
    if len(units) == 1 and not (cells[UNIT].paragraphs or cells[CURRENT].paragraphs or cells[TARGET].paragraphs):
        return ()
    count = len(units)
    currents, targets = _spread(cells[CURRENT], count), _spread(cells[TARGET], count)
    deadlines: tuple[Deadline | None, ...] = (
        deadline.parts if count > 1 and len(deadline.parts) == count else (None,) * count)
    return tuple(
        Indicator(parse_unit(unit), parse_value(current), parse_value(target), part)
        for unit, current, target, part in zip(units, currents, targets, deadlines, strict=True)
    )


def _spread(cell: Cell, count: int) -> tuple[str, ...]:
    if count > 1 and len(cell.paragraphs) == count:
        return cell.paragraphs
    return (cell.raw,) * count
