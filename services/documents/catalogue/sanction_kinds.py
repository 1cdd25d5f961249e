"""The five sanctions of Чл. 52, ал. 1 as data (видове санкции), shared by orders and letters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SanctionKind:
    """One sanction type with the wording and consequences the правилник attaches to it."""

    key: str
    #: Exact wording of Чл. 52, ал. 1 in the accusative, as it follows "налагам санкция".
    name: str
    #: The point of Чл. 52, ал. 1 that defines it.
    point: int
    #: True: class teacher's motivated proposal (Чл. 56, ал. 1); False: pedagogical council.
    by_class_teacher: bool
    #: Loses the excellent-results scholarship for the term of the sanction (Чл. 59, ал. 3).
    loses_scholarship: bool
    #: Imposed in the last 30 school days of term 2 → in force next school year (Чл. 55, ал. 3).
    may_defer: bool
    #: The order also goes to the head of РУО (Чл. 58, ал. 3; Чл. 59, ал. 2).
    notify_ruo: bool
    #: Minimum age of the student (Чл. 53, ал. 1), 0 when none.
    min_age: int


SANCTION_KINDS: dict[str, SanctionKind] = {
    kind.key: kind
    for kind in (
        SanctionKind("remark", "„забележка“", 1, True, False, False, False, 0),
        SanctionKind(
            "warning_transfer", "„предупреждение за преместване в друго училище“",
            2, False, True, True, False, 0,
        ),
        SanctionKind("transfer", "„преместване в друго училище“", 3, False, True, True, True, 0),
        SanctionKind(
            "warning_self_study",
            "„предупреждение за преместване от дневна форма в самостоятелна форма на обучение“",
            4, False, False, False, False, 0,
        ),
        SanctionKind(
            "self_study",
            "„преместване от дневна форма в самостоятелна форма на обучение“",
            5, False, True, True, False, 16,
        ),
    )
}


def sanction_articles(kind: SanctionKind) -> tuple[str, ...]:
    """Articles an order of this kind relies on, in the order they are cited."""
    articles = [f"Чл. 52, ал. 1, т. {kind.point}", "Чл. 54", "Чл. 55", "Чл. 56, ал. 1", "Чл. 57"]
    if kind.min_age:
        articles.append("Чл. 53, ал. 1")
    if not kind.by_class_teacher and kind.point in (3, 5):
        articles.append("Чл. 53, ал. 2")
    articles += ["Чл. 58", "Чл. 59, ал. 1"]
    if kind.notify_ruo:
        articles.append("Чл. 59, ал. 2")
    if kind.loses_scholarship:
        articles.append("Чл. 59, ал. 3")
    return tuple(articles)
