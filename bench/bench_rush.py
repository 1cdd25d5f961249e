"""The start-of-lesson rush in the production layout (issue 17, point 8).

PostgreSQL (one database per service, created for the run and dropped after it), the Redis server
(database 1, flushed after), and per service a gunicorn app (``schoolctl serve``, 2 workers) and a
Dramatiq worker (``schoolctl worker``), plus the single ``schoolctl scheduler``, each a subprocess
on a free port; a local SMTP server (aiosmtpd) receives the guardians' e-mails.  The school is set
up through the API: ``--teachers`` classes, each with its class teacher and ``--class-size``
students with a guardian's e-mail, ``--parents`` of them with a parent's account.

Users sign in through ``/login`` with the form's CSRF token, as a browser does, and keep their
session (``requests``).  Then, in the same run:

* idle: the pages, one request at a time, ``--requests`` times each: a teacher's lesson page opened
  and saved (``/register/classes/{code}/lessons``), a parent's child page (``/register/students/{id}``),
  the documents list (``/documents/``) and the API's list of documents beside it;
* rush, all at once within ``--window`` seconds: every teacher opens and saves one lesson (a few
  students absent, two of them crossing the parent-notice threshold of 3 unexcused hours), the
  secretary requests ``--letters`` letters to parents (``POST /api/documents/documents/batch``) and
  keeps opening the documents list, every parent opens their child's page.

Figures: errors (any unexpected status, must be 0); each page's p95 during the rush against the
same page idle (ratio, goal ≤ 3); the letters' time until all done; the time from the end of the
rush until every parent notice is handled (no delivery left ``queued``, every absent student's
guardian mailed, the threshold letters' notices there), goal ≤ 60 s.

Run: ``.venv/bin/python bench/bench_rush.py [--teachers 60] [--parents 300] [--letters 200]``.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import contextlib
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import PASSWORD, percentile, summary
from bench.rush_layout import (
    CSRF,
    Failures,
    Layout,
    Site,
    api_session,
    processor_seconds,
    sign_in,
    stolen_seconds,
    wait_until_quiet,
)
from bench.rush_school import (
    CROSSING,
    EARLIER,
    OTHERS_ABSENT,
    SUBJECT,
    TODAY,
    School,
    deliveries,
    set_up,
    wait_until,
)

#: The lesson the rush records, today.
RUSH_LESSON = 2
#: Requests not counted at the start of the idle series: templates compiled, caches filled.
WARMUP = 3

# --- the figures ----------------------------------------------------------------------------------


def lesson_path(code: str, day: dt.date, lesson: int) -> str:
    return f"/register/classes/{code}/lessons?date={day.isoformat()}&lesson={lesson}"


def save_lesson(site: Site, http: requests.Session, code: str, day: dt.date, lesson: int,
                marks: dict[int, str], phase: str) -> None:
    """A teacher's lesson: the page opened, the marks saved (the form as the page sends it)."""
    path = lesson_path(code, day, lesson)
    page = site.call(http, "GET", path, label=f"{phase}: lesson page, open")
    if page is None:
        return
    form = {"csrf_token": CSRF.search(page.text).group(1), "mode": "record", "date": day.isoformat(),
            "lesson": str(lesson), "subject": SUBJECT}
    form |= {f"mark-{sid}": kind for sid, kind in marks.items()}
    site.call(http, "POST", path, data=form, expect=303, label=f"{phase}: lesson page, save")


def open_child(site: Site, http: requests.Session, child: int, phase: str) -> None:
    """A parent opens the child's page, as the issue's rush has it (the page only: parents have no API client)."""
    site.call(http, "GET", f"/register/students/{child}", label=f"{phase}: child's page")


def open_documents(site: Site, http: requests.Session, api: requests.Session, phase: str) -> None:
    site.call(http, "GET", "/documents/", label=f"{phase}: documents list")
    site.call(api, "GET", "/api/documents/documents", label=f"{phase}: API documents list")


def past_slots():
    """Lessons of earlier school days, newest first: the idle phase's saves."""
    day = EARLIER - dt.timedelta(days=1)
    while True:
        if day.weekday() < 5:
            for lesson in range(1, 8):
                yield day, lesson
        day -= dt.timedelta(days=1)


def idle(site: Site, school: School, sessions: dict, tokens: dict, n: int) -> None:
    teacher, code, students = school.teachers[0]
    parent, child = school.parents[0]
    slots = past_slots()
    late = [sid for sid in students if sid not in school.crossing[code]]
    for i in range(n + WARMUP):
        if i == WARMUP:
            site.timings.clear()
        day, lesson = next(slots)
        # Late students in turn: none reaches a rung, as at the rush's other absent students.
        marks = {late[(i * 2 + k) % len(late)]: "late" for k in range(2)}
        save_lesson(site, sessions[teacher], code, day, lesson, marks, "idle")
        open_child(site, sessions[parent], child, "idle")
        open_documents(site, sessions["Секретар Петрова"], api_session(tokens["Секретар Петрова"]), "idle")


def at(start: float, offset: float, work) -> None:
    time.sleep(max(0.0, start + offset - time.monotonic()))
    work()


def rush(layout: Layout, site: Site, school: School, sessions: dict, tokens: dict, args, letter: dict) -> dict:
    """Everything within the window, each user at their own moment; returns the letters' and notices' facts."""
    window = args.window
    secretary = sessions["Секретар Петрова"]
    secretary_api = api_session(tokens["Секретар Петрова"])
    facts: dict = {}
    absent: list[int] = []
    jobs = []
    for index, (teacher, code, students) in enumerate(school.teachers):
        others = [sid for sid in students if sid not in school.crossing[code]][-OTHERS_ABSENT:]
        marks = dict.fromkeys(school.crossing[code], "unexcused") | dict.fromkeys(others, "late")
        absent += list(marks)
        jobs.append((window * index / len(school.teachers), lambda t=teacher, c=code, m=marks: save_lesson(
            site, sessions[t], c, TODAY, RUSH_LESSON, m, "rush")))
    for index, (parent, child) in enumerate(school.parents):
        jobs.append((window * index / len(school.parents), lambda p=parent, c=child: open_child(
            site, sessions[p], c, "rush")))

    def letters() -> None:
        contexts = [letter | {"outgoing_number": str(2000 + k)} for k in range(args.letters)]
        begin = time.monotonic()
        answer = site.call(secretary_api, "POST", "/api/documents/documents/batch", expect=202,
                           json={"template": "absence_letter", "contexts": contexts},
                           label="rush: API letters batch, request")
        if answer is None:
            return
        batch = answer.json()["batch_id"]

        def done() -> bool:
            state = site.call(secretary_api, "GET", f"/api/documents/documents/batches/{batch}")
            return state is not None and state.json()["done"] + state.json()["failed"] == args.letters
        wait_until("the letters are done", done, timeout=600)
        facts["letters_s"] = time.monotonic() - begin
        state = site.call(secretary_api, "GET", f"/api/documents/documents/batches/{batch}").json()
        if state["failed"]:
            site.failures.add(f"{state['failed']} of the letters failed")

    jobs.append((0.0, letters))
    ticks = max(2, int(window / 0.5))
    for k in range(ticks):  # the secretary keeps an eye on the list while the letters are made
        jobs.append((window * k / ticks, lambda: open_documents(site, secretary, secretary_api, "rush")))
    start = time.monotonic() + 0.5
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(at, start, offset, work) for offset, work in jobs]
        requests_done = [f for f, (_o, w) in zip(futures, jobs, strict=True) if w is not letters]
        concurrent.futures.wait(requests_done)
        facts["rush_s"] = time.monotonic() - start
        facts["ended"] = time.monotonic()
        facts["processor_at_end"] = processor_seconds(layout)
        for future in futures:
            future.result()
    facts["absent"] = absent
    return facts


def notices_handled(site: Site, school: School, director: requests.Session, absent: list[int], before: int,
                    crossing: int):
    """No delivery since the rush still queued, every absent student's guardian mailed, the rungs' notices there."""
    state = {}

    def check() -> bool:
        new = [d for d in deliveries(site, director) if d["id"] > before]
        mailed = {d["recipient"] for d in new if d["channel"] == "email" and d["status"] == "sent"}
        ladder = [d for d in new if d["rule_id"] == "parent_notification_ladder"]
        state.update(new=new, ladder=ladder)
        return (all(d["status"] != "queued" for d in new)
                and all(school.guardian_email[sid] in mailed for sid in absent)
                and len(ladder) >= crossing)
    return check, state


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teachers", type=int, default=60, help="teachers, each with a class of their own")
    parser.add_argument("--class-size", type=int, default=25)
    parser.add_argument("--parents", type=int, default=300)
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--window", type=float, default=10.0, help="seconds the rush is spread over")
    parser.add_argument("--requests", type=int, default=30, help="idle requests of each page")
    parser.add_argument("--quiet-wait", type=float, default=240.0, metavar="SECONDS",
                        help="wait at most this long for the machine to be quiet before the idle series")
    parser.add_argument("--setting", action="append", default=[], metavar="SCHOOL_NAME=VALUE",
                        help="a setting of the school's services other than its default (repeatable)")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.setting)
    if bad := [name for name in settings if not name.startswith("SCHOOL_")]:
        parser.error(f"not a setting: {', '.join(bad)}")
    failures = Failures()
    with tempfile.TemporaryDirectory() as tmp:
        layout = Layout(Path(tmp), TODAY, settings)
        try:
            begin = time.monotonic()
            layout.open()
            site = Site(layout.ports, failures)
            print(f"production layout up in {time.monotonic() - begin:.1f} s: 4 gunicorn apps (2 workers × 4 threads), "
                  "4 workers, the scheduler, PostgreSQL, Redis, SMTP")
            run(layout, site, args)
        except BaseException:
            layout.print_logs()
            raise
        finally:
            for entry in layout.stopped():
                failures.add(entry)
            retried = layout.retried_jobs()
            layout.close()
    if retried:
        print(f"exceptions the workers logged, their jobs retried: {dict(retried)}")
    print(f"errors (unexpected statuses, failed letters, unhandled notices, crashed processes): "
          f"{len(failures.seen)} (goal 0)")
    for entry in failures.seen[:20]:
        print(f"  {entry}")
    if failures.seen:
        sys.exit(1)


def run(layout: Layout, site: Site, args) -> None:
    begin = time.monotonic()
    school = set_up(layout, site, args)
    director = api_session(school.director)
    names = ["Секретар Петрова", *(t for t, _c, _s in school.teachers), *(p for p, _c in school.parents)]
    tokens = {name: token for name, (_id, token) in school.tokens.items()}
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        sessions = dict(zip(names, pool.map(lambda name: sign_in(site, name, PASSWORD), names), strict=True))
    secretary = sessions["Секретар Петрова"]
    wait_until("the secretary reaches the documents service",
               lambda: requests_ok(secretary, site.url("/documents/")), timeout=600)
    letter = site.call(director, "GET", "/api/documents/templates").json()
    letter = next(t["example"] for t in letter if t["key"] == "absence_letter")
    # The notices of the set-up (yesterday's hours) are all out before anything is timed.
    wait_until("the set-up's notices are handled",
               lambda: (d := deliveries(site, director)) and all(x["status"] != "queued" for x in d), timeout=300)
    print(f"school set up in {time.monotonic() - begin:.1f} s: {args.teachers} classes of {args.class_size} "
          f"with their class teachers, {len(school.parents)} parents with accounts, all signed in")
    waited, share = wait_until_quiet(timeout_s=args.quiet_wait)
    print(f"waited {waited:.0f} s for a quiet machine before the idle series (cores {share:.0%} busy)")
    idle_began, stolen_before = time.monotonic(), stolen_seconds()
    idle(site, school, sessions, tokens, args.requests)
    print(f"idle series: {time.monotonic() - idle_began:.1f} s, of which the host took "
          f"{stolen_seconds() - stolen_before:.1f} processor seconds for other virtual machines (steal)")
    idle_times = dict(site.timings)
    site.timings.clear()
    before = max((d["id"] for d in deliveries(site, director)), default=0)
    load = os.getloadavg()[0]
    processor_before = processor_seconds(layout)
    facts = rush(layout, site, school, sessions, tokens, args, letter)
    check, state = notices_handled(site, school, director, facts["absent"], before,
                                   CROSSING * len(school.teachers))
    try:
        wait_until("every parent notice of the rush is handled", check, timeout=300)
    except SystemExit as exc:
        site.failures.add(str(exc))
    handled_after = time.monotonic() - facts["ended"]
    processor_after = processor_seconds(layout)
    rush_times = dict(site.timings)
    print(f"rush: {len(school.teachers)} lessons saved, {len(school.parents)} children's pages, "
          f"{args.letters} letters, over {args.window:.0f} s; all requests answered in {facts['rush_s']:.1f} s "
          f"({sum(map(len, rush_times.values())) / facts['rush_s']:.0f} requests/s); the machine's load average "
          f"{load:.1f} before the rush, {os.getloadavg()[0]:.1f} after it, on {os.cpu_count()} cores")
    for what in sorted({k.split(": ", 1)[1] for k in idle_times}):
        calm, busy = idle_times.get(f"idle: {what}", []), rush_times.get(f"rush: {what}", [])
        if not busy:
            continue
        print(f"  idle {what}: {summary(calm)} ms")
        print(f"  rush {what}: {summary(busy)} ms")
        ratio = percentile(busy, 95) / percentile(calm, 95)
        print(f"{what}: p95 rush {percentile(busy, 95):.1f} ms vs idle {percentile(calm, 95):.1f} ms "
              f"→ ratio {ratio:.2f} (goal ≤ 3)")
    request = rush_times.get("rush: API letters batch, request", [float("nan")])[0]
    letters = facts.get("letters_s", float("nan"))
    print(f"{args.letters} letters: requested in {request:.0f} ms, all done {letters:.1f} s after the request")
    new = state.get("new", [])
    for failed in (d for d in new if d["status"] == "failed"):
        site.failures.add(f"delivery {failed['id']} ({failed['channel']} to {failed['recipient']}) failed")
    by_kind = collections.Counter((d["channel"], d["status"]) for d in new)
    print(f"parent notices of the rush: {len(new)} deliveries ({dict(by_kind)}), "
          f"{len(state.get('ladder', []))} of the ladder (Чл. 97, т. 8); SMTP received {len(layout.smtp.received)}")
    print(f"every notice handled {handled_after:.1f} s after the rush ended (goal ≤ 60)")
    print_processor_time(processor_before, facts["processor_at_end"], processor_after, facts["rush_s"],
                         handled_after)
    if handled_after > 60:
        print("  (goal missed)")


def print_processor_time(before: collections.Counter, at_end: collections.Counter, after: collections.Counter,
                         rush_s: float, catch_up_s: float) -> None:
    """Who used the processor during the rush's requests and during the catch-up after them."""
    cores = os.cpu_count() or 1
    print(f"processor seconds during the rush's {rush_s:.1f} s (of {cores * rush_s:.0f} on {cores} cores) "
          f"and the {catch_up_s:.1f} s after it:")
    for name in sorted(after, key=lambda n: -(at_end[n] - before[n])):
        if name not in ("machine", "stolen"):
            print(f"  {name}: {at_end[name] - before[name]:.1f} s, then {after[name] - at_end[name]:.1f} s")
    print(f"  the whole machine: {at_end['machine'] - before['machine']:.1f} s, "
          f"then {after['machine'] - at_end['machine']:.1f} s")
    print(f"  taken by the host for other virtual machines (steal): {at_end['stolen'] - before['stolen']:.1f} s, "
          f"then {after['stolen'] - at_end['stolen']:.1f} s")


def requests_ok(http: requests.Session, url: str) -> bool:
    with contextlib.suppress(requests.RequestException):
        answer = http.get(url, timeout=30, allow_redirects=False)
        if answer.status_code != 200:
            print(f"  {url}: {answer.status_code} {answer.headers.get('Location', '')}", file=sys.stderr)
        return answer.status_code == 200
    return False


if __name__ == "__main__":
    main()
