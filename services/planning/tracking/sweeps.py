"""The planning sweep (обход на сроковете): catalogue duties, overdue marks and reminders.

Safe to run twice, also concurrently: every reminder is recorded in ``reminders_sent`` under a
unique (item, state, due date) in the same transaction that puts it in the outbox, so a second
pass finds it and sends nothing; a concurrent pass that races it fails on the constraint and
rolls back whole.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.models import TABLES, Activity, Procedure, ReminderSent, SweepRun
from services.planning.procedures import duties
from services.planning.tracking.items import all_items, responsible_users
from services.planning.tracking.rules.states import Item
from shared import audit
from shared.auth.principal import SYSTEM
from shared.auth.roles import ROLES
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

NAME = "planning"
#: States that produce a reminder; "due_soon" once per deadline, not once per day.
REMINDED_STATES = ("due_soon", "due_today", "overdue")


def run(rt: ServiceRuntime) -> dict[str, int]:
    """One pass; returns counts (created duties, newly overdue items, reminders sent)."""
    today = rt.clock.today()
    with rt.db.transaction() as s:
        state = s.get(SweepRun, NAME)
        if state is None:
            state = SweepRun(name=NAME, first_run_on=today, last_run_at=utcnow(), runs=0)
            s.add(state)
        created = duties.create_due_duties(s, today, state.first_run_on)
        s.flush()
        newly_overdue = reminders = 0
        sent = {(r.item_kind, r.item_id, r.state, r.due) for r in s.scalars(sa.select(ReminderSent))}
        for item in all_items(s, open_only=True):
            item_state = item.state(today, rt.settings.reminder_days_before)
            if item_state == "overdue" and _mark_overdue(s, item, today):
                newly_overdue += 1
            if item_state in REMINDED_STATES and (item.kind, item.id, item_state, item.due) not in sent:
                _remind(rt, s, item, item_state, today)
                reminders += 1
        state.last_run_at = utcnow()
        state.runs += 1
    if newly_overdue or reminders or created:
        log.info("planning sweep: %d duties created, %d newly overdue, %d reminders", created, newly_overdue,
                 reminders)
    return {"created": created, "overdue": newly_overdue, "reminders": reminders}


def _mark_overdue(session: Session, item: Item, today) -> bool:
    model = Activity if item.kind == "activity" else Procedure
    row = session.get(model, item.id)
    if row.overdue_since is not None:
        return False
    row.overdue_since = today
    audit.record(session, TABLES, SYSTEM, f"{item.kind}.overdue", item.kind, item.id,
                 after={"due": item.due.isoformat(), "overdue_since": today.isoformat()})
    return True


def _remind(rt: ServiceRuntime, session: Session, item: Item, state: str, today) -> None:
    # notifications reaches everyone with a named role: name roles only when no user could be
    # resolved, and never for a one-class duty (it would reach every class teacher)
    user_ids = responsible_users(session, item)
    roles = [] if user_ids or item.class_code else [role for role in item.roles if role in ROLES]
    message_id = rt.publish(session, "planning.reminder_due", {
        "item_kind": item.kind, "item_id": str(item.id), "title": item.title, "due": item.due.isoformat(),
        "state": state, "responsible_roles": roles, "responsible_user_ids": user_ids})
    session.add(ReminderSent(item_kind=item.kind, item_id=item.id, state=state, due=item.due, sent_on=today,
                             message_id=message_id))
