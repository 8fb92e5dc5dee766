"""Load and fault run (`make stress`; not part of `make test`): gunicorn with 4 workers on
PostgreSQL at 100,000 demo pegawai, 50 simulated users pausing 1–3 s between requests for
60 s, one worker killed half-way; then the invariants and the targets of issue 16 (p95 ≤
300 ms for every kind of request, ≥ 20 requests/s answered).

    python benchmarks/stress.py [--users 50] [--seconds 60] [--workers 4] [--pegawai 100000]
                                [--think 1-3] [--ramp 10]

Bounded and loopback only: the server binds 127.0.0.1 on a free port, the database is
STRESS_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/sikap_stress), which is
dropped and re-created with demo data at the start. The simulated users arrive evenly over
the first 10 s (``--ramp``), each signing in (timed as ``login``: a password check is scrypt,
slow on purpose), and talk to the REST API with JWTs, as a mobile client or a script would:

* pegawai record realisasi for every indikator of an evaluation not yet submitted, then
  submit it;
* atasan approve the SKPs waiting on them and rate the evaluations submitted to them;
* admin BKPSDM open Kepatuhan, Monitoring SKP and the dashboard in a browser session, and
  export the roster, the predikat and the SKP status reports: a report of more than
  EKSPOR_LATAR_BARIS rows answers 202 and is written by the task queue's worker (a Huey
  consumer runs beside gunicorn), its status polled until the file can be downloaded;
* everyone reads lists in between.

Every write that was acknowledged (2xx) is remembered. Afterwards the run fails unless: no
5xx answered beyond requests cut by the killed worker, every acknowledged write is in the
database, `flask verify-audit` passes, and no SKP or evaluation is in an impossible state.
The login rate limit is off for the run: all simulated users share 127.0.0.1, which the
limiter (per IP) would rightly treat as one attacker.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/sikap_stress"
P95_TARGET_S = 0.300
RATE_TARGET = 20
PASSWORD = "dumai2026"
RESULTS = ROOT / "benchmarks" / "results-stress.md"


# --- the server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "stress-run-secret-key-not-for-production-000",
        "DEMO_DATA": "1",
        "PORT": str(port),
        "RATELIMIT_ENABLED": "0",
        "FAB_UPDATE_PERMS": "0",
        # The run's own queue and audit checkpoints (its database is new each time).
        "HUEY_SQLITE_PATH": str(ROOT / "instance" / "stress-huey.db"),
        "AUDIT_CHECKPOINT_PATH": str(ROOT / "instance" / "stress-audit-checkpoints.jsonl"),
    }


def flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "run", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def prepare_database(env: dict[str, str], pegawai: int) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(env["DATABASE_URL"])
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    Path(env["AUDIT_CHECKPOINT_PATH"]).unlink(missing_ok=True)
    flask(env, "db", "upgrade")
    flask(env, "seed")
    flask(env, "demo-data", "--pegawai", str(pegawai))
    flask(env, "fab", "create-permissions")
    # As autovacuum would after a bulk load (README, "At the scale of a province"): without
    # statistics PostgreSQL plans sequential scans.
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def start_gunicorn(env: dict[str, str], workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "run:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    port = int(env["PORT"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = Client(port).request("GET", "/health")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not answer /health within 60 s")


def start_task_worker(env: dict[str, str]) -> subprocess.Popen:
    """The Huey consumer that writes the large exports, as in production."""
    Path(env["HUEY_SQLITE_PATH"]).unlink(missing_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "app.tasks.huey", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def worker_pids(master: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


# --- where the machine's time went ------------------------------------------------------------


def _process_times() -> dict[int, tuple[str, int, float]]:
    """Every process's (command name, parent, CPU seconds so far) from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                raw = stat.read()
        except OSError:  # ended meanwhile
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        found[int(entry)] = (name, int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return found


class CpuMeter:
    """CPU seconds spent during the run by the gunicorn workers, the task queue's worker,
    PostgreSQL and this load generator: on a 2-core machine they share the cores, and which
    of them took them says what a p95 measures. Sampled every half second, so that the
    killed worker's time and that of a worker started in its place are both counted."""

    def __init__(self, server: int, queue: int) -> None:
        self.groups = {server: "gunicorn", queue: "task worker", os.getpid(): "load generator"}
        self.start = {pid: seconds for pid, (_, _, seconds) in _process_times().items()}
        self.last: dict[int, tuple[str, float]] = {}
        self.began = time.monotonic()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _group(self, pid: int, name: str, parent: int) -> str:
        if pid in self.groups or parent in self.groups:
            return self.groups.get(pid) or self.groups[parent]
        return "PostgreSQL" if name.startswith("postgres") else "other"

    def _sample(self) -> None:
        while not self.done.wait(0.5):
            for pid, (name, parent, seconds) in _process_times().items():
                self.last[pid] = (self._group(pid, name, parent), seconds)

    def stop(self) -> tuple[float, dict[str, float]]:
        """The wall seconds measured and the CPU seconds of each group in them."""
        self.done.set()
        self.thread.join()
        spent: dict[str, float] = defaultdict(float)
        for pid, (group, seconds) in self.last.items():
            spent[group] += seconds - self.start.get(pid, 0.0)
        return time.monotonic() - self.began, dict(spent)


# --- the users ----------------------------------------------------------------------------


class Client:
    """One simulated user's HTTP connection (http.client: no dependency for a bench): the
    REST API with a JWT, and the pages with a session cookie once ``sign_in`` ran."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.token: str | None = None
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: Any = None, form: bool = False
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded" if form else "application/json"
        }
        if self.token and path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {self.token}"
        if self.cookies and not path.startswith("/api/"):
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            if body is None:
                payload = None
            elif form:
                payload = urllib.parse.urlencode(body)
            else:
                payload = json.dumps(body)
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            # The browser session's cookies, not the anonymous one an API answer may set.
            for cookie in response.msg.get_all("Set-Cookie") or []:
                if not path.startswith("/api/"):
                    name, _, rest = cookie.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.read()
        finally:
            connection.close()

    def sign_in(self, username: str) -> None:
        """A browser session through the login form (with its CSRF token)."""
        status, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"login page: {status}")
        status, _ = self.request(
            "POST",
            "/login/",
            {"username": username, "password": PASSWORD, "csrf_token": token.group(1).decode()},
            form=True,
        )
        if status != 302:
            raise RuntimeError(f"browser login of {username}: {status}")

    def login(self, username: str) -> None:
        status, body = self.request(
            "POST",
            "/api/v1/security/login",
            {"username": username, "password": PASSWORD, "provider": "db"},
        )
        if status != 200:
            raise RuntimeError(f"login of {username}: {status} {body[:200]!r}")
        self.token = json.loads(body)["access_token"]


@dataclass
class Tally:
    """What the run saw, shared by the user threads (guarded by one lock)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    cut: int = 0  # requests whose connection broke (the killed worker's)
    realisasi: dict[tuple[int, int], str] = field(default_factory=dict)
    approved: set[int] = field(default_factory=set)
    submitted: set[int] = field(default_factory=set)
    rated: dict[int, tuple[str, str]] = field(default_factory=dict)
    exports: int = 0  # large reports written by the worker and downloaded
    answers: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    answered_at: list[float] = field(default_factory=list)  # time.monotonic() of each answer
    began: float = field(default_factory=time.monotonic)  # the run's start (main sets it)
    asked_at: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def record(self, kind: str, seconds: float, status: int, path: str) -> None:
        with self.lock:
            now = time.monotonic()
            self.answered_at.append(now)
            self.asked_at[kind].append(now - seconds - self.began)
            self.latencies[kind].append(seconds)
            self.statuses[status // 100 * 100] += 1
            self.answers[kind][status] += 1
            if status >= 500:
                self.server_errors.append(f"{status} {path}")


# A user's pause between two requests (reading, typing): --think.
THINK = (1.0, 3.0)


def call(
    client: Client, tally: Tally, kind: str, method: str, path: str, body: Any = None
) -> tuple[int, Any]:
    time.sleep(random.uniform(*THINK))
    started = time.perf_counter()
    try:
        status, raw = client.request(method, path, body)
    except (OSError, http.client.HTTPException):
        with tally.lock:
            tally.cut += 1
        return 0, None
    tally.record(kind, time.perf_counter() - started, status, path)
    try:
        return status, json.loads(raw) if raw and raw[:1] in b"{[" else None
    except ValueError:
        return status, None


@dataclass
class Work:
    """What one simulated user will try, chosen from the database before the run."""

    username: str
    role: str
    evaluations: list[dict[str, Any]] = field(default_factory=list)  # pegawai
    skps: list[int] = field(default_factory=list)  # atasan: to approve
    to_rate: list[int] = field(default_factory=list)  # atasan: to rate


RATINGS = ("di_atas", "sesuai", "di_bawah")
LISTS = ("/api/v1/skp/?q=(page_size:25)", "/api/v1/penilaian/?q=(page_size:25)")


def run_pegawai(client: Client, work: Work, tally: Tally, stop: float) -> None:
    for evaluation in work.evaluations:
        if time.monotonic() > stop:
            return
        for indikator_id in evaluation["indikator"]:
            nilai = str(random.randint(1, 40))
            status, body = call(
                client,
                tally,
                "write realisasi",
                "POST",
                "/api/v1/realisasi/",
                {
                    "indikator_kinerja_id": indikator_id,
                    "periode_id": evaluation["periode_id"],
                    "nilai": nilai,
                    "catatan": "uji beban",
                },
            )
            if 200 <= status < 300:
                with tally.lock:
                    tally.realisasi[(indikator_id, evaluation["periode_id"])] = nilai
        status, _ = call(
            client,
            tally,
            "submit penilaian",
            "POST",
            f"/api/v1/penilaian/{evaluation['id']}/submit",
        )
        if status == 200:
            with tally.lock:
                tally.submitted.add(evaluation["id"])
        call(client, tally, "read list", "GET", random.choice(LISTS))


def run_atasan(client: Client, work: Work, tally: Tally, stop: float) -> None:
    """The SKPs to approve and the evaluations to rate, taken in turn: the demo's atasan have
    more SKPs waiting than a run lasts, and one queue after the other never reached a rating."""
    for skp_id, penilaian_id in itertools.zip_longest(work.skps, work.to_rate):
        if time.monotonic() > stop:
            return
        if skp_id is not None:
            approve(client, tally, skp_id)
        if penilaian_id is not None and time.monotonic() <= stop:
            rate(client, tally, penilaian_id)
            call(client, tally, "read list", "GET", random.choice(LISTS))


def approve(client: Client, tally: Tally, skp_id: int) -> None:
    status, _ = call(client, tally, "approve skp", "POST", f"/api/v1/skp/{skp_id}/approve")
    if status == 200:
        with tally.lock:
            tally.approved.add(skp_id)


def rate(client: Client, tally: Tally, penilaian_id: int) -> None:
    ratings = (random.choice(RATINGS), random.choice(RATINGS))
    status, _ = call(
        client,
        tally,
        "rate penilaian",
        "POST",
        f"/api/v1/penilaian/{penilaian_id}/rate",
        {
            "rating_hasil_kerja": ratings[0],
            "rating_perilaku_kerja": ratings[1],
            "umpan_balik": "Uji beban",
        },
    )
    if status == 200:
        with tally.lock:
            tally.rated[penilaian_id] = ratings


PAGES = {
    "page kepatuhan": "/kepatuhan/",
    "page monitoring": "/skp/monitoring/",
    "page dashboard": "/",
}


def export(client: Client, tally: Tally, jenis: str, stop: float) -> None:
    """Ask for a report; a large one (202) is polled until the worker has written it, then
    downloaded, as the Laporan page and an API client do."""
    status, answer = call(client, tally, "export asked", "GET", f"/api/v1/laporan/{jenis}.xlsx")
    if status != 202 or not answer:
        return
    while time.monotonic() < stop + 60:
        status, answer = call(client, tally, "export status", "GET", answer["status_url"])
        if status != 200 or answer is None or answer.get("status") in ("gagal", "kedaluwarsa"):
            return
        if answer.get("download_url"):
            call(client, tally, "export download", "GET", answer["download_url"])
            with tally.lock:
                tally.exports += 1
            return


def run_admin(client: Client, work: Work, tally: Tally, stop: float) -> None:
    reports = ("pegawai", "predikat", "status_skp")
    if not signed_in(tally, client.sign_in, work.username):
        return
    while time.monotonic() < stop:
        kind = random.choice(list(PAGES))
        call(client, tally, kind, "GET", PAGES[kind])
        if random.random() < 0.3:
            export(client, tally, random.choice(reports), stop)
        call(client, tally, "read list", "GET", "/api/v1/pegawai/?q=(page_size:100)")


def signed_in(tally: Tally, how: Any, username: str) -> bool:
    """Sign in (``how``: Client.login or Client.sign_in), timed as a request of its own: a
    password check is the costliest thing a user asks (scrypt, on purpose)."""
    for _ in range(5):  # the login may hit the killed worker too
        started = time.perf_counter()
        try:
            how(username)
        except (OSError, http.client.HTTPException):
            time.sleep(0.5)
            continue
        tally.record("login", time.perf_counter() - started, 200, "/login")
        return True
    return False


def user(port: int, work: Work, tally: Tally, stop: float, arrival: float) -> None:
    """One simulated user, who arrives ``arrival`` seconds into the run and signs in."""
    time.sleep(arrival)
    client = Client(port)
    if not signed_in(tally, client.login, work.username):
        return
    runner = {"pegawai": run_pegawai, "atasan": run_atasan, "admin": run_admin}[work.role]
    runner(client, work, tally, stop)
    while time.monotonic() < stop:  # out of work: keep reading, as users do
        call(client, tally, "read list", "GET", random.choice(LISTS))


# --- choosing the work and checking the outcome ----------------------------------------------


def plan(app: Any, users: int) -> list[Work]:
    """Pegawai with evaluations to submit, atasan with SKPs to approve or evaluations to
    rate, and a few admins; nobody shares an object with another simulated user."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models.master import Pegawai, Periode
    from app.models.penilaian import Penilaian
    from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp

    with app.app_context():
        session = db.session
        rows = session.execute(
            select(Penilaian.id, Penilaian.periode_id, Skp.id, Pegawai.nip)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .join(Pegawai, Skp.pegawai_id == Pegawai.id)
            .join(Periode, Penilaian.periode_id == Periode.id)
            .where(Penilaian.status == "belum_dinilai", Periode.jenis != "tahunan")
            .order_by(Penilaian.id)
        ).all()
        indikator: dict[int, list[int]] = defaultdict(list)
        for skp_id, indikator_id in session.execute(
            select(RencanaHasilKerja.skp_id, IndikatorKinerja.id).join(
                IndikatorKinerja, IndikatorKinerja.rencana_hasil_kerja_id == RencanaHasilKerja.id
            )
        ):
            indikator[skp_id].append(indikator_id)
        by_pegawai: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for penilaian_id, periode_id, skp_id, nip in rows:
            by_pegawai[nip].append(
                {"id": penilaian_id, "periode_id": periode_id, "indikator": indikator[skp_id]}
            )
        penilai = Pegawai.__table__.alias("penilai")
        waiting = session.execute(
            select(Skp.id, penilai.c.nip)
            .join(penilai, penilai.c.id == Skp.penilai_id)
            .where(Skp.status == "diajukan")
        ).all()
        submitted = session.execute(
            select(Penilaian.id, penilai.c.nip)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .join(penilai, penilai.c.id == func.coalesce(Penilaian.penilai_id, Skp.penilai_id))
            .where(Penilaian.status == "diajukan")
        ).all()
    atasan: dict[str, Work] = {}
    for skp_id, nip in waiting:
        atasan.setdefault(nip, Work(nip, "atasan")).skps.append(skp_id)
    for penilaian_id, nip in submitted:
        atasan.setdefault(nip, Work(nip, "atasan")).to_rate.append(penilaian_id)
    admins = [Work("admin", "admin") for _ in range(max(1, users // 10))]
    n_atasan = min(len(atasan), (users - len(admins)) * 2 // 5)
    chosen_atasan = sorted(atasan.values(), key=lambda w: -(len(w.skps) + len(w.to_rate)))
    chosen_atasan = chosen_atasan[:n_atasan]
    taken = {w.username for w in chosen_atasan}
    pegawai = [
        Work(nip, "pegawai", evaluations)
        for nip, evaluations in by_pegawai.items()
        if nip not in taken
    ]
    return admins + chosen_atasan + pegawai[: users - len(admins) - len(chosen_atasan)]


def check(app: Any, tally: Tally) -> list[str]:
    """Every acknowledged write present, and no SKP or evaluation in an impossible state."""
    from sqlalchemy import func, select

    from app.domain import scoring
    from app.domain.workflow import PENILAIAN_STATES, SKP_STATES
    from app.extensions import db
    from app.models.monitoring import Realisasi
    from app.models.penilaian import Penilaian
    from app.models.skp import Skp

    problems: list[str] = []
    with app.app_context():
        session = db.session
        stored = {
            (indikator_id, periode_id): nilai
            for indikator_id, periode_id, nilai in session.execute(
                select(Realisasi.indikator_kinerja_id, Realisasi.periode_id, Realisasi.nilai)
            )
        }
        for key, nilai in tally.realisasi.items():
            if key not in stored or stored[key] != type(stored[key])(nilai):
                problems.append(f"acknowledged realisasi {key} = {nilai} missing")
        statuses = dict(session.execute(select(Skp.id, Skp.status)).all())
        for skp_id in tally.approved:
            if statuses.get(skp_id) != "disetujui":
                problems.append(f"acknowledged approval of SKP {skp_id}: {statuses.get(skp_id)}")
        evaluations = {
            row.id: row
            for row in session.execute(
                select(
                    Penilaian.id,
                    Penilaian.skp_id,
                    Penilaian.status,
                    Penilaian.rating_hasil_kerja,
                    Penilaian.rating_perilaku_kerja,
                    Penilaian.predikat,
                )
            )
        }
        for penilaian_id in tally.submitted:
            if evaluations[penilaian_id].status == "belum_dinilai":
                problems.append(f"acknowledged submit of penilaian {penilaian_id} lost")
        for penilaian_id, ratings in tally.rated.items():
            row = evaluations[penilaian_id]
            if (row.rating_hasil_kerja, row.rating_perilaku_kerja) != ratings:
                problems.append(f"acknowledged rating of penilaian {penilaian_id} lost")
        for skp_id, status in statuses.items():
            if status not in SKP_STATES:
                problems.append(f"SKP {skp_id} in unknown state {status}")
        for row in evaluations.values():
            if row.status not in PENILAIAN_STATES:
                problems.append(f"penilaian {row.id} in unknown state {row.status}")
            if statuses.get(row.skp_id) != "disetujui":
                problems.append(f"penilaian {row.id} exists for a non-approved SKP")
            rated = row.rating_hasil_kerja and row.rating_perilaku_kerja
            expected = (
                scoring.predikat(row.rating_hasil_kerja, row.rating_perilaku_kerja)
                if rated
                else None
            )
            if row.predikat != expected:
                problems.append(f"penilaian {row.id}: predikat {row.predikat} ≠ {expected}")
        duplicates = session.execute(
            select(Penilaian.skp_id, Penilaian.periode_id, func.count())
            .group_by(Penilaian.skp_id, Penilaian.periode_id)
            .having(func.count() > 1)
        ).all()
        problems += [f"SKP {s} has {n} evaluations of periode {p}" for s, p, n in duplicates]
    return problems


# --- the run ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pegawai", type=int, default=100_000)
    parser.add_argument("--think", default="1-3", help="seconds between a user's requests")
    parser.add_argument(
        "--ramp", type=float, default=10, help="seconds over which the users arrive"
    )
    args = parser.parse_args()
    global THINK
    low, _, high = args.think.partition("-")
    THINK = (float(low), float(high or low))

    database_url = os.environ.get("STRESS_DATABASE_URL", DEFAULT_URL)
    port = free_port()
    env = server_env(database_url, port)
    print(f"== preparing {database_url} ({args.pegawai} demo pegawai)", flush=True)
    prepare_database(env, args.pegawai)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "DEMO_DATA")})

    from app import create_app

    app = create_app()
    work = plan(app, args.users)
    roles = Counter(w.role for w in work)
    print(f"== {len(work)} users: {dict(roles)}; gunicorn with {args.workers} workers", flush=True)

    server = start_gunicorn(env, args.workers)
    queue = start_task_worker(env)
    tally = Tally()
    meter = CpuMeter(server.pid, queue.pid)
    started = tally.began = time.monotonic()
    stop = started + args.seconds
    # The users arrive evenly over --ramp seconds, the roles mixed (a load test's ramp: 50
    # people do not press "Masuk" in the same tenth of a second).
    arrivals = [n * args.ramp / len(work) for n in range(len(work))]
    random.shuffle(arrivals)
    threads = [
        threading.Thread(target=user, args=(port, w, tally, stop, at), daemon=True)
        for w, at in zip(work, arrivals, strict=True)
    ]
    for thread in threads:
        thread.start()
    time.sleep(args.seconds / 2)
    victims = worker_pids(server.pid)
    killed = random.choice(victims) if victims else None
    if killed:
        os.kill(killed, signal.SIGKILL)
        print(f"== killed worker {killed} at {time.monotonic() - started:.0f} s", flush=True)
    time.sleep(max(0.0, stop - time.monotonic()))
    cpu = meter.stop()
    for thread in threads:
        thread.join(timeout=args.seconds + 180)
    elapsed = time.monotonic() - started
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)
    queue.send_signal(signal.SIGTERM)
    queue.wait(timeout=60)

    audit = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "run", "verify-audit"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    problems = check(app, tally)
    if audit.returncode != 0:
        problems.append(f"verify-audit: {audit.stdout.strip()} {audit.stderr.strip()[-300:]}")
    problems += [f"5xx: {error}" for error in tally.server_errors]

    in_window = sum(1 for at in tally.answered_at if at <= stop)
    report = render(
        args, tally, (elapsed, in_window), cpu, roles, killed, audit.stdout.strip(), problems
    )
    print(report)
    RESULTS.write_text(report, encoding="utf-8")
    return 1 if problems else 0


def render(
    args: Any,
    tally: Tally,
    timing: tuple[float, int],
    cpu: tuple[float, dict[str, float]],
    roles: Counter,
    killed: int | None,
    audit: str,
    problems: list[str],
) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    total = sum(len(v) for v in tally.latencies.values())
    elapsed, in_window = timing
    rate = in_window / args.seconds
    window, spent = cpu
    cores = os.cpu_count() or 1
    lines = [
        "# Stress run (`make stress`)",
        "",
        f"Commit {commit}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"{os.cpu_count()} cores; PostgreSQL; gunicorn {args.workers} sync workers; "
        f"{sum(roles.values())} users ({', '.join(f'{n} {r}' for r, n in roles.items())}) "
        f"for {args.seconds} s; worker {killed} killed with SIGKILL half-way.",
        "",
        f"Answered requests: {in_window} within the {args.seconds} s = {rate:.1f} requests/s; "
        f"{total} in all ({elapsed:.0f} s, the last ones polling and downloading the exports "
        f"asked before the end); by class {dict(sorted(tally.statuses.items()))}; connections "
        f"cut by the kill: {tally.cut}.",
        f"Acknowledged writes: {len(tally.realisasi)} realisasi, {len(tally.submitted)} "
        f"submits, {len(tally.approved)} SKP approvals, {len(tally.rated)} ratings.",
        "",
        "| request | n | median ms | p95 ms | answers | slowest three: ms at second |",
        "|---|---:|---:|---:|---|---|",
    ]
    for kind, values in sorted(tally.latencies.items()):
        answers = ", ".join(f"{n}× {code}" for code, n in sorted(tally.answers[kind].items()))
        slowest = sorted(zip(values, tally.asked_at[kind], strict=True), reverse=True)[:3]
        when = ", ".join(f"{seconds * 1000:.0f} at {at:.0f}" for seconds, at in slowest)
        lines.append(
            f"| {kind} | {len(values)} | {statistics.median(values) * 1000:.0f} | "
            f"{percentile(values, 0.95) * 1000:.0f} | {answers} | {when} |"
        )
    slow = [
        kind
        for kind, values in sorted(tally.latencies.items())
        if percentile(values, 0.95) > P95_TARGET_S
    ]
    lines += [
        "",
        f"Where the {cores} cores' {window:.0f} s of the run went (CPU seconds; "
        f"{cores * window:.0f} available):",
        "",
        "| process | CPU s | share of the cores |",
        "|---|---:|---:|",
    ]
    for group, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        lines.append(f"| {group} | {seconds:.1f} | {seconds / (cores * window):.0%} |")
    idle = max(0.0, cores * window - sum(spent.values()))
    lines.append(f"| (idle) | {idle:.1f} | {idle / (cores * window):.0%} |")
    lines += [
        "",
        f"Targets (issue 16): p95 ≤ {P95_TARGET_S * 1000:.0f} ms for every kind of request — "
        + ("met." if not slow else f"missed by {', '.join(slow)}.")
        + f" At least {RATE_TARGET} requests/s answered — "
        + ("met" if rate >= RATE_TARGET else f"missed ({rate:.1f}; the users' pauses bound it)")
        + f". Large exports written by the worker and downloaded: {tally.exports}.",
        "",
        f"Audit chain: {audit or '(no output)'}",
        "",
        "Invariants: " + ("all hold." if not problems else f"{len(problems)} broken:"),
    ]
    lines += [f"- {problem}" for problem in problems[:50]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
