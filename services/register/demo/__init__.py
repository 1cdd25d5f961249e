"""The demo school (демонстрационно училище), modelled on the seeds: a vocational high school in Русе.

``load(rt)`` runs the steps in order; each step works through the register's own functions, so
events flow to the other services exactly as in real use (letters are drawn up, notices planned).
Other features add their step to ``STEPS``.
"""

from __future__ import annotations

from services.register.demo.absences import record_two_months
from services.register.demo.accounts import DemoAccount, create_accounts
from services.register.demo.assessment import load_assessment_demo
from services.register.demo.school import create_school
from services.register.demo.timetable import create_timetables
from shared.runtime import ServiceRuntime

STEPS = (create_school, create_timetables, record_two_months, load_assessment_demo, create_accounts)


def load(rt: ServiceRuntime) -> list[DemoAccount]:
    """Load the demo school; returns the accounts to show (none when it was loaded before)."""
    context: dict = {}
    for step in STEPS:
        step(rt, context)
    return context.get("accounts", [])
