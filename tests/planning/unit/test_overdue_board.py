"""The overdue board's kinds, counts and filters (services/planning/tracking/rules/board.py), pure."""

from __future__ import annotations

import datetime as dt

from services.planning.tracking.rules.board import board, kind_of, party_title, responsible_text

DUE = dt.date(2023, 11, 20)


def row(kind: str, id_: int, roles: list[str], *, titles: list[str] | None = None, sanction_id: int | None = None):
    return {"kind": kind, "id": id_, "title": f"{kind} {id_}", "due": DUE, "responsible": roles, "days_overdue": 11,
            "article": "", "responsible_titles": titles or [], "plan_id": 1 if kind == "activity" else None,
            "sanction_id": sanction_id}


ROWS = [row("activity", 1, ["teacher"], titles=["учител по БЕЛ"]), row("activity", 2, ["director", "teacher"]),
        row("procedure", 3, ["director"], sanction_id=7), row("procedure", 4, ["class_teacher"])]


def test_a_procedure_naming_its_sanction_is_a_step_of_a_sanction_procedure_the_others_are_duties():
    assert [kind_of(r) for r in ROWS] == ["activity", "activity", "sanction", "duty"]


def test_counts_follow_the_responsible_filter_and_the_list_both_filters():
    everything = board(ROWS)
    assert everything.counts == {"activity": 2, "sanction": 1, "duty": 1}
    assert [r["id"] for r in everything.rows] == [1, 2, 3, 4]
    directors = board(ROWS, role="director")
    assert directors.counts == {"activity": 1, "sanction": 1, "duty": 0}
    assert [r["id"] for r in directors.rows] == [2, 3]
    assert [r["id"] for r in board(ROWS, kind="sanction", role="director").rows] == [3]
    assert [r["id"] for r in board(ROWS, kind="duty", role="director").rows] == []


def test_an_unknown_filter_shows_everything_rather_than_nothing():
    shown = board(ROWS, kind="nonsense", role="parent")
    assert (shown.kind, shown.role, len(shown.rows)) == ("", "", 4)


def test_the_responsible_are_offered_by_their_names():
    assert board(ROWS).responsible == [("director", "Директор"), ("class_teacher", "Класен ръководител"),
                                       ("teacher", "Учител")]
    assert party_title("pedagogical_council") == "Педагогически съвет"
    assert responsible_text(ROWS[0]) == "учител по БЕЛ"  # the plan's own wording
    assert responsible_text(ROWS[3]) == "Класен ръководител"
    assert responsible_text(row("procedure", 5, [])) == "не е посочен"
