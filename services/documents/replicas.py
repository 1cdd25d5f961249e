"""What documents keeps from other services' events: the letterhead, students, absence tallies."""

from __future__ import annotations

import collections
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents.models import TABLES, AbsenceTally, SchoolProfile, StudentCard
from shared.db import dialect_insert
from shared.messages import Envelope


def on_school_saved(session: Session, payload: dict, _envelope: Envelope) -> None:
    profile = session.get(SchoolProfile, 1) or SchoolProfile(id=1)
    profile.data = dict(payload)
    session.add(profile)


def on_student_saved(session: Session, payload: dict, _envelope: Envelope) -> None:
    card = session.get(StudentCard, payload["student_id"]) or StudentCard(id=payload["student_id"])
    card.name = " ".join(p for p in (payload["first_name"], payload["middle_name"], payload["last_name"]) if p)
    card.class_code = payload["class_code"]
    card.guardians = [{"name": g["name"], "email": g["email"], "phone": g["phone"], "address": g.get("address")}
                      for g in payload["guardians"]]
    session.add(card)


_TALLIES = AbsenceTally.__table__


def count_absences(session: Session, day: dt.date, marks: list[dict]) -> None:
    """Add a lesson's marks to the students' tallies for the day (the event is handled once, so this is exact)."""
    added = collections.Counter((mark["student_id"], mark["kind"]) for mark in marks)
    insert = dialect_insert(session, _TALLIES)
    # Each (student, day, kind) count is added to its tally, created at 0 first.
    session.execute(insert.on_conflict_do_update(index_elements=["student_id", "day", "kind"],
                                                 set_={"marks": _TALLIES.c.marks + insert.excluded.marks}),
                    [{"student_id": sid, "day": day, "kind": kind, "marks": n}
                     for (sid, kind), n in sorted(added.items())])


def tally(session: Session, student_id: int, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = session.execute(sa.select(AbsenceTally.kind, sa.func.sum(AbsenceTally.marks)).where(
        AbsenceTally.student_id == student_id, AbsenceTally.day >= start, AbsenceTally.day <= end,
    ).group_by(AbsenceTally.kind)).all()
    counts = {"unexcused": 0, "excused": 0, "late": 0}
    counts.update({kind: int(total) for kind, total in rows})
    return counts


def school(session: Session) -> dict | None:
    profile = session.get(SchoolProfile, 1)
    return dict(profile.data) if profile else None


def staff_name(session: Session, role: str, class_code: str | None = None) -> str | None:
    """The name of the first active user with the role (and the class, for class teachers)."""
    principal = TABLES.principal
    for person in session.scalars(sa.select(principal).where(
            principal.role == role, principal.active.is_(True)).order_by(principal.id)):
        if class_code is None or class_code in (person.class_codes or []):
            return person.name
    return None


def class_teachers(session: Session) -> list[tuple[str, str]]:
    """Each class with its class teacher (the first active one scoped to it), by class code."""
    principal = TABLES.principal
    found: dict[str, str] = {}
    for person in session.scalars(sa.select(principal).where(
            principal.role == "class_teacher", principal.active.is_(True)).order_by(principal.id)):
        for code in person.class_codes or []:
            found.setdefault(code, person.name)
    return sorted(found.items())


#: The addressee's line of a letter the student carries home: no guardian has a postal address.
THROUGH_STUDENT = "чрез ученика"
#: The start of the addressee's line of a letter sent by e-mail.
BY_EMAIL = "по електронна поща: "


def addressee(card: StudentCard) -> dict[str, str]:
    """Parents as a letter's addressee; the letter goes by e-mail where known, otherwise by post to the
    first postal address the guardians gave, otherwise through the student."""
    names = " и ".join(g["name"] for g in card.guardians) or "Родителите"
    emails = ", ".join(g["email"] for g in card.guardians if g.get("email"))
    postal = next((g["address"] for g in card.guardians if g.get("address")), None)
    return {"name": names, "address": f"{BY_EMAIL}{emails}" if emails else postal or THROUGH_STUDENT}


def postal_address(parent: dict | None) -> str | None:
    """The postal address a letter's addressee block carries, ``None`` when it goes by e-mail or by hand."""
    address = (parent or {}).get("address") or ""
    if not address.strip() or address == THROUGH_STUDENT or address.startswith(BY_EMAIL):
        return None
    return address
