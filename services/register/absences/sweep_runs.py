"""The heartbeat of the register's date-driven sweeps: when each last completed, for its metric.

``school_register_sweep_last_run_timestamp_seconds{sweep}`` (0: never) ages when a sweep stops
completing, as planning's ``school_planning_sweep_last_run_timestamp_seconds`` does for its own.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.dropout import SweepRun
from shared.metrics import gauge
from shared.platform_models import as_utc, utcnow
from shared.runtime import ServiceRuntime

#: The sweeps whose runs are kept (the names :func:`mark_run` is called with).
SWEEPS = ("dropout_reports", "deregistration_reviews")


def mark_run(session: Session, name: str) -> None:
    """Record a completed pass, in the sweep's own transaction (a rolled-back pass leaves no heartbeat)."""
    run = session.get(SweepRun, name)
    if run is None:
        run = SweepRun(name=name, runs=0)
        session.add(run)
    run.last_run_at = utcnow()
    run.runs = (run.runs or 0) + 1


def collector(rt: ServiceRuntime):
    def collect_register_sweeps():
        with rt.db.sessions() as s:
            runs = {r.name: as_utc(r.last_run_at).timestamp() for r in s.scalars(sa.select(SweepRun))}
        yield gauge("school_register_sweep_last_run_timestamp_seconds",
                    "When each date-driven register sweep last completed (0: never).", ["sweep"],
                    [([name], runs.get(name, 0.0)) for name in SWEEPS])

    return collect_register_sweeps
