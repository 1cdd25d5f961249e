"""The fault matrix (issue 17): each fault several times at a random moment, and what the parents got.

Every run starts from a copy of one prepared school (one student, two guardians with e-mail),
records the student's ten unexcused hours, which cross the ladder's rungs 3 and 8 (Чл. 97, т. 8),
injects its fault at a random moment, recovers, and counts what arrived: each guardian must get
letters 3 and 8 once by e-mail (the SMTP server the script runs), and the documents service must
have drawn up both letters once.  *Recovery* is from the restart (of the system, or of the broker)
until everything has arrived; a run whose letters are still missing 60 s after it counts as lost.

    .venv/bin/python bench/fault_matrix.py --runs 5            # every case
    .venv/bin/python bench/fault_matrix.py --runs 2 --case smtp --case relay

PostgreSQL restarted runs on a cluster of the script's own (the machine's server is shared), the
data disk full on a small tmpfs mounted over the run's data folder: both need root, as the script
is run here.  In both the teacher keeps recording: every answer must be 201 or the clear refusal
(503 „Базата данни временно не е достъпна …“, 507 „Дискът с данните е пълен …“), and a refused hour
sent again afterwards must be 201 (a 409 would mean the refused request had been half-written).
"""

from __future__ import annotations

import argparse
import atexit
import io
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared.outage import DISK_FULL, UNAVAILABLE, UNCERTAIN
from tests.support.crash import (
    RUNGS,
    ExternalBroker,
    PrivatePostgres,
    System,
    lost_and_duplicated,
    record_ten_unexcused,
    record_unexcused,
    school_with_one_student,
    slow_smtp,
)

#: Seconds after a restart within which everything must have arrived (the issue's bound).
BOUND_S = 30.0
#: Seconds after a restart after which a missing letter counts as lost.
GIVE_UP_S = 60.0


@dataclass
class Outcome:
    lost: int
    duplicated: int
    recovery_s: float | None
    #: Whether some letter had not yet gone out when the fault struck (else the run proves little).
    in_flight: bool = False


@dataclass
class Run:
    """One run's world: a copy of the prepared school, an SMTP server, maybe a broker of its own."""

    system: System
    smtp: object
    school: dict
    broker: ExternalBroker | None = None
    in_flight: bool = False
    #: A tmpfs mounted over the run's data folder (the disk-full case), unmounted at the end.
    mount: Path | None = None
    #: Letters each guardian must get: one per rung, or one for both when an import crossed them at once.
    letters: int = len(RUNGS)

    def fault(self, *, broker: bool = False, embedded_broker: bool = False) -> None:
        """kill -9 of the system's process group, or of the broker; notes whether letters were still due."""
        self.in_flight = lost_and_duplicated(System.letters_received(self.smtp), self.letters)[0] > 0
        if embedded_broker:
            self.system.kill_embedded_broker()
        elif broker:
            self.broker.kill()
        else:
            self.system.kill()

    def close(self) -> None:
        self.system.kill()
        if self.broker is not None:
            self.broker.kill()
        self.smtp.stop()
        if self.mount is not None:
            subprocess.run(["umount", "-l", str(self.mount)], check=False)

    def outcome(self, restarted: float) -> Outcome:
        """Wait for the letters, stop cleanly, then count what arrived (nothing is in flight after a clean stop)."""
        done = self.system.wait_for_letters(self.school, deadline=restarted + GIVE_UP_S, letters=self.letters)
        recovery = time.monotonic() - restarted if done else None
        state = self.system.letters_state(self.school)
        self.system.stop()
        lost, duplicated = lost_and_duplicated(System.letters_received(self.smtp), self.letters)
        documents = len(state["documents"] or [])
        return Outcome(lost + max(0, self.letters - documents), duplicated + max(0, documents - self.letters), recovery,
                       self.in_flight)


def _whole_system_killed(prepare: Callable[..., Run], rng: random.Random, *, smtp_delay_s: float,
                         window: tuple[float, float], **settings: str) -> Outcome:
    run = prepare(smtp_delay_s=smtp_delay_s, **settings)
    try:
        record_ten_unexcused(run.system, run.school)
        time.sleep(rng.uniform(*window))
        run.fault()
        restarted = time.monotonic()
        run.system.start()
        return run.outcome(restarted)
    finally:
        run.close()


def case_relay(prepare, rng) -> Outcome:
    """kill -9 of the whole system while the relays move the ten absences' events to the broker."""
    return _whole_system_killed(prepare, rng, smtp_delay_s=0, window=(0, 0.3))


def case_smtp(prepare, rng) -> Outcome:
    """kill -9 of the whole system while the letters are being sent (the SMTP server takes 1 s a mail)."""
    return _whole_system_killed(prepare, rng, smtp_delay_s=1.0, window=(0.1, 1.3))


def case_render(prepare, rng) -> Outcome:
    """kill -9 of the whole system while documents render (the day's notices too: more rendering)."""
    return _whole_system_killed(prepare, rng, smtp_delay_s=0, window=(0, 1.5), absence_notice_documents="true")


def _import_csv(school: dict) -> bytes:
    rows = ["student_id,date,lesson,subject,kind"]
    for index in range(10):
        rows.append(f"{school['student_id']},2023-10-0{2 + index // 7},{index % 7 + 1},Математика,unexcused")
    return ("\n".join(rows) + "\n").encode()


def _post_import(system: System, school: dict) -> int:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"absences.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + _import_csv(school) + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(system.base + "/api/register/absences/import", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {system.tokens['director']}",
                                              "Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as err:
        return err.code
    except OSError:
        return 0  # the server died under the request


def case_bulk_import(prepare, rng) -> Outcome:
    """kill -9 of the whole system during a bulk import of the ten hours; the office imports again after.

    The import crosses rungs 3 and 8 at once: one letter for both (one per guardian, one document).
    """
    run = prepare(smtp_delay_s=0)
    run.letters = 1
    try:
        first = threading.Thread(target=_post_import, args=(run.system, run.school))
        first.start()
        time.sleep(rng.uniform(0, 1.5))
        run.fault()
        first.join()
        restarted = time.monotonic()
        run.system.start()
        # All or nothing: either the first import is there (the second is refused) or the second is.
        again = _post_import(run.system, run.school)
        if again not in (201, 409, 422):
            raise RuntimeError(f"the second import answered {again}")
        return run.outcome(restarted)
    finally:
        run.close()


def case_broker_killed(prepare, rng) -> Outcome:
    """kill -9 of the broker (production layout: its own Redis) as the letters go out; back 1 s later."""
    run = prepare(smtp_delay_s=1.0, external_broker=True)
    try:
        record_ten_unexcused(run.system, run.school)
        time.sleep(rng.uniform(0, 0.6))
        run.fault(broker=True)
        time.sleep(1)
        run.broker.start()
        return run.outcome(time.monotonic())
    finally:
        run.close()


def case_embedded_broker_killed(prepare, rng) -> Outcome:
    """kill -9 of the embedded broker alone as the letters go out; ``schoolctl up`` starts it again."""
    run = prepare(smtp_delay_s=1.0)
    try:
        record_ten_unexcused(run.system, run.school)
        time.sleep(rng.uniform(0, 0.6))
        run.fault(embedded_broker=True)
        return run.outcome(time.monotonic())
    finally:
        run.close()


def case_broker_down(prepare, rng, down_s: float = 30.0) -> Outcome:
    """The broker down for 30 s: the ten absences are recorded meanwhile (each request must succeed)."""
    run = prepare(smtp_delay_s=0, external_broker=True)
    try:
        run.fault(broker=True)
        went_down = time.monotonic()
        time.sleep(rng.uniform(0, 2))
        record_ten_unexcused(run.system, run.school)  # asserts every request answers 201
        time.sleep(max(0.0, down_s - (time.monotonic() - went_down)))
        run.broker.start()
        return run.outcome(time.monotonic())
    finally:
        run.close()


def case_worker_killed(prepare, rng) -> Outcome:
    """kill -9 of the worker process (production layout: the broker lives on) while letters are sent."""
    run = prepare(smtp_delay_s=1.0, external_broker=True)
    try:
        record_ten_unexcused(run.system, run.school)
        time.sleep(rng.uniform(0.1, 1.3))
        run.fault()
        restarted = time.monotonic()
        run.system.start()
        return run.outcome(restarted)
    finally:
        run.close()


def _keep_recording(run: Run, indexes, refusal: tuple[int, str]) -> list[tuple[int, bool]]:
    """Record the hours ``indexes``; returns those refused with ``refusal`` (status, message) or as
    uncertain (the connection lost during COMMIT), as ``(hour, uncertain)``; raises on any other answer."""
    refused = []
    for index in indexes:
        status, answer = record_unexcused(run.system, run.school, index)
        message = answer.get("message") if isinstance(answer, dict) else None
        if status == 201:
            continue
        if status == refusal[0] and message == refusal[1]:
            refused.append((index, False))
        elif status == 503 and message == UNCERTAIN:
            refused.append((index, True))
        else:
            raise RuntimeError(f"hour {index} answered {status}: {answer}")
    return refused


def _send_refused_again(run: Run, refused: list[tuple[int, bool]], refusal: tuple[int, str], until: float) -> None:
    """As the teacher would: each refused hour again until it is accepted.

    A 409 (already recorded) after a refusal that said "nothing was written" means it was written
    after all; after the uncertain answer it is the honest outcome (the hour is there, once).
    """
    pending = list(refused)
    while pending:
        if time.monotonic() > until:
            raise RuntimeError(f"hours {pending} still refused")
        index, uncertain = pending[0]
        status, answer = record_unexcused(run.system, run.school, index)
        if status == 201 or (status == 409 and uncertain):
            pending.pop(0)
        elif status in (refusal[0], 503):
            time.sleep(0.5)
        else:
            raise RuntimeError(f"hour {index} sent again answered {status}: {answer}")


_POSTGRES: list[PrivatePostgres] = []


def _postgres() -> PrivatePostgres:
    if not _POSTGRES:
        server = PrivatePostgres()
        atexit.register(server.remove)
        server.start()
        _POSTGRES.append(server)
    return _POSTGRES[0]


def case_postgres_restarted(prepare, rng) -> Outcome:
    """PostgreSQL crashes (stop -m immediate) and is back 2–5 s later while the teacher records."""
    pg = _postgres()
    urls = pg.create_databases(f"run_{uuid.uuid4().hex[:8]}")
    run = prepare(smtp_delay_s=0, fresh=True, **{f"{service}_database_url": url for service, url in urls.items()})
    refusal = (503, UNAVAILABLE)
    try:
        if _keep_recording(run, range(3), refusal):
            raise RuntimeError("refused before the fault")
        back = threading.Event()

        def outage() -> None:
            time.sleep(rng.uniform(0, 0.5))
            run.in_flight = lost_and_duplicated(System.letters_received(run.smtp))[0] > 0
            pg.stop("immediate")
            time.sleep(rng.uniform(2, 5))
            pg.start()
            back.set()

        crash = threading.Thread(target=outage)
        crash.start()
        refused = []
        for index in range(3, 10):
            refused += _keep_recording(run, [index], refusal)
            time.sleep(0.3)
        crash.join()
        restarted = time.monotonic()
        _send_refused_again(run, refused, refusal, restarted + 30)
        print(f"    postgres: {len(refused)} hour(s) refused with 503 during the outage "
              f"({sum(u for _i, u in refused)} of them at COMMIT, uncertain), all recorded once after", file=sys.stderr)
        return run.outcome(restarted)
    finally:
        run.close()


def case_disk_full(prepare, rng) -> Outcome:
    """The data folder's disk full while the teacher records (a tmpfs filled up), then space again."""
    run = prepare(smtp_delay_s=0, tmpfs_mb=64)
    refusal = (507, DISK_FULL)
    filler = run.mount / "filler.bin"
    try:
        if _keep_recording(run, range(3), refusal):
            raise RuntimeError("refused before the disk was full")
        time.sleep(rng.uniform(0, 1))
        run.in_flight = lost_and_duplicated(System.letters_received(run.smtp))[0] > 0
        _fill(filler)
        refused = _keep_recording(run, range(3, 10), refusal)
        time.sleep(rng.uniform(0, 3))
        filler.unlink()
        restarted = time.monotonic()
        _send_refused_again(run, refused, refusal, restarted + 30)
        print(f"    disk full: {len(refused)} hour(s) refused with 507, all accepted once there was space",
              file=sys.stderr)
        return run.outcome(restarted)
    finally:
        filler.unlink(missing_ok=True)
        run.close()


def _fill(path: Path) -> None:
    chunk = b"\0" * (1 << 20)
    with path.open("wb", buffering=0) as out:
        while len(chunk) >= 512:
            try:
                out.write(chunk)
            except OSError:
                chunk = chunk[: len(chunk) // 2]


CASES: dict[str, tuple[str, Callable]] = {
    "relay": ("kill -9 during the outbox relay", case_relay),
    "smtp": ("kill -9 during an SMTP send", case_smtp),
    "render": ("kill -9 during rendering", case_render),
    "import": ("kill -9 during a bulk import", case_bulk_import),
    "broker": ("kill -9 of the broker (own Redis)", case_broker_killed),
    "embedded-broker": ("kill -9 of the embedded broker", case_embedded_broker_killed),
    "broker-down": ("broker down 30 s", case_broker_down),
    "worker": ("kill -9 of the worker, broker alive", case_worker_killed),
    "postgres": ("PostgreSQL crashed and restarted", case_postgres_restarted),
    "disk-full": ("the data disk full", case_disk_full),
}


def prepare_school(root: Path) -> System:
    """The school every run copies: set up once through the API, then stopped cleanly."""
    smtp = slow_smtp(0)
    system = System(root / "template", smtp.port)
    system.start()
    try:
        system.school = school_with_one_student(system)
    finally:
        system.stop()
        smtp.stop()
    return system


def runner(root: Path, template: System) -> Callable[..., Run]:
    def prepare(*, smtp_delay_s: float, external_broker: bool = False, fresh: bool = False,
                tmpfs_mb: int = 0, **settings: str) -> Run:
        data = root / f"run-{uuid.uuid4().hex[:8]}"
        mount = None
        if tmpfs_mb:
            mount = data / "var"
            mount.mkdir(parents=True)
            subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={tmpfs_mb}m", "tmpfs", str(mount)], check=True)
        if fresh:
            (data / "var").mkdir(parents=True, exist_ok=True)
        else:
            shutil.copytree(template.data, data / "var", dirs_exist_ok=True)
        smtp = slow_smtp(smtp_delay_s)
        broker = None
        if external_broker:
            broker = ExternalBroker(data / "redis")
            broker.start()
            settings["redis_url"] = broker.url
        system = System(data / "var", smtp.port, **settings)
        if not fresh:
            system.tokens, system.ids = dict(template.tokens), dict(template.ids)
        try:
            system.start()
            school = school_with_one_student(system) if fresh else template.school
        except BaseException:
            system.kill()
            smtp.stop()
            if broker is not None:
                broker.kill()
            if mount is not None:
                subprocess.run(["umount", "-l", str(mount)], check=False)
            raise
        return Run(system, smtp, school, broker, mount=mount)

    return prepare


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each case")
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="only these cases")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="keep every run's data and logs in this folder")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    chosen = args.case or list(CASES)
    rows = []
    with tempfile.TemporaryDirectory(prefix="fault-matrix-") as tmp:
        root = Path(tmp) if args.keep is None else args.keep
        root.mkdir(parents=True, exist_ok=True)
        template = prepare_school(root)
        prepare = runner(root, template)
        for key in chosen:
            title, case = CASES[key]
            outcomes = []
            for number in range(args.runs):
                try:
                    outcome = case(prepare, rng)
                except Exception as exc:  # a run that could not even be judged is reported, not hidden
                    print(f"  {key} run {number + 1}: {type(exc).__name__}: {exc}", file=sys.stderr)
                    outcome = Outcome(lost=3 * len(RUNGS), duplicated=0, recovery_s=None)
                print(f"  {key} run {number + 1} ({run_dirs(root)[-1].name}): lost {outcome.lost}, "
                      f"duplicated {outcome.duplicated}, in flight {outcome.in_flight}, "
                      f"recovery {_seconds(outcome.recovery_s)}", file=sys.stderr)
                outcomes.append(outcome)
            rows.append((title, outcomes))
    print(_table(rows, seed))
    return 0 if all(o.lost == 0 and o.duplicated == 0 and o.recovery_s is not None and o.recovery_s <= BOUND_S
                    for _title, outcomes in rows for o in outcomes) else 1


def run_dirs(root: Path) -> list[Path]:
    return sorted(root.glob("run-*"), key=lambda p: p.stat().st_mtime)


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def _table(rows, seed: int) -> str:
    out = io.StringIO()
    out.write(f"fault matrix (seed {seed}; per run: 4 e-mails and 2 documents expected, "
              "the import 2 and 1; "
              "in flight: runs where letters were still due when the fault struck; recovery from the restart)\n")
    out.write(f"| {'case':<38} | runs | in flight | lost | duplicated | slowest recovery |\n")
    out.write(f"|{'-' * 40}|------|-----------|------|------------|------------------|\n")
    for title, outcomes in rows:
        recoveries = [o.recovery_s for o in outcomes]
        slowest = "never" if None in recoveries else _seconds(max(recoveries, default=None))
        out.write(f"| {title:<38} | {len(outcomes):>4} | {sum(o.in_flight for o in outcomes):>9} | "
                  f"{sum(o.lost for o in outcomes):>4} | "
                  f"{sum(o.duplicated for o in outcomes):>10} | {slowest:>16} |\n")
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
