"""Checking a student's ЕГН or ЛНЧ at registration, answering 422 with the field named."""

from __future__ import annotations

import dataclasses
import datetime as dt

from services.register.people.rules.personal_number import IdentityError, validate_egn, validate_lnch
from shared.errors import InvalidInputError


@dataclasses.dataclass(frozen=True)
class Identification:
    kind: str  # "egn" or "lnch" (НЕИСПУО identification type 0 or 1)
    birth_date: dt.date


def identify(value: str, birth_date: dt.date | None, today: dt.date | None = None
             ) -> tuple[Identification | None, dict[str, str]]:
    """An ЕГН gives the birth date (and must agree with one given); a ЛНЧ needs it given.

    Returns the identification, or ``None`` and the problems by field, for callers that collect them.
    """
    try:
        info = validate_egn(value, today=today, field="egn")
    except IdentityError as egn_error:
        try:
            validate_lnch(value, field="egn")
        except IdentityError:
            return None, {"egn": f"{egn_error.message} Не е и валиден ЛНЧ."}
        if birth_date is None:
            return None, {"birth_date": "За ученик с ЛНЧ датата на раждане е задължителна."}
        return Identification("lnch", birth_date), {}
    if birth_date is not None and birth_date != info.birth_date:
        return None, {"birth_date": "Датата на раждане не съвпада с ЕГН."}
    return Identification("egn", info.birth_date), {}


def check_identification(value: str, birth_date: dt.date | None, today: dt.date | None = None) -> Identification:
    """As :func:`identify`, answering 422 with the field named."""
    found, problems = identify(value, birth_date, today)
    if problems:
        raise InvalidInputError(problems)
    return found
