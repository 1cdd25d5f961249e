"""Personal identifiers: ЕГН (единен граждански номер) and ЛНЧ (личен номер на чужденец).

Also a deterministic generator of fake ЕГН with a valid format for demo data, so no real
person's number ever has to be typed into a demo database.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from services.register.school.rules.dates import format_date
from services.register.school.rules.errors import RuleViolation

#: Checksum weights of ЕГН digits 1–9; the sum mod 11 gives the 10th digit (10 → 0).
EGN_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6)
#: Checksum weights of ЛНЧ digits 1–9; the sum mod 10 gives the 10th digit.
LNCH_WEIGHTS = (21, 19, 17, 13, 11, 9, 7, 3, 1)
#: Month offsets that encode the century in an ЕГН: +20 for the 1800s, +40 for the 2000s.
_CENTURY_BY_OFFSET = {0: 1900, 20: 1800, 40: 2000}

_TEN_DIGITS = re.compile(r"[0-9]{10}")


class IdentityError(RuleViolation):
    """An ЕГН or ЛНЧ failed validation."""


class Sex(StrEnum):
    """Sex (пол) encoded by the parity of the 9th ЕГН digit: even male, odd female."""

    MALE = "male"
    FEMALE = "female"

    @property
    def label(self) -> str:
        return "мъж" if self is Sex.MALE else "жена"


@dataclass(frozen=True)
class EgnInfo:
    """What a valid ЕГН tells: the normalised number, birth date and sex."""

    egn: str
    birth_date: date
    sex: Sex


def _digits(value: str, field: str, name: str) -> list[int]:
    cleaned = value.strip()
    if not _TEN_DIGITS.fullmatch(cleaned):
        raise IdentityError(field, f"{name} трябва да съдържа точно 10 цифри.")
    return [int(ch) for ch in cleaned]


def egn_checksum(first_nine: str) -> int:
    """The 10th digit of an ЕГН for its first nine digits."""
    total = sum(int(ch) * weight for ch, weight in zip(first_nine, EGN_WEIGHTS, strict=True))
    return total % 11 % 10


def lnch_checksum(first_nine: str) -> int:
    """The 10th digit of a ЛНЧ for its first nine digits."""
    total = sum(int(ch) * weight for ch, weight in zip(first_nine, LNCH_WEIGHTS, strict=True))
    return total % 10


def validate_egn(value: str, *, today: date | None = None, field: str = "egn") -> EgnInfo:
    """Validate an ЕГН and decode it; raise ``IdentityError`` with a Bulgarian message.

    Parameters:
      value: the number as typed; surrounding whitespace is ignored.
      today: when given, a birth date after it is refused (the function never reads the clock).
      field: the field name reported in the error.
    """
    digits = _digits(value, field, "ЕГН")
    year2, coded_month, day = (digits[i] * 10 + digits[i + 1] for i in (0, 2, 4))
    offset = next((o for o in _CENTURY_BY_OFFSET if 1 <= coded_month - o <= 12), None)
    if offset is None:
        raise IdentityError(field, f"ЕГН съдържа невалиден месец „{coded_month:02d}“.")
    year, month = _CENTURY_BY_OFFSET[offset] + year2, coded_month - offset
    try:
        birth = date(year, month, day)
    except ValueError:
        raise IdentityError(
            field, f"ЕГН съдържа несъществуваща дата на раждане {day:02d}.{month:02d}.{year:04d}."
        ) from None
    expected = egn_checksum(value.strip()[:9])
    if digits[9] != expected:
        raise IdentityError(
            field, f"Контролната цифра на ЕГН е грешна: очаква се {expected}, а е {digits[9]}."
        )
    if today is not None and birth > today:
        raise IdentityError(field, f"ЕГН съдържа дата на раждане в бъдещето ({format_date(birth)}).")
    return EgnInfo(egn=value.strip(), birth_date=birth, sex=Sex.MALE if digits[8] % 2 == 0 else Sex.FEMALE)


def validate_lnch(value: str, *, field: str = "lnch") -> str:
    """Validate a ЛНЧ (format and checksum only; it encodes nothing else) and return it normalised."""
    digits = _digits(value, field, "ЛНЧ")
    expected = lnch_checksum(value.strip()[:9])
    if digits[9] != expected:
        raise IdentityError(
            field, f"Контролната цифра на ЛНЧ е грешна: очаква се {expected}, а е {digits[9]}."
        )
    return value.strip()


def fake_egn(rng: random.Random, birth_date: date, sex: Sex) -> str:
    """One fake ЕГН with a valid format for ``birth_date`` and ``sex``; the region digits are random."""
    if not 1800 <= birth_date.year <= 2099:
        raise IdentityError("birth_date", "ЕГН може да кодира само дати между 1800 и 2099 година.")
    offset = {1800: 20, 1900: 0, 2000: 40}[birth_date.year // 100 * 100]
    region = rng.randrange(100)
    parity_digit = rng.randrange(0, 10, 2) + (0 if sex is Sex.MALE else 1)
    born = f"{birth_date.year % 100:02d}{birth_date.month + offset:02d}{birth_date.day:02d}"
    first_nine = f"{born}{region:02d}{parity_digit}"
    return first_nine + str(egn_checksum(first_nine))


def fake_egns(count: int, *, seed: int, born_from: date, born_to: date) -> tuple[EgnInfo, ...]:
    """``count`` distinct fake ЕГН for demo students, the same for the same seed and range."""
    if born_to < born_from:
        raise IdentityError("born_to", "Крайната дата на раждане е преди началната.")
    span = (born_to - born_from).days
    # 100 region numbers × 10 sequence digits per birth date; asking for more could never finish.
    if not 0 <= count <= (span + 1) * 1000:
        raise IdentityError(
            "count", f"Не могат да се генерират {count} различни ЕГН за този период на раждане."
        )
    if count == 0:
        return ()
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducibility matters, secrecy does not
    seen: set[str] = set()
    result: list[EgnInfo] = []
    for birth, sex in _random_people(rng, born_from, span):
        egn = fake_egn(rng, birth, sex)
        if egn not in seen:
            seen.add(egn)
            result.append(EgnInfo(egn=egn, birth_date=birth, sex=sex))
        if len(result) == count:
            break
    return tuple(result)


def _random_people(rng: random.Random, born_from: date, span: int) -> Iterator[tuple[date, Sex]]:
    while True:
        yield born_from + timedelta(days=rng.randint(0, span)), rng.choice((Sex.MALE, Sex.FEMALE))
