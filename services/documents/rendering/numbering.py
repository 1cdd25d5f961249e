"""Register numbers as the school's registers print them (номер и дата от дневника).

A register number is the entry's sequence and the date it was entered, written once:
``1058/14.09.2023``. A document prints it once, followed by „г.“: ``№ 1058/14.09.2023 г.``,
``Изх. № 318/02.10.2023 г.`` (the forms the правилник itself cites, „заповед № 1058/14.09.2023 г.“).
An order's context carries the whole number (``number``); a letter's carries only the sequence
(``outgoing_number``), since the template prints it beside the date it was sent (``sent_on``).
"""

from __future__ import annotations

import re
from datetime import date

#: A date at the end of a number, as the register writes it: ``…/14.09.2023``.
DATED = re.compile(r"/\d{2}\.\d{2}\.\d{4}$")


def format_register_number(seq: int | str, day: date) -> str:
    """Return the number of an entry of a register, e.g. ``318/02.10.2023``.

    Parameters:
        seq: the entry's sequence (an int from a series, or the text the office typed).
        day: the date of the entry.
    """
    return f"{seq}/{day:%d.%m.%Y}"


def format_order_number(seq: int, issued: date) -> str:
    """Return the number printed on an order, e.g. ``1058/14.09.2023``.

    The sequence is the entry in the school's register of orders and the date is the day the
    director signed it; the pair is what the правилник itself cites ("заповед № 1058 от 14.09.2020").

    Parameters:
        seq: positive sequence number in the register of orders.
        issued: date of issue.
    """
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError(f"Поредният номер на заповедта трябва да е цяло положително число, а е {seq!r}.")
    return format_register_number(seq, issued)


def carries_date(number: str) -> bool:
    """Whether a number already ends with its date (``318/02.10.2023``)."""
    return DATED.search(number) is not None
