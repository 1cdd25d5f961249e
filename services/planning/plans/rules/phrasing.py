"""How schools write deadlines, rewritten into the forms the grammar reads (issue 21).

Each rewrite only changes the spelling of a date that is unambiguously there: a Roman-numeral
month („17. ІХ.“ → „17.09.“), „м. март“ → „март“, a compressed day range („16-20 септември“ →
„16 септември – 20 септември“), „от … до …“ → „… – …“, a typing slip („до15.09.2013г.“). A time
of day („, начало 09:00 часа“) is taken out and kept as a remark. Nothing here invents a date.
"""

from __future__ import annotations

import re

from services.planning.plans.rules.repair import MONTH_PATTERN, collapse
from shared.dates import MONTH_NAMES

_ROMAN_MONTHS = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
                 "XI": 11, "XII": 12}
#: Cyrillic letters typed in place of the Latin numerals' I and X
_CONFUSABLES = str.maketrans({"І": "I", "Х": "X", "і": "I", "х": "X", "Ⅰ": "I", "Ⅴ": "V", "Ⅹ": "X"})
_NUMERAL = r"[IVXІХ]{1,4}"
_DASH = r"\s*[–—-]\s*"

#: "13.06.2023 г., начало 09:00 часа", "11.06.2021 г., 17.00 ч.", "в 10:30 ч."
_TIME = re.compile(
    r"\s*[,;]?\s*(?:(?:с\s+)?начало(?:\s+(?:от|в))?|от|в|час(?:ът)?)?\s*"
    r"(?:\d{1,2}:\d{2}(?:\s*(?:ч\b\.?|часа))?|\d{1,2}[.,]\d{2}\s*(?:ч\b\.?|часа))"
    r"(?:\s*(?:[–—-]|до)\s*\d{1,2}[:.]\d{2}\s*(?:ч\b\.?|часа)?)?",
    re.IGNORECASE)

_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    # typing slips: "до15.09.2013г." — a word glued to the number, "2013г." glued to its year word
    (re.compile(r"\b(до|от|на|след|преди)(?=\d)", re.IGNORECASE), r"\1 "),
    (re.compile(r"(\d{4})(г\.|г\b|год\.)", re.IGNORECASE), r"\1 \2"),
    # "15. 09. 2023" and "17. 09." — spaces inside a numeric date
    (re.compile(r"\b(\d{1,2})\.\s+(\d{1,2})\."), r"\1.\2."),
    # "до 31.07 2023 г." — the dot before the year forgotten
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\s+(\d{4})\b"), r"\1.\2.\3"),
    # "1-ви ноември", "5-ти", "15-ти" — ordinal endings
    (re.compile(r"\b(\d{1,2})\s*-?\s*(?:ви|ри|ти|ми)\b", re.IGNORECASE), r"\1"),
    # "м.октомври", "м. март", "месец февруари" — the word "month" before a month's name
    (re.compile(rf"\b(?:м\.|мес\.|месец)\s*(?=(?:{MONTH_PATTERN})\b)", re.IGNORECASE), ""),
    # "в периода 02.09.2013 г. – 09.09.2013 г.", "за периода от …"
    (re.compile(r"^(?:в|през|за)\s+(?:целия\s+)?период(?:а)?\s*", re.IGNORECASE), ""),
    # "в края на май", "края на учебната година" — as "до края на …"
    (re.compile(r"^(?:в\s+|към\s+)?края\s+на\b", re.IGNORECASE), "до края на"),
    # "16-20 септември 2024 г.", "03-21 май" — one month for both days
    (re.compile(rf"\b(\d{{1,2}}){_DASH}(\d{{1,2}})\s+({MONTH_PATTERN})\b", re.IGNORECASE), r"\1 \3 – \2 \3"),
    # "13 – 17.07. 2023 г." — one month for both days, numerically
    (re.compile(rf"(?<![.\d])(\d{{1,2}}){_DASH}(\d{{1,2}})\.(\d{{1,2}})\b"), r"\1.\3. – \2.\3"),
)
#: "от 11.06. 2024 г. до 14.06.2024 г. вкл.", "от м. октомври до м. май"
_FROM_TO = re.compile(r"^от\s+(?P<a>.+?)\s+до\s+(?P<b>.+)$", re.IGNORECASE)
#: "17. ІХ.", "03.IX.2010 г." — a day, then the month as a Roman numeral
_ROMAN_DATE = re.compile(rf"\b(?P<d>\d{{1,2}})\s*\.\s*(?P<m>{_NUMERAL})(?![\wА-Яа-я])\s*\.?\s*(?=(?P<y>\d{{4}})?)")
#: "м. ІХ", "м.XII.2023" — the month alone as a numeral, after "м."
_ROMAN_MONTH = re.compile(rf"\b(?:м\.|месец)\s*(?P<m>{_NUMERAL})(?![\wА-Яа-я])\.?\s*", re.IGNORECASE)


def roman_month(numeral: str) -> int | None:
    """9 for "IX" or "ІХ" (Cyrillic І and Х); None for anything that is not a month 1–12."""
    return _ROMAN_MONTHS.get(numeral.translate(_CONFUSABLES).upper())


def normalise(text: str) -> tuple[str, str]:
    """(the phrase in the grammar's spelling, a remark taken out of it such as "начало 09:00 часа")."""
    remark = ""
    if match := _TIME.search(text):
        remark = collapse(match.group(0).strip(" ,;"))
        text = text[:match.start()] + text[match.end():]
    text = _ROMAN_DATE.sub(_roman_date, text)
    text = _ROMAN_MONTH.sub(_roman_month_name, text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    text = collapse(text)
    if match := _FROM_TO.fullmatch(text):
        text = f"{match['a']} – {match['b']}"
    return text.strip(" ,;"), remark


def _roman_date(match: re.Match[str]) -> str:
    month = roman_month(match["m"])
    if month is None:
        return match.group(0)
    return f"{match['d']}.{month:02d}." + ("" if match["y"] else " ")


def _roman_month_name(match: re.Match[str]) -> str:
    month = roman_month(match["m"])
    return match.group(0) if month is None else f"{MONTH_NAMES[month - 1]} "


REASON_LEGAL = "препраща към нормативен акт или заповед; датата в него не е срок"
REASON_RELATIVE = "срокът зависи от друг график или документ"
REASON_NO_PART = "нито една част на срока не е дата"
REASON_UNREAD = "формулировката не е разпозната като дата"
#: (what a phrase says, why it has no single date): the first that fits gives the reason
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"ежедневн|ежеседмичн|ежемесечн|ежегодн|всеки|всяк[аио]|седмично|месечно|веднъж|два\s+пъти|"
                r"число\s+на\s+(?:всеки\s+)?месеца", re.IGNORECASE),
     "повтаряща се дейност — няма една крайна дата"),
    (re.compile(r"постоян|текущ|непрекъснат|своевременн|при\s+(?:нужда|необходимост|поискване)", re.IGNORECASE),
     "постоянна дейност — няма краен срок"),
    (re.compile(r"\b(?:I{1,2}|І{1,2}|първи|втори)[а-я]*\s+(?:учебен\s+)?срок|полугодие|ваканци|\bсрок[а]?\b",
                re.IGNORECASE),
     "зависи от графика на учебното време (срокове, ваканции), който в плана не е даден"),
    (re.compile(r"началото|средата|след\s|преди\s|около\s|приблизително|ориентировъчно", re.IGNORECASE),
     "неточен срок — датата трябва да се уточни"),
    (re.compile(r"\d{1,2}\.\d{1,2}\.|\d{1,2}\s+(?:" + MONTH_PATTERN + r")", re.IGNORECASE),
     "датата не съществува или не може да се прочете еднозначно"),
)


def reason_undated(text: str) -> str:
    """Why a phrase that matched no form of the grammar gives no date."""
    return next((reason for pattern, reason in _REASONS if pattern.search(text)), REASON_UNREAD)
