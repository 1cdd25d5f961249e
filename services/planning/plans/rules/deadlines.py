"""Deadline phrases (срок за изпълнение) to dates, spec annual-plan.md §4.

A phrase we cannot read, or one that points elsewhere ("Съгласно сроковете на програмата",
"Съгл.ПМС №100/08.06. 2018"), keeps its text and gets no date: a wrong date in a tracker is worse
than a missing one, because nobody looks at an item that seems to be scheduled.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date

from services.planning.plans.rules.model import Deadline, DeadlineKind, SchoolYear
from services.planning.plans.rules.phrasing import (
    REASON_LEGAL,
    REASON_NO_PART,
    REASON_RELATIVE,
    normalise,
    reason_undated,
)
from services.planning.plans.rules.repair import MONTH_PATTERN, MONTHS, collapse, repair, repair_cell

_YEAR_WORD = r"(?:\s*(?:година|год\.|г\.|г\b))?"
_DASH = r"\s*[–—-]\s*"


def _month(name: str) -> str:
    return rf"(?P<{name}>{MONTH_PATTERN})"


def _year(name: str) -> str:
    return rf"(?:\s+(?P<{name}>\d{{4}}))?{_YEAR_WORD}"


def _day(name: str) -> str:
    return rf"(?P<{name}>\d{{1,2}})"


#: "12.03.2024 г."; without a year ("17.09.", "15.09") the school year decides it
_NUMERIC = r"(?P<{d}>\d{{1,2}})\.(?:(?P<{m}>\d{{1,2}})\.\s?(?P<{y}>\d{{4}}){yw}|(?P<{m}_>\d{{2}}|\d(?=\.))\.?)"
_NUM1 = _NUMERIC.format(d="d1", m="n1", y="y1", yw=_YEAR_WORD)
_NUM2 = _NUMERIC.format(d="d2", m="n2", y="y2", yw=_YEAR_WORD)
_WHOLE_YEAR = (r"(?:(?:през|в\s+рамките\s+на|в\s+течение\s+на)\s+(?:цялата\s+)?учебната\s+година"
               r"|целогодишно|през\s+цялата\s+година)")
#: words after the date that qualify it but carry no date of their own
_REST = r"(?:\s*[,;]?\s+(?P<rest>[^\d]+?))?\.?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern + _REST, re.IGNORECASE))
    for name, pattern in (
        ("school_year", rf"(?:през\s+)?учебна(?:та)?\s+(?P<y1>\d{{4}})\s*/\s*(?P<y2>\d{{2,4}}){_YEAR_WORD}"),
        ("school_year", rf"(?:през\s+)?(?P<y1>\d{{4}})\s*/\s*(?P<y2>\d{{2,4}})\s*(?:уч\.|учебна(?:та)?)?{_YEAR_WORD}"),
        ("whole_year", _WHOLE_YEAR),
        ("year_end", r"до\s+края\s+на\s+учебната(?:\s+\d{4}\s*/\s*\d{2,4})?\s+година"),
        ("month_end", rf"до\s+края\s+на\s+(?:месец\s+)?{_month('m2')}{_year('y2')}"),
        ("month_start", rf"до\s+началото\s+на\s+(?:месец\s+)?{_month('m2')}{_year('y2')}"),
        ("by_day", rf"до\s+{_day('d2')}\s+{_month('m2')}{_year('y2')}"),
        ("by_day", rf"до\s+{_NUM2}"),
        ("days", rf"{_day('d1')}\s+{_month('m1')}{_year('y1')}{_DASH}{_day('d2')}\s+{_month('m2')}{_year('y2')}"),
        ("days", rf"{_NUM1}{_DASH}{_NUM2}"),
        ("months", rf"{_month('m1')}{_year('y1')}{_DASH}{_month('m2')}{_year('y2')}"),
        ("on_day", rf"{_day('d2')}\s+{_month('m2')}{_year('y2')}"),
        ("on_day", _NUM2),
        ("month", rf"(?:през\s+)?(?:месец\s+)?{_month('m2')}{_year('y2')}"),
    )
)
_LEGAL = re.compile(r"ПМС|РМС|постановление|наредба|закон|ЗПУО|заповед|правилник|\bчл\.|№", re.IGNORECASE)
_RELATIVE = re.compile(r"^(?:съгласно|съгл\.?|съобразно|според|в\s+зависимост|по\s+график|при\s+необходимост)\b",
                       re.IGNORECASE)
#: what joins two deadlines in one phrase ("септември и февруари", "15.09.2023 г.; 15.02.2024 г.")
_SEPARATORS = re.compile(r"\s*[;,]\s*|\s+и\s+")
_KIND = {"school_year": DeadlineKind.SCHOOL_YEAR, "whole_year": DeadlineKind.SCHOOL_YEAR,
         "year_end": DeadlineKind.BY, "month_end": DeadlineKind.BY,
         "month_start": DeadlineKind.BY, "by_day": DeadlineKind.BY, "on_day": DeadlineKind.ON,
         "days": DeadlineKind.PERIOD, "months": DeadlineKind.PERIOD, "month": DeadlineKind.PERIOD}


def resolve_deadline(phrase: str, *, school_year_start: int, school_year_end: date,
                     school_year_first_day: date | None = None) -> Deadline:
    """The dates a deadline cell stands for; paragraphs ("\\n") are the parts of a composite deadline.

    Parameters:
        phrase: the cell's wording, debris and all ("Септемвр и – октомври 2023 година").
        school_year_start: the year the school year begins (2023 for 2023/2024).
        school_year_end: what "Учебна 2023/2024 година" ends on: 30.06.2024 in this plan, a school
            may prefer the last day of classes.
        school_year_first_day: what it starts on; 15 September by law (ЗПУО) when not given.
    """
    year = SchoolYear.of(school_year_start, end=school_year_end, first_day=school_year_first_day)
    paragraphs = [(raw, repair(raw)) for raw in phrase.split("\n") if repair(raw)]
    text = repair_cell(phrase)
    if not paragraphs:
        return Deadline(phrase, "", DeadlineKind.NONE)
    if len(paragraphs) == 1:
        return _flagged(_resolve_one(paragraphs[0][1], year, raw=phrase), year)
    parts = tuple(_flagged(_resolve_one(fixed, year, raw=raw), year) for raw, fixed in paragraphs)
    if any(part.kind is DeadlineKind.UNKNOWN for part in parts):
        # a line break inside one phrase ("До края на октомври" / "2023 година"), not two deadlines
        whole = _resolve_one(text, year, raw=phrase)
        if whole.kind is not DeadlineKind.UNKNOWN:
            return _flagged(whole, year)
    dues = sorted(part.due for part in parts if part.due is not None)
    if not dues:
        return Deadline(phrase, text, DeadlineKind.COMPOSITE, parts=parts, reason=REASON_NO_PART)
    starts = [part.start or part.due for part in parts if part.due is not None]
    composite = Deadline(phrase, text, DeadlineKind.COMPOSITE, start=min(d for d in starts if d), due=dues[-1],
                         milestones=tuple(sorted(set(dues[:-1]))), parts=parts)
    return _flagged(composite, year)


def _resolve_one(text: str, year: SchoolYear, *, raw: str) -> Deadline:
    # Legal references first: "Съгл.ПМС №100/08.06. 2018" holds a date that is not a deadline.
    if _LEGAL.search(text):
        return Deadline(raw, text, DeadlineKind.LEGAL_REF, reason=REASON_LEGAL)
    if _RELATIVE.search(text):
        return Deadline(raw, text, DeadlineKind.RELATIVE, reason=REASON_RELATIVE)
    spelled, remark = normalise(text)
    found = _match(spelled, year, raw=raw, text=text, remark=remark)
    if found is not None:
        return found
    # "15.09.2023 г. и 15.02.2024 г.": two deadlines in one phrase, kept both only if each is a date
    pieces = [piece for piece in _SEPARATORS.split(spelled) if piece]
    if len(pieces) > 1:
        parts = [_match(piece, year, raw=piece, text=piece, remark="") for piece in pieces]
        if all(part is not None for part in parts):
            dated = [part for part in parts if part is not None]
            dues = sorted({part.due for part in dated if part.due})
            return Deadline(raw, text, DeadlineKind.COMPOSITE, start=min(p.start or p.due for p in dated if p.due),
                            due=dues[-1], milestones=tuple(dues[:-1]), parts=tuple(dated), qualifier=remark)
    return Deadline(raw, text, DeadlineKind.UNKNOWN, reason=reason_undated(spelled))


def _match(spelled: str, year: SchoolYear, *, raw: str, text: str, remark: str) -> Deadline | None:
    for name, pattern in _PATTERNS:
        match = pattern.fullmatch(spelled)
        if match is None or _has_date(match.group("rest")):
            continue
        dates = _dates(name, match.groupdict(), year)
        if dates is None:
            return None
        start, due, flags = dates
        qualifier = ", ".join(part for part in (collapse(match.group("rest") or ""), remark) if part)
        return Deadline(raw, text, _KIND[name], start=start, due=due, qualifier=qualifier, flags=flags)
    return None


def _has_date(rest: str | None) -> bool:
    return bool(rest) and re.search(MONTH_PATTERN, rest, re.IGNORECASE) is not None


def _dates(name: str, groups: dict[str, str | None], year: SchoolYear
           ) -> tuple[date | None, date, tuple[str, ...]] | None:
    """(start, due, flags) for a matched phrase, or None when its numbers make no date."""
    try:
        if name == "school_year":
            return _school_year(groups, year)
        if name == "year_end":
            return None, year.end, ()
        if name == "whole_year":
            return year.first_day, year.end, ()
        month2 = _month_number(groups, "m2", "n2")
        year2 = _int(groups.get("y2")) or _year_of(month2, year)
        if name == "month_end":
            return None, _last_day(year2, month2), ()
        if name == "month_start":
            return None, date(year2, month2, 1), ()
        if name in ("by_day", "on_day"):
            return None, date(year2, month2, int(groups["d2"] or 0)), ()
        if name == "month":
            return date(year2, month2, 1), _last_day(year2, month2), ()
        month1 = _month_number(groups, "m1", "n1")
        year1 = _int(groups.get("y1")) or (
            (year2 if month1 <= month2 else year2 - 1) if groups.get("y2") else _year_of(month1, year))
        due = date(year2, month2, int(groups["d2"])) if name == "days" else _last_day(year2, month2)
        start = date(year1, month1, int(groups["d1"])) if name == "days" else date(year1, month1, 1)
    except ValueError:
        return None
    return (start, due, ()) if start <= due else None


def _school_year(groups: dict[str, str | None], year: SchoolYear) -> tuple[date, date, tuple[str, ...]] | None:
    first, second = int(groups["y1"] or 0), int(groups["y2"] or 0)
    if second < 100:
        second += first // 100 * 100
    if second != first + 1:
        return None
    shift = first - year.start_year
    if shift == 0:
        return year.first_day, year.end, ()
    return (year.first_day.replace(year=year.first_day.year + shift), year.end.replace(year=year.end.year + shift),
            ("other_school_year",))


def _month_number(groups: dict[str, str | None], word: str, number: str) -> int:
    if groups.get(word):
        return MONTHS[str(groups[word]).casefold()]
    return int(groups.get(number) or groups.get(f"{number}_") or 0)


def _year_of(month: int, year: SchoolYear) -> int:
    """A month without a year is the one inside the school year: Sep–Dec the first, Jan–Aug the second."""
    return year.start_year if month >= year.first_day.month else year.start_year + 1


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _flagged(deadline: Deadline, year: SchoolYear) -> Deadline:
    if deadline.due is None:
        return deadline
    flags = list(deadline.flags)
    if deadline.due < year.first_day:
        flags.append("before_school_year")
    if deadline.due > year.end:
        flags.append("after_school_year")
    return replace(deadline, flags=tuple(dict.fromkeys(flags)))
