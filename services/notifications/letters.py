"""The letters the school sent a parent about their child, and how each went out (for the parent's home card).

The register shows which rungs of the ladder (Чл. 97, т. 8) and which sanction steps wrote to the
family; here is the other half, which only notifications knows: on which channel each went, to whom
and whether it was sent. The parent's own inbox copy is left out (the inbox lists it).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.notifications.models import Delivery
from shared.auth.principal import Principal

#: Notices shown on the card, the newest first.
ON_HOME = 5
#: The kinds of notice that are letters of the rulebook: the ladder's rungs and the sanction procedure's steps.
LETTER_KINDS = ("rule", "sanction")
CHANNEL_TITLES = {"email": "имейл", "sms": "SMS", "paper": "писмо на хартия"}
STATUS_TITLES = {"queued": "чака изпращане", "sent": "изпратено", "failed": "неуспешно", "suppressed": "спряно"}


def family_letters(session: Session, who: Principal, limit: int = ON_HOME) -> list[dict]:
    """The parent's children's letters, the newest first, each with its deliveries (one per channel and guardian)."""
    if who.role != "parent" or not who.student_ids:
        return []
    rows = session.scalars(sa.select(Delivery).where(
        Delivery.student_id.in_(list(who.student_ids)), Delivery.audience == "guardian",
        Delivery.kind.in_(LETTER_KINDS), Delivery.channel != "inbox").order_by(Delivery.id.desc())).all()
    letters: dict[str, dict] = {}
    for row in rows:
        letter = letters.get(row.about_key)
        if letter is None:
            if len(letters) == limit:
                continue
            letter = letters[row.about_key] = {"subject": row.subject, "article": row.article,
                                               "created_at": row.created_at, "deliveries": []}
        letter["deliveries"].append(row)
    for letter in letters.values():
        letter["deliveries"].sort(key=lambda d: d.id)
    return list(letters.values())
