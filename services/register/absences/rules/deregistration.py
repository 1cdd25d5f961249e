"""The grounds of deregistration (основания за отписване, Чл. 25, ал. 4) and who must be told (ал. 5).

Pure: the application module reads the student and the date, this decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.register.sanctions.rules.kinds import age_on


class Ground(StrEnum):
    """One ground of Чл. 25, ал. 4."""

    TRANSFER = "transfer"  # т. 1: преместване в друго училище
    NONATTENDANCE = "nonattendance"  # т. 2: непосещаване без уважителни причини повече от два месеца
    MISSED_SESSIONS = "missed_sessions"  # т. 3: самостоятелна форма, неявяване на три поредни сесии
    FAMILY = "family"  # т. 4: семейни причини, навършени 16 години

    @property
    def article(self) -> str:
        return f"Чл. 25, ал. 4, т. {list(Ground).index(self) + 1}"


#: The grounds after which a student of compulsory school age is notified (Чл. 25, ал. 5: „в случаите по т. 2 и 3“).
NOTIFIED_GROUNDS = frozenset({Ground.NONATTENDANCE, Ground.MISSED_SESSIONS})
#: Чл. 25, ал. 4, т. 4: deregistration for family reasons only from 16 years on.
FAMILY_MIN_AGE = 16


@dataclass(frozen=True)
class Decision:
    """What a deregistration means: the ground's article and whether Чл. 25, ал. 5 applies."""

    ground: Ground
    age: int
    compulsory_age: bool
    notify_authorities: bool

    @property
    def article(self) -> str:
        return self.ground.article


def decide(ground: Ground, birth_date: date, on: date, compulsory_until: int = 16) -> Decision:
    """The decision for a student born ``birth_date`` deregistered ``on``; ValueError if the ground cannot apply.

    Parameters:
      compulsory_until: the age schooling is compulsory until (setting ``compulsory_school_age``,
        16 by ЗПУО, чл. 8, ал. 2; the правилник does not define it).
    """
    age = age_on(birth_date, on)
    if ground is Ground.FAMILY and age < FAMILY_MIN_AGE:
        raise ValueError(f"По семейни причини се отписва ученик, навършил {FAMILY_MIN_AGE} години "
                         f"(Чл. 25, ал. 4, т. 4); ученикът е на {age}.")
    compulsory = age < compulsory_until
    return Decision(ground, age, compulsory, compulsory and ground in NOTIFIED_GROUNDS)
