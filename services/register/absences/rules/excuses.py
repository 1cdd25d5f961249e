"""Excusing absences (извиняване на отсъствия), Чл. 61, ал. 1: reasons, deadlines and yearly quotas.

Deadlines run in school days from the day the student returns (the first school day after the
absence), as spec §1.2 reads "до 3 учебни дни след завръщането". Quotas count school days per
student per school year; the caller supplies what was already used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.register.absences.rules.errors import ExcuseRefusedError
from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.rules.dates import format_date


class ExcuseReason(StrEnum):
    """Routes of Чл. 61, ал. 1 (and the class teacher's permission, Чл. 98, т. 2)."""

    MEDICAL = "medical"  # медицински документ, т. 1
    EVENT = "event"  # състезание, концерт, чужбина, т. 2
    PARENT = "parent"  # заявление от родителя, т. 3
    DIRECTOR = "director"  # разрешение на директора, т. 4
    CLASS_TEACHER = "class_teacher"  # разрешение на класния ръководител, Чл. 98, т. 2

    @property
    def article(self) -> str:
        return _ARTICLES[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_ARTICLES = {
    ExcuseReason.MEDICAL: "Чл. 61, ал. 1, т. 1",
    ExcuseReason.EVENT: "Чл. 61, ал. 1, т. 2",
    ExcuseReason.PARENT: "Чл. 61, ал. 1, т. 3",
    ExcuseReason.DIRECTOR: "Чл. 61, ал. 1, т. 4",
    ExcuseReason.CLASS_TEACHER: "Чл. 98, т. 2",
}
# Whole Bulgarian clauses, because the participle agrees with the noun's gender.
_LABELS = {
    ExcuseReason.MEDICAL: "Медицинският документ е представен",
    ExcuseReason.EVENT: "Документът за участие е представен",
    ExcuseReason.PARENT: "Заявлението на родителя е подадено",
    ExcuseReason.DIRECTOR: "Заявлението до директора е подадено",
    ExcuseReason.CLASS_TEACHER: "Разрешението на класния ръководител е дадено",
}


class LateDocumentPolicy(StrEnum):
    """What to do with a document submitted after its deadline (the правилник is silent, §10.B-31)."""

    REFUSE = "refuse"  # default: the absence stays unexcused
    ACCEPT_FLAGGED = "accept_flagged"  # accept, but mark the decision as late for review


@dataclass(frozen=True)
class ExcusePolicy:
    """Per-school excuse settings; defaults are the правилник's values (spec §10.D ``excuse.*``).

    ``class_teacher_shares_parent_quota``: Чл. 98, т. 2 gives the class teacher 3 "days" a year
    and Чл. 61, ал. 1, т. 3 gives the parent 3 school days; whether they are one quota is open
    (§10.B-9). Default: shared, the stricter reading; the class teacher's "days" are counted as
    school days, since only school days can hold absences.
    """

    medical_deadline_school_days: int = 3
    event_deadline_school_days: int = 2
    parent_deadline_school_days: int = 3
    parent_quota_school_days: int = 3
    director_quota_school_days: int = 7
    class_teacher_quota_school_days: int = 3
    class_teacher_shares_parent_quota: bool = True
    late_documents: LateDocumentPolicy = LateDocumentPolicy.REFUSE

    def deadline_days(self, reason: ExcuseReason) -> int | None:
        """School days after return to submit the document; ``None`` where prior consent is needed."""
        return {
            ExcuseReason.MEDICAL: self.medical_deadline_school_days,
            ExcuseReason.EVENT: self.event_deadline_school_days,
            ExcuseReason.PARENT: self.parent_deadline_school_days,
        }.get(reason)

    def quota_group(self, reason: ExcuseReason) -> tuple[ExcuseReason, ...]:
        """Reasons whose used days count against the same yearly quota as ``reason``."""
        shared = (ExcuseReason.PARENT, ExcuseReason.CLASS_TEACHER)
        if self.class_teacher_shares_parent_quota and reason in shared:
            return shared
        return (reason,)

    def quota(self, reason: ExcuseReason) -> int | None:
        if reason is ExcuseReason.CLASS_TEACHER and self.class_teacher_shares_parent_quota:
            return self.parent_quota_school_days
        return {
            ExcuseReason.PARENT: self.parent_quota_school_days,
            ExcuseReason.DIRECTOR: self.director_quota_school_days,
            ExcuseReason.CLASS_TEACHER: self.class_teacher_quota_school_days,
        }.get(reason)


@dataclass(frozen=True)
class ExcuseDecision:
    """An accepted excuse: which school days it covers and what is left of the quota."""

    reason: ExcuseReason
    article: str
    school_days: tuple[date, ...]
    return_day: date | None  # None when the absence runs to the end of the school year
    deadline: date | None
    quota_left: int | None
    late: bool = False


def check_excuse(
    reason: ExcuseReason,
    from_: date,
    to: date,
    submitted_on: date,
    *,
    calendar: SchoolCalendar,
    used_days_this_year: Mapping[ExcuseReason, int],
    parent_confirmed: bool = False,
    parent_notified_in_advance: bool = False,
    director_permission_on: date | None = None,
    policy: ExcusePolicy | None = None,
) -> ExcuseDecision:
    """Check an excuse for the absence ``from_``…``to``; return the decision or raise ``ExcuseRefusedError``.

    Parameters:
      used_days_this_year: school days already excused this school year, by reason.
      parent_confirmed: the parent confirmed the participation document (т. 2).
      parent_notified_in_advance: the parent told the class teacher beforehand (т. 3).
      director_permission_on: date of the director's permission, which must precede the absence (т. 4).
    """
    policy = policy or ExcusePolicy()
    article = reason.article
    if to < from_:
        raise ExcuseRefusedError(
            "to", f"Крайната дата {format_date(to)} е преди началната {format_date(from_)}.", article
        )
    days = calendar.school_days(from_, to)
    if not days:
        raise ExcuseRefusedError(
            "from_", f"Периодът {format_date(from_)} – {format_date(to)} не съдържа учебни дни.", article
        )
    _check_preconditions(
        reason, from_=from_, submitted_on=submitted_on, parent_confirmed=parent_confirmed,
        parent_notified_in_advance=parent_notified_in_advance, director_permission_on=director_permission_on,
        article=article,
    )
    if policy.deadline_days(reason) is None and to >= calendar.last_n_school_days(1)[0]:
        # No document deadline to compute, and the return lies in a school year not yet known.
        return ExcuseDecision(reason, article, days, None, None,
                              _check_quota(reason, len(days), used_days_this_year, policy, article))
    return_day = calendar.next_school_day(to)
    deadline, late = _check_deadline(
        reason, return_day=return_day, submitted_on=submitted_on, calendar=calendar, policy=policy,
        article=article,
    )
    quota_left = _check_quota(reason, len(days), used_days_this_year, policy, article)
    return ExcuseDecision(reason, article, days, return_day, deadline, quota_left, late)


def _check_preconditions(
    reason: ExcuseReason,
    *,
    from_: date,
    submitted_on: date,
    parent_confirmed: bool,
    parent_notified_in_advance: bool,
    director_permission_on: date | None,
    article: str,
) -> None:
    if reason is ExcuseReason.EVENT and not parent_confirmed:
        raise ExcuseRefusedError(
            "parent_confirmed",
            f"Документът за участие изисква потвърждение от родителя ({article}).",
            article,
        )
    if reason is ExcuseReason.PARENT and not parent_notified_in_advance:
        raise ExcuseRefusedError(
            "parent_notified_in_advance",
            "Родителят трябва предварително да уведоми класния ръководител по телефона или по имейл "
            f"({article}).",
            article,
        )
    if reason is ExcuseReason.DIRECTOR:
        if director_permission_on is None:
            raise ExcuseRefusedError(
                "director_permission_on",
                f"Липсва предварително разрешение на директора ({article}).",
                article,
            )
        if director_permission_on >= from_:
            raise ExcuseRefusedError(
                "director_permission_on",
                f"Разрешението на директора от {format_date(director_permission_on)} не е предварително: "
                f"отсъствието започва на {format_date(from_)} ({article}).",
                article,
            )
        if submitted_on > director_permission_on:
            raise ExcuseRefusedError(
                "submitted_on",
                f"Заявлението от {format_date(submitted_on)} е подадено след разрешението на директора "
                f"({article}).",
                article,
            )


def _check_deadline(
    reason: ExcuseReason,
    *,
    return_day: date,
    submitted_on: date,
    calendar: SchoolCalendar,
    policy: ExcusePolicy,
    article: str,
) -> tuple[date | None, bool]:
    days = policy.deadline_days(reason)
    if days is None:
        return None, False
    deadline = calendar.add_school_days(return_day, days)
    if submitted_on <= deadline:
        return deadline, False
    if policy.late_documents is LateDocumentPolicy.ACCEPT_FLAGGED:
        return deadline, True
    raise ExcuseRefusedError(
        "submitted_on",
        f"{reason.label} на {format_date(submitted_on)}, след крайния срок "
        f"{format_date(deadline)} (до {days} учебни дни след завръщането на {format_date(return_day)}, "
        f"{article}).",
        article,
    )


def _check_quota(
    reason: ExcuseReason,
    requested: int,
    used: Mapping[ExcuseReason, int],
    policy: ExcusePolicy,
    article: str,
) -> int | None:
    quota = policy.quota(reason)
    if quota is None:
        return None
    already = sum(used.get(r, 0) for r in policy.quota_group(reason))
    if already + requested > quota:
        left = max(quota - already, 0)
        raise ExcuseRefusedError(
            "to",
            f"Могат да се извинят до {quota} учебни дни в една учебна година по този ред ({article}); "
            f"остават {left}, а се искат {requested}.",
            article,
        )
    return quota - already - requested
