"""Finalising the week's absences (оформяне на отсъствията, Чл. 97, т. 9): the class teacher closes them.

The class teacher finalises the class's absences in the register within one week (Чл. 97, т. 9).
„Оформи седмицата“ records that they are finalised up to a day: a row kept as the history, an audit
entry, and ``register.absences_finalised``, on which planning closes the class's duties of that
kind (catalogue D05, one per class and day with absences) up to that day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models import TABLES
from services.register.models.absences import AbsenceFinalisation
from services.register.models.people import SchoolClass
from services.register.people.access import is_class_teacher
from shared import audit
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from shared.runtime import ServiceRuntime

ARTICLE = "Чл. 97, т. 9"


@dataclasses.dataclass(frozen=True)
class Finalised:
    class_code: str
    through: dt.date
    finalised_by: int
    finalised_at: dt.datetime


def finalised_through(session: Session, class_code: str) -> dt.date | None:
    """The last day up to which the class's absences are finalised, or None."""
    return session.scalar(sa.select(sa.func.max(AbsenceFinalisation.through))
                          .where(AbsenceFinalisation.class_code == class_code))


def last_week_end(today: dt.date) -> dt.date:
    """The Sunday that ends the last whole week before ``today``: what „Оформи седмицата“ offers."""
    return today - dt.timedelta(days=today.isoweekday())


def finalise(rt: ServiceRuntime, who: Principal, class_code: str, through: dt.date) -> Finalised:
    """Record the class's absences finalised up to ``through``; the class teacher of the class only.

    Raises NotFoundError (no such class), NotAllowedError (not its class teacher, Чл. 97, т. 9),
    InvalidInputError (``through`` in the future) or ConflictError (``through`` not after the day
    already finalised); nothing is stored then.
    """
    with rt.db.transaction() as s:
        if s.scalar(sa.select(SchoolClass.id).where(SchoolClass.code == class_code)) is None:
            raise NotFoundError(f"Няма паралелка {class_code}.")
        if not is_class_teacher(s, who, class_code):
            raise NotAllowedError(f"Отсъствията оформя класният ръководител на паралелката ({ARTICLE}).")
        today = rt.clock.today()
        if through > today:
            raise InvalidInputError({"through": f"Отсъствията се оформят до днес ({today:%d.%m.%Y}), "
                                                "не за бъдещи дни."})
        current = finalised_through(s, class_code)
        if current is not None and through <= current:
            raise ConflictError(f"Отсъствията на {class_code} клас вече са оформени до {current:%d.%m.%Y}; "
                                "изберете по-късен ден.", "through")
        row = AbsenceFinalisation(class_code=class_code, through=through, finalised_by=who.id)
        s.add(row)
        s.flush()
        audit.record(s, TABLES, who, "absences.finalise", "class", class_code,
                     before={"through": current}, after={"through": through})
        rt.publish(s, "register.absences_finalised", {
            "finalisation_id": row.id, "class_code": class_code, "through": through.isoformat(),
            "finalised_by": who.id, "finalised_on": today.isoformat()})
        return Finalised(class_code, through, who.id, row.finalised_at)
