"""Register numbers of director orders (номер на заповед от дневника на заповедите)."""

from __future__ import annotations

from datetime import date


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
    return f"{seq}/{issued:%d.%m.%Y}"
