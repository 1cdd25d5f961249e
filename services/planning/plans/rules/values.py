"""Units (мерна единица) and current/target values (текуща / целева стойност), spec §5–§6.

The plan's oddities are kept, not fixed: "Брой учители" with "100%" stays a count unit with percent
values, and a target copied from the baseline stays equal to it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from services.planning.plans.rules.model import Unit, UnitKind, Value, ValueKind
from services.planning.plans.rules.repair import repair_cell

_NUMBER = r"\d+(?:[.,]\d+)?"
_PLAIN = re.compile(rf"(?P<n>{_NUMBER})")
_PERCENT = re.compile(rf"(?P<n>{_NUMBER})\s*%(?:\s+(?P<rest>.+))?")
_RANGE = re.compile(rf"(?P<low>{_NUMBER})\s*(?P<p1>%?)\s*[-–—]\s*(?P<high>{_NUMBER})\s*(?P<p2>%?)")
_COUNT_WITH_WORDS = re.compile(rf"(?P<n>{_NUMBER})\s+(?P<rest>\D.*)")
#: a cell that says "not applicable" with a dash
_PLACEHOLDERS = frozenset({"-", "–", "—", "--", "---", "х", "x"})
_COUNT_WORD = "брой"


def parse_unit(raw: str) -> Unit:
    """"Брой срещи" → count of "срещи"; "% изпълнени дейности" → percent of them; "" → none."""
    text = repair_cell(raw)
    if not text:
        return Unit(raw, "", UnitKind.NONE)
    if text.startswith("%"):
        return Unit(raw, text, UnitKind.PERCENT, text[1:].strip())
    head, _, rest = text.partition(" ")
    if head.casefold() == _COUNT_WORD:
        return Unit(raw, text, UnitKind.COUNT, rest.strip())
    return Unit(raw, text, UnitKind.OTHER, text)


def parse_value(raw: str) -> Value:
    """A current or target value: number, percent (with its qualifying words), range, text or none."""
    text = repair_cell(raw)
    if not text or text.casefold() in _PLACEHOLDERS:
        return Value(raw, text, ValueKind.NONE)
    if match := _PLAIN.fullmatch(text):
        return Value(raw, text, ValueKind.NUMBER, number=_decimal(match["n"]))
    if match := _RANGE.fullmatch(text):
        low, high = _decimal(match["low"]), _decimal(match["high"])
        if low <= high:
            return Value(raw, text, ValueKind.RANGE, low=low, high=high, percent=bool(match["p1"] or match["p2"]))
    if match := _PERCENT.fullmatch(text):
        return Value(raw, text, ValueKind.PERCENT, number=_decimal(match["n"]), qualifier=match["rest"] or "")
    if match := _COUNT_WITH_WORDS.fullmatch(text):
        return Value(raw, text, ValueKind.NUMBER, number=_decimal(match["n"]), qualifier=match["rest"])
    return Value(raw, text, ValueKind.TEXT)


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))
