"""What ``/admin/system`` shows, read from the broker only (``shared.messaging.health``), and retrying a dead letter.

The queue depths and dead letters are the broker's own; each service's health, outbox backlog
and failures are the snapshots its worker publishes into the broker; the scheduler's last run is
the key it writes there. Nothing here reads another service's database or calls it over HTTP.
"""

from __future__ import annotations

import datetime as dt
import time

from services.register.models import TABLES
from shared import audit
from shared.auth.principal import Principal
from shared.errors import InvalidInputError
from shared.messaging import dead_letters, health
from shared.messaging.queues import HEARTBEAT_KEY, SCHEDULER_KEY, queue_depths, queue_names
from shared.runtime import ServiceRuntime
from shared.settings import SERVICES

#: The services as the administrator reads them.
TITLES = {"register": "Дневник", "documents": "Документи", "notifications": "Известия",
          "planning": "Планиране и срокове"}
#: What each counted failure is called on the page.
FAILURE_TITLES = {"failed_documents": "Неуспели документи", "failed_deliveries": "Неуспели известия"}
#: The readiness checks' names as the administrator reads them (a plugin channel keeps its own name).
CHECK_TITLES = {"database": "База данни", "pdf": "PDF (LibreOffice)", "email": "Имейл", "sms": "SMS",
                "inbox": "Известия в системата"}
#: The scheduler sweeps every minute; three missed passes and the page calls it late.
SCHEDULER_LATE_S = 180


def _service(name: str, snap: dict | None, heartbeat: float | None, now: float) -> dict:
    if snap is None:
        state = "down"
    else:
        state = "ok" if all(v == "ok" or v.startswith("изключен") for v in snap["checks"].values()) else "problem"
    checks = [(CHECK_TITLES.get(k, k), v) for k, v in (snap or {}).get("checks", {}).items()]
    return {"name": name, "title": TITLES.get(name, name), "state": state, "snapshot": snap, "checks": checks,
            "heartbeat_age_s": None if heartbeat is None else max(0.0, now - heartbeat),
            "failures": [(FAILURE_TITLES.get(k, k), v) for k, v in (snap or {}).get("failures", {}).items()]}


def _moment(unix_time: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(unix_time, dt.UTC)


def system_status(rt: ServiceRuntime) -> dict:
    """Every figure of the page; a broker that does not answer is said, not raised."""
    client = rt.broker.client
    now = time.time()
    try:
        client.ping()
    except Exception as exc:
        return {"broker": f"недостъпен брокер на съобщения: {type(exc).__name__}", "services": [], "queues": [],
                "dead": [], "scheduler": None, "problems": ["брокерът на съобщения не отговаря"]}
    snaps = health.read(client, SERVICES)
    beats = client.mget([HEARTBEAT_KEY.format(service=s) for s in SERVICES])
    services = [_service(name, snaps[name], None if beat is None else float(beat), now)
                for name, beat in zip(SERVICES, beats, strict=True)]
    queues = [{"queue": q, "ready": ready, "delayed": delayed, "dead": dead}
              for q, ready, delayed, dead in queue_depths(client, SERVICES)]
    last_run = client.get(SCHEDULER_KEY)
    scheduler = None if last_run is None else {"at": _moment(float(last_run)),
                                               "late": now - float(last_run) > SCHEDULER_LATE_S}
    dead = [{**letter, "died_at": _moment(letter["died_at"])}
            for letter in dead_letters.list_dead(client, queue_names(SERVICES))]
    return {"broker": "ok", "services": services, "queues": queues, "dead": dead, "scheduler": scheduler,
            "problems": _problems(services, queues, scheduler)}


def _problems(services: list[dict], queues: list[dict], scheduler: dict | None) -> list[str]:
    """What needs the administrator, one phrase each, for the home card's line."""
    found = [f"{s['title']}: {'не отговаря' if s['state'] == 'down' else 'има проблем'}"
             for s in services if s["state"] != "ok"]
    found += [f"{title}: {count}" for s in services for title, count in s["failures"] if count]
    if dead := sum(q["dead"] for q in queues):
        found.append(f"неуспели съобщения: {dead}")
    if scheduler and scheduler["late"]:
        found.append("планировчикът закъснява")
    return found


def retry_dead_letter(rt: ServiceRuntime, by: Principal, queue: str, message_id: str) -> bool:
    """Send a dead letter back to its queue, audited; False if it is no longer there (sent again already)."""
    if queue not in queue_names(SERVICES):
        raise InvalidInputError({"queue": ["Няма такава опашка."]})
    moved = dead_letters.retry(rt.broker.client, queue, message_id)
    if moved:
        with rt.db.transaction() as s:
            audit.record(s, TABLES, by, "dead_letter.retry", "message", message_id, after={"queue": queue})
    return moved
