"""More than 25 % of a subject's hours missed for valid reasons (Чл. 61, ал. 2; спец. §1.4, 25-A, O5).

For a student of the daily form whose excused absences pass 25 % of a subject's hours in the term so
that the term grade cannot be formed (the minimum of current assessments, Чл. 129, is not reached),
the director sets by order, on the pedagogical council's proposal, the conditions and procedure of
assessment; the student has an extended term when a stay in hospital, temporary incapacity or a stay
abroad for treatment of not less than 20 consecutive days is proven. The rulebook does not say which
days count (§10.B-29); calendar days are counted, as the ground is a stay, not school attendance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

ARTICLE = "Чл. 61, ал. 2"
#: Share of the subject's term hours, in percent, that excused absences must pass ("повече от 25%").
THRESHOLD_PERCENT = 25


class ExtendedGround(StrEnum):
    """Grounds of the extended term (Чл. 61, ал. 2), recorded on the excuse that proves them."""

    HOSPITAL = "hospital"  # престой в болнично заведение
    INCAPACITY = "incapacity"  # временна нетрудоспособност
    ABROAD_TREATMENT = "abroad_treatment"  # престой в чужбина по медицински причини

    @property
    def label(self) -> str:
        return {
            ExtendedGround.HOSPITAL: "престой в болнично заведение",
            ExtendedGround.INCAPACITY: "временна нетрудоспособност",
            ExtendedGround.ABROAD_TREATMENT: "престой в чужбина по медицински причини",
        }[self]


@dataclass(frozen=True)
class GroundPeriod:
    """A proven period of one of the grounds, inclusive of both days."""

    ground: ExtendedGround
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def order_due(excused_hours: Fraction | int, planned_hours: Fraction | int, *, minimum_missing: bool,
              threshold_percent: int = THRESHOLD_PERCENT) -> bool:
    """The order of Чл. 61, ал. 2 is due: more than the threshold excused and the grade cannot be formed."""
    if planned_hours <= 0 or not minimum_missing:
        return False
    return Fraction(excused_hours) / Fraction(planned_hours) > Fraction(threshold_percent, 100)


def extended_term_ground(periods: Iterable[GroundPeriod], *, min_days: int) -> GroundPeriod | None:
    """The longest run of proven days of at least ``min_days`` consecutive days, or ``None``.

    Periods that touch or overlap join into one run (a hospital stay followed by incapacity at home
    is one run of consecutive days); the run is named by the ground of its first period.
    """
    runs: list[GroundPeriod] = []
    for period in sorted(periods, key=lambda p: p.start):
        if runs and period.start <= runs[-1].end + timedelta(days=1):
            last = runs[-1]
            runs[-1] = GroundPeriod(last.ground, last.start, max(last.end, period.end))
        else:
            runs.append(period)
    best = max(runs, key=lambda run: run.days, default=None)
    return best if best is not None and best.days >= min_days else None
