"""The heartbeat of the register's date-driven sweeps: when each last completed, for its metric.

Their rules are about days (a month before a term ends, more than two months away), so each does its
full pass once per school day (:func:`done_today`): the scheduler calls every sweep every minute, and
reading a year of absences every minute would be waste. Every call still beats the heartbeat.

``school_register_sweep_last_run_timestamp_seconds{sweep}`` (0: never) ages when a sweep stops
completing, as planning's ``school_planning_sweep_last_run_timestamp_seconds`` does for its own.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.dropout import SweepRun
from shared.db import dialect_insert
from shared.metrics import gauge
from shared.platform_models import as_utc, utcnow
from shared.runtime import ServiceRuntime

#: The sweeps whose runs are kept (the names :func:`mark_run` is called with).
SWEEPS = ("dropout_reports", "deregistration_reviews")


def done_today(session: Session, name: str, today: dt.date) -> bool:
    """Whether the sweep's full pass of ``today`` has completed already (then only the heartbeat beats).

    The sweep's row stays locked until the caller's transaction ends: a second pass of the same day
    started meanwhile (another worker's scheduler tick, a manual run) waits for this one and then
    finds it done, instead of doing the day's work again and failing on its unique keys.
    """
    session.execute(dialect_insert(session, SweepRun.__table__).values(name=name, runs=0, last_run_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["name"]))
    run = session.scalar(sa.select(SweepRun).where(SweepRun.name == name).with_for_update())
    return run.last_day == today


def mark_run(session: Session, name: str, today: dt.date | None = None) -> None:
    """Record a completed call, in the sweep's own transaction (a rolled-back pass leaves no heartbeat).

    Parameters:
      today: the school day whose full pass this was; ``None`` for a call that found it done.
    """
    run = session.get(SweepRun, name)
    if run is None:
        run = SweepRun(name=name, runs=0)
        session.add(run)
    run.last_run_at = utcnow()
    run.runs = (run.runs or 0) + 1
    if today is not None:
        run.last_day = today


def collector(rt: ServiceRuntime):
    def collect_register_sweeps():
        with rt.db.sessions() as s:
            runs = {r.name: as_utc(r.last_run_at).timestamp() for r in s.scalars(sa.select(SweepRun))}
        yield gauge("school_register_sweep_last_run_timestamp_seconds",
                    "When each date-driven register sweep last completed (0: never).", ["sweep"],
                    [([name], runs.get(name, 0.0)) for name in SWEEPS])

    return collect_register_sweeps
