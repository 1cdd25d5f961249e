"""The end-of-day sweep of lessons not recorded: a duty for each teacher who has some (Чл. 97, т. 9).

After the day's last bell (and for the school days of the week before), each teacher's lessons the
timetable has and the register does not become one ``procedure.deadline_set`` for planning, due a
week after the lesson day (absences are finalised within a week), keyed by teacher and day; when the
register has them all, ``procedure.deadline_closed``.  :class:`UnrecordedDuty` remembers what was
announced, so running the sweep twice announces nothing twice.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from services.register.models.timetable import UnrecordedDuty
from services.register.timetable import day as day_reads
from services.register.timetable.now import school_time
from services.register.timetable.rules.bells import parse_bells
from shared.runtime import ServiceRuntime

#: Days looked back at, besides today: a week, the time Чл. 97, т. 9 gives to finalise absences.
LOOK_BACK_DAYS = 7
#: Чл. 97, т. 9: absences are finalised in the register within one week.
FINALISE_WITHIN = dt.timedelta(days=7)
ARTICLE = "Чл. 97, т. 9"


def _key(teacher_id: int, day: dt.date) -> str:
    return f"unrecorded:{teacher_id}:{day.isoformat()}"


def days_to_check(rt: ServiceRuntime) -> list[dt.date]:
    """The week's days before today, and today once its last bell has rung."""
    today = rt.clock.today()
    days = [today - dt.timedelta(days=n) for n in range(LOOK_BACK_DAYS, 0, -1)]
    if school_time(rt) >= parse_bells(rt.settings.school_bells)[-1].end:
        days.append(today)
    return days


def announce_unrecorded(rt: ServiceRuntime) -> int:
    """Sweep: set, update or close each teacher's duty of each day; returns the events published."""
    published = 0
    days = days_to_check(rt)
    today = rt.clock.today()
    with rt.db.transaction() as s:
        duties = {(d.teacher_id, d.date): d for d in s.scalars(sa.select(UnrecordedDuty).where(
            UnrecordedDuty.date.in_(days)))}
        for day in days:
            missing: dict[int, list] = {}
            for state in day_reads.unrecorded(s, day):
                missing.setdefault(state.lesson.teacher_id, []).append(state)
            for teacher_id, states in missing.items():
                lessons = [f"{st.lesson.class_code}/{st.lesson.lesson}" for st in states]
                duty = duties.get((teacher_id, day))
                if duty is not None and duty.lessons == lessons and duty.closed_on is None:
                    continue
                if duty is None:
                    duty = UnrecordedDuty(teacher_id=teacher_id, date=day)
                    s.add(duty)
                duty.lessons, duty.closed_on = lessons, None
                listed = ", ".join(f"{st.lesson.class_code} клас {st.lesson.lesson}. час ({st.lesson.subject})"
                                   for st in states)
                rt.publish(s, "procedure.deadline_set", {
                    "source": "register", "key": _key(teacher_id, day),
                    "title": f"Невписани часове от {day:%d.%m.%Y} – {states[0].teacher}: {listed}",
                    "due": (day + FINALISE_WITHIN).isoformat(), "responsible_roles": ["teacher", "class_teacher"],
                    "article": ARTICLE,
                    "details": {"teacher_id": teacher_id, "date": day.isoformat(), "lessons": lessons}})
                published += 1
            for (teacher_id, duty_day), duty in duties.items():
                if duty_day == day and teacher_id not in missing and duty.closed_on is None:
                    duty.closed_on = today
                    rt.publish(s, "procedure.deadline_closed", {"source": "register", "key": _key(teacher_id, day),
                                                                 "done_on": today.isoformat()})
                    published += 1
    return published
