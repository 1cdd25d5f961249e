"""Planning's Prometheus metrics, read from the database at scrape time (no per-item labels).

- ``school_planning_items{kind, state}``: open, due_soon, due_today, overdue, done, needs_date, no_deadline;
- ``school_planning_oldest_overdue_seconds{kind}``: age of the oldest overdue item (0 when none);
- ``school_planning_deadlines_missed_total{kind}``: items the sweep ever found past their deadline;
- ``school_planning_sweep_last_run_timestamp_seconds``: when the sweep last completed (0: never).
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from prometheus_client.core import CounterMetricFamily

from services.planning.models import Activity, Procedure, SweepRun
from services.planning.tracking.items import all_items, closed_counts
from services.planning.tracking.sweeps import NAME
from shared.metrics import gauge
from shared.platform_models import as_utc
from shared.runtime import ServiceRuntime

KINDS = ("activity", "procedure")
STATES = ("open", "due_soon", "due_today", "overdue", "done", "needs_date", "no_deadline")
_DAY_S = 86_400


def collector(rt: ServiceRuntime):
    def collect_planning():
        today = rt.clock.today()
        with rt.db.sessions() as s:
            items = all_items(s, open_only=True)
            closed = closed_counts(s)
            missed = {"activity": s.scalar(sa.select(sa.func.count()).where(Activity.overdue_since.is_not(None))),
                      "procedure": s.scalar(sa.select(sa.func.count()).where(Procedure.overdue_since.is_not(None)))}
            run = s.get(SweepRun, NAME)
            last_run = as_utc(run.last_run_at).timestamp() if run else 0.0
        states = Counter((item.kind, item.state(today, rt.settings.reminder_days_before)) for item in items)
        for kind, count in closed.items():
            states[(kind, "done")] += count
        oldest: dict[str, int] = dict.fromkeys(KINDS, 0)
        for item in items:
            if item.state(today, rt.settings.reminder_days_before) == "overdue":
                oldest[item.kind] = max(oldest[item.kind], (today - item.due).days)
        yield gauge("school_planning_items", "Tracked plan activities and procedures by state.", ["kind", "state"],
                    [([kind, state], states[(kind, state)]) for kind in KINDS for state in STATES])
        yield gauge("school_planning_oldest_overdue_seconds", "Age of the oldest overdue item (0: none).", ["kind"],
                    [([kind], oldest[kind] * _DAY_S) for kind in KINDS])
        missed_family = CounterMetricFamily("school_planning_deadlines_missed", "Items found past their deadline.",
                                            labels=["kind"])
        for kind in KINDS:
            missed_family.add_metric([kind], missed[kind] or 0)
        yield missed_family
        yield gauge("school_planning_sweep_last_run_timestamp_seconds", "When the planning sweep last completed.",
                    [], [([], last_run)])

    return collect_planning
