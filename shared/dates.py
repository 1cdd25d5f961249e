"""Bulgarian calendar words that documents, messages and exports print."""

from __future__ import annotations

#: Month names in the nominative case, January first: „за месец октомври 2023 г.“.
MONTH_NAMES = ("януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември", "октомври",
               "ноември", "декември")
