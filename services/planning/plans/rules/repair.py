"""Undo the debris a PDF's hyphenation and justification left in the data cells (spec §8.2).

The stray token "и" is also the word "and", so nothing is removed blindly: each fix is a pattern
that only fits the debris. The activity text column has no such debris and is never repaired.
"""

from __future__ import annotations

import re

from shared.dates import MONTH_NAMES

MONTHS: dict[str, int] = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))

_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Септемвр и" — the month's final "и" pushed apart by justification
    (re.compile(r"\b(септемвр|октомвр|ноемвр|декемвр|февруар)\s+и\b", re.IGNORECASE), r"\1и"),
    # "септември и 2023" — no Bulgarian phrase puts "and" between a month and its year
    (re.compile(rf"\b({MONTH_PATTERN})\s+и\s+(\d{{4}})\b", re.IGNORECASE), r"\1 \2"),
    # "Съобразн о", "определен ите" — endings that are never words of their own
    (re.compile(r"(\w{3,})\s+(ите|о)\b"), r"\1\2"),
    # "Брой консултиран и педагогически", "100% подкрепен и деца": after a count the participle is
    # plural, so a singular participle followed by "и" is a split word
    (re.compile(r"^((?:брой|\d+(?:[.,]\d+)?\s*%)\s+\w+(?:ан|ен|ян|ат|ят|ит))\s+и\b", re.IGNORECASE), r"\1и"),
    # "извън- / училищ- ните": a hyphen at the end of a broken line; "пред- и следучилищна" keeps its
    # suspended hyphen because "и"/"или" follow it
    (re.compile(r"(\w)-\s+(?!(?:и|или)\b)([а-я])"), r"\1\2"),
)


def collapse(text: str) -> str:
    return " ".join(text.split())


def repair(text: str) -> str:
    """One paragraph of a data cell with the debris undone and whitespace collapsed."""
    fixed = collapse(text)
    for pattern, replacement in _FIXES:
        fixed = pattern.sub(replacement, fixed)
    return fixed


def repair_cell(raw: str) -> str:
    """A whole data cell: paragraphs repaired one by one and joined with a space (spec §4, §5)."""
    return " ".join(part for part in (repair(p) for p in raw.split("\n")) if part)
