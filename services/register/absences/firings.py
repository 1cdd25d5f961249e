"""The rulebook's absence rules at work (правила за отсъствия): counters, firings, events.

Every change of a student's unexcused total (a mark recorded, corrected or excused) goes through
:func:`apply_batch` in the same transaction: the running counter of each counting period moves,
the rule pack's counter rules are evaluated on the before/after totals, and each new firing is
stored under a unique (student, rule, threshold, period) key and announced once as
``register.rule_fired`` (see :mod:`services.register.absences.announcing`).  Nothing here scans the
absence history.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session

from services.register.absences import scholarships
from services.register.absences.announcing import StoredFiring, announce, with_lower_rungs
from services.register.absences.rules.counting import UnexcusedTotal
from services.register.absences.rules.evaluator import Firing, evaluate_change
from services.register.absences.rules.periods import PeriodKind, period_key
from services.register.absences.rules.rulepack import RulePack
from services.register.absences.rules.rulepack_loader import load_rule_pack_file
from services.register.models.absences import AbsenceCounter, RuleFiring
from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.rules.errors import CalendarError
from shared.db_bulk.copy_load import copy_rows
from shared.db_bulk.recordset_insert import RowsInsert
from shared.runtime import ServiceRuntime


class StudentRef(Protocol):
    """What the rules need of a student: an ORM ``Student`` or a lighter row with the same names."""

    id: int
    class_code: str

    @property
    def full_name(self) -> str: ...


def load_pack(rt: ServiceRuntime) -> RulePack:
    """The school's rule pack (setting ``rule_pack``) or the shipped default from the plugin registry."""
    if rt.settings.rule_pack:
        return load_rule_pack_file(Path(rt.settings.rule_pack))
    return load_rule_pack_file(rt.plugins.get("rule_packs", "default")())


def half_hours(kind: str, late_half_hours: int) -> int:
    """What one mark adds to the unexcused total, in half-hours (excused marks add nothing)."""
    return {"unexcused": 2, "late": late_half_hours}.get(kind, 0)


_COUNTERS = AbsenceCounter.__table__
#: Adds each delta to its counter, creating it at 0 first; hands back the new totals.
_COUNTERS_ADD = RowsInsert(
    _COUNTERS, ("student_id", "period_kind", "period_key", "half_hours"),
    lambda insert: insert.on_conflict_do_update(
        index_elements=["student_id", "period_kind", "period_key"],
        set_={"half_hours": _COUNTERS.c.half_hours + insert.excluded.half_hours},
    ).returning(_COUNTERS.c.student_id, _COUNTERS.c.period_kind, _COUNTERS.c.period_key, _COUNTERS.c.half_hours))

_FIRINGS = RuleFiring.__table__
_FIRING_COLUMNS = ("student_id", "rule_id", "article", "action", "threshold", "count", "period", "message",
                   "fired_at", "counted_to", "event_id")
_FIRING_KEY = ("student_id", "rule_id", "threshold", "period")
#: Stores candidate firings; the unique key drops those that fired before, RETURNING names the new ones.
_FIRINGS_INSERT = RowsInsert(
    _FIRINGS, _FIRING_COLUMNS,
    lambda insert: insert.on_conflict_do_nothing(index_elements=list(_FIRING_KEY)).returning(
        _FIRINGS.c.id, _FIRINGS.c.student_id, _FIRINGS.c.rule_id, _FIRINGS.c.threshold, _FIRINGS.c.period))


def _counter_keys(pack: RulePack, changes, calendar_of) -> dict[tuple[int, PeriodKind, str], list]:
    """Sum the deltas per student and counting period: ``{(student, kind, key): [delta, last day, calendar]}``.

    The period keys are worked out once per distinct day (an import brings 100,000 marks on a few
    hundred days).
    """
    totals: dict[tuple[int, PeriodKind, str], list] = {}
    kinds = pack.periods_in_use()
    keys_of_day: dict[dt.date, tuple[SchoolCalendar, list[tuple[PeriodKind, str]]]] = {}
    for student, day, delta in changes:
        if not delta:
            continue
        if day not in keys_of_day:
            calendar = calendar_of(day)
            keys = []
            for kind in kinds:
                try:
                    keys.append((kind, period_key(kind, day, calendar)))
                except CalendarError:
                    continue  # e.g. a term key for a day between terms: no term rule counts it
            keys_of_day[day] = (calendar, keys)
        calendar, keys = keys_of_day[day]
        for kind, key in keys:
            entry = totals.setdefault((student.id, kind, key), [0, day, calendar])
            entry[0] += delta
            entry[1] = max(entry[1], day)
    return totals


def apply_batch(session: Session, rt: ServiceRuntime, changes: list[tuple[StudentRef, dt.date, int]],
                calendar_of: Callable[[dt.date], SchoolCalendar], *, announce_later: bool = False) -> None:
    """Move the counters for many marks at once and store the firings they cause, each announced once.

    Two statements per call, whatever the number of marks, and a third only when a threshold is
    crossed: see :func:`_add_to_counters` and :func:`_store_firings`.

    Parameters:
      announce_later: store the firings without their events and enqueue the job that announces
        them after the commit (a bulk import); otherwise they are announced in this transaction.
    """
    pack: RulePack = rt.components.rule_pack
    totals = _counter_keys(pack, changes, calendar_of)
    if not totals:
        return
    after = _add_to_counters(session, {key: entry[0] for key, entry in totals.items()})
    students = {student.id: student for student, _day, _delta in changes}
    # A month excused below the threshold is no longer a ground to stop a scholarship (Чл. 26, ал. 1, т. 23).
    lowered = {(sid, key): after[(sid, str(kind), key)] for (sid, kind, key), (delta, _day, _cal) in totals.items()
               if delta < 0 and kind is PeriodKind.MONTH}
    if lowered:
        scholarships.lift_stops(session, rt, lowered, students)
    found: list[tuple[int, Firing, dt.date, SchoolCalendar]] = []
    for (sid, kind, key), (delta, last_day, calendar) in totals.items():
        if delta <= 0:  # excusing or correcting down never fires; crossing again later does not refire
            continue
        new_total = after[(sid, str(kind), key)]
        found.extend((sid, firing, last_day, calendar) for firing in evaluate_change(
            pack, before=UnexcusedTotal(new_total - delta), after=UnexcusedTotal(new_total), period_key=key,
            period=kind))
    # The scholarship stop concerns only holders of a scholarship in the month (Чл. 26, ал. 1, т. 23).
    found = scholarships.keep_holders(session, rt, found, students)
    if not found:
        return
    if announce_later:
        _store_firings_for_later(session, rt, found)
    else:
        _store_firings(session, rt, students, found)


def _add_to_counters(session: Session, deltas: dict[tuple[int, PeriodKind, str], int]) -> dict[tuple, int]:
    """Add each delta to its counter (created at 0 if missing) in one upsert; returns the new totals.

    ``ON CONFLICT DO UPDATE`` locks the row, so two requests for the same student on PostgreSQL add up
    (the second sees the first's committed total) and each learns the total its own change produced:
    ``before = after - delta`` is exactly what that change crossed from.  Rows go in key order, so
    concurrent requests lock shared counters in the same order and cannot deadlock.
    """
    rows = [{"student_id": sid, "period_kind": str(kind), "period_key": key, "half_hours": delta}
            for (sid, kind, key), delta in sorted(deltas.items())]
    added = _COUNTERS_ADD.execute(session, rows)
    return {(r.student_id, r.period_kind, r.period_key): r.half_hours for r in added}


def _firing_rows(rt: ServiceRuntime, found: list, event_ids: list[str | None]) -> list[tuple]:
    stamp = rt.clock.now()  # the school's today (SCHOOL_TODAY when a year is replayed), real time of day
    return [(sid, f.rule_id, f.article, str(f.action.kind), f.threshold, f.count, f.period_key, f.message, stamp,
             last_day, event_id) for (sid, f, last_day, _calendar), event_id in zip(found, event_ids, strict=True)]


def _store_firings(session: Session, rt: ServiceRuntime, students: dict[int, StudentRef], found: list) -> None:
    """Insert the candidate firings and announce those the unique key lets in.

    The key (student, rule, threshold, period) is the memory of what already fired: a threshold
    crossed again after an excuse, a retried request or a concurrent one finds its row taken, and
    ``RETURNING`` hands back only the rows this statement inserted.
    """
    # One event per student, rule and period: rungs crossed together are one letter (announcing.py).
    group_ids: dict[tuple, str] = {}
    event_ids = [group_ids.setdefault((sid, f.rule_id, f.period_key), str(uuid.uuid4())) for sid, f, *_ in found]
    rows = _firing_rows(rt, found, event_ids)
    inserted = _FIRINGS_INSERT.execute(session, [dict(zip(_FIRING_COLUMNS, row, strict=True)) for row in rows])
    ours = {(r.student_id, r.rule_id, r.threshold, r.period): r.id for r in inserted}
    groups: dict[str, list[tuple[StoredFiring, SchoolCalendar]]] = {}
    for (sid, firing, last_day, calendar), event_id in zip(found, event_ids, strict=True):
        firing_id = ours.get((sid, firing.rule_id, firing.threshold, firing.period_key))
        if firing_id is not None:
            stored = StoredFiring(firing_id, sid, firing.rule_id, firing.article, firing.threshold, firing.count,
                                  firing.period_key, firing.message, last_day, str(firing.action.kind))
            groups.setdefault(event_id, []).append((stored, calendar))
    for event_id, group in groups.items():
        group.sort(key=lambda entry: entry[0].threshold)
        highest, calendar = group[-1]
        announce(session, rt, with_lower_rungs(highest, [stored for stored, _ in group[:-1]]), event_id,
                 students[highest.student_id], calendar)


def _store_firings_for_later(session: Session, rt: ServiceRuntime, found: list) -> None:
    """Load the firings in bulk, skipping those whose key is taken, and enqueue their announcement.

    No ``RETURNING`` is needed: the ones stored here are exactly those left without an event, and
    the job announces those (:func:`services.register.absences.announcing.publish_waiting`).
    """
    copy_rows(session, _FIRINGS, _FIRING_COLUMNS, _firing_rows(rt, found, [None] * len(found)),
              skip_duplicates_of=_FIRING_KEY)
    rt.enqueue_job(session, "publish_firings")

