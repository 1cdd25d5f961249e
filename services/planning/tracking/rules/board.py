"""The overdue board (просрочени срокове): the overdue rows by kind and by responsible, counted and filtered.

Pure: it takes the rows ``overdue.overdue`` gives the API (``overdue_view``) and only sorts them
for people. A procedure is either a step of a sanction procedure (Чл. 52–60; it names its
sanction) or another duty of the rulebook's deadline catalogue (Чл. 97, т. 9 …).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

from services.planning.plans.rules.parties import PARTY_BY_KEY
from shared.auth.roles import ROLE_TITLES

#: The board's kinds, in the order counted and offered.
KIND_TITLES: dict[str, str] = {
    "activity": "Дейности от годишния план",
    "sanction": "Стъпки на процедури за санкции",
    "duty": "Задължения по правилника",
}


def kind_of(row: dict) -> str:
    if row["kind"] == "activity":
        return "activity"
    return "sanction" if row.get("sanction_id") else "duty"


def party_title(key: str) -> str:
    """A responsible role or party as people name it: „Директор“, „Педагогически съвет“."""
    if key in ROLE_TITLES:
        return ROLE_TITLES[key]
    party = PARTY_BY_KEY.get(key)
    title = party.title if party is not None else key
    return title[:1].upper() + title[1:]


def responsible_text(row: dict) -> str:
    """The plan's own wording for an activity („учител по БЕЛ“), the roles' titles for a procedure."""
    titles = row.get("responsible_titles") or [party_title(key) for key in row["responsible"]]
    return ", ".join(titles) or "не е посочен"


@dataclasses.dataclass(frozen=True)
class Board:
    rows: list[dict]
    #: kind → how many overdue items of it match the responsible filter (the kind filter aside)
    counts: dict[str, int]
    #: (role key, title) of everyone responsible for some overdue item, by title
    responsible: list[tuple[str, str]]
    kind: str
    role: str


def board(rows: Iterable[dict], *, kind: str = "", role: str = "") -> Board:
    """The rows of ``kind`` (all when empty or unknown) that ``role`` answers for (all when empty or unknown)."""
    rows = [{**row, "board_kind": kind_of(row), "responsible_text": responsible_text(row)} for row in rows]
    roles = {key for row in rows for key in row["responsible"]}
    kind = kind if kind in KIND_TITLES else ""
    role = role if role in roles else ""
    theirs = [row for row in rows if not role or role in row["responsible"]]
    counts = Counter(row["board_kind"] for row in theirs)
    return Board(rows=[row for row in theirs if not kind or row["board_kind"] == kind],
                 counts={key: counts.get(key, 0) for key in KIND_TITLES},
                 responsible=sorted(((key, party_title(key)) for key in roles), key=lambda pair: pair[1]),
                 kind=kind, role=role)
