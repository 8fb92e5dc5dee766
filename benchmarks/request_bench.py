"""Response times of the pages, the REST list and the report downloads on one database, and the
cold start of a fresh process (run by benchmarks/bench.py, `make bench`).

    python benchmarks/request_bench.py --url URL [--requests 20] [--export-requests 20]
    python benchmarks/request_bench.py --url URL --cold-start

In one process, through Flask's test client (no server, no network: what is timed is the app,
reproducibly): sign in as admin BKPSDM and as an atasan, then for every request below a few
warm-up requests (templates compiled, caches filled) and N timed ones, each noting its
seconds, its SQL statements (a ``before_cursor_execute`` listener on the engine) and the
bytes of its body. The pages go in rounds (one request of each per round), so that the load
of other work on a shared machine falls on every page and its floor alike. Printed as one
JSON document.

The floors are added in this process only: for the pages, an empty page behind login (FAB's
base template with SIKAP's navbar — menu, notification bell — and nothing in it, behind the same
``has_access`` check as every page); for the REST list, an empty JSON answer behind the same JWT
``protect`` check as every API.

Cold start: a new interpreter imports the app, creates it as `run.py` does (settings from the
environment, no permission sync) and answers its first request, GET /login/.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARM_UP = 3
EXPORT_WARM_UP = 1
FLOOR_ENDPOINT = "BenchFloorView.index"
PAGE_FLOOR = "floor: empty page"
API_FLOOR = "floor: empty API answer"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass(frozen=True)
class Cast:
    """Who and what the requests are about, found in the demo data."""

    atasan: str  # the NIP (username) of the head of a bidang with staff
    skp_id: int  # an approved SKP of one of that atasan's staff
    penilaian_id: int  # an evaluation of that SKP, past "belum dinilai" when there is one


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # floor, page, api or export
    user: str  # admin or atasan
    path: str


@dataclass
class Timings:
    case: Case
    seconds: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    bytes: list[int] = field(default_factory=list)
    rows: int | None = None


# --- the cast ----------------------------------------------------------------------------


def find_cast(session) -> Cast:  # noqa: ANN001
    """The atasan as the test suite chooses one (tests/conftest.py): in the first OPD by code
    (not the Setda), the first of the head's staff who has at least two staff of their own
    without staff."""
    from sqlalchemy import select

    from app.models.master import Pegawai, UnitKerja
    from app.models.penilaian import Penilaian
    from app.models.skp import Skp
    from app.security.scope import is_opd_path

    def staff_of(head_id: int) -> list[Pegawai]:
        query = select(Pegawai).where(Pegawai.atasan_id == head_id).order_by(Pegawai.id)
        return list(session.execute(query).scalars())

    def has_staff(pegawai: Pegawai) -> bool:
        query = select(Pegawai.id).where(Pegawai.atasan_id == pegawai.id).limit(1)
        return session.execute(query).first() is not None

    heads = session.execute(
        select(UnitKerja).where(UnitKerja.kepala_id.is_not(None)).order_by(UnitKerja.kode)
    ).scalars()
    for opd in (u for u in heads if is_opd_path(u.path) and u.kode != "SETDA"):
        for atasan in staff_of(opd.kepala_id):
            leaves = [p for p in staff_of(atasan.id) if not has_staff(p)]
            if len(leaves) < 2:
                continue
            skp_id = session.execute(
                select(Skp.id)
                .join(Pegawai, Skp.pegawai_id == Pegawai.id)
                .where(Pegawai.atasan_id == atasan.id, Skp.status == "disetujui")
                .order_by(Skp.id)
                .limit(1)
            ).scalar()
            if skp_id is None:
                continue
            penilaian_id = session.execute(
                select(Penilaian.id)
                .where(Penilaian.skp_id == skp_id)
                .order_by((Penilaian.status == "belum_dinilai"), Penilaian.id)
                .limit(1)
            ).scalar_one()
            return Cast(atasan.nip, skp_id, penilaian_id)
    raise LookupError("No atasan with staff and an approved SKP: is there demo data?")


def cases(cast: Cast) -> list[Case]:
    from export_bench import REPORTS
    from flask import url_for

    pages = [
        Case(PAGE_FLOOR, "floor", "admin", url_for(FLOOR_ENDPOINT)),
        Case(PAGE_FLOOR, "floor", "atasan", url_for(FLOOR_ENDPOINT)),
        Case(API_FLOOR, "floor", "admin", "/api/v1/bench_floor/"),
        Case("pegawai list", "page", "admin", url_for("PegawaiView.list")),
        Case("pegawai list", "page", "atasan", url_for("PegawaiView.list")),
        Case("SKP inbox (Persetujuan SKP)", "page", "atasan", url_for("PersetujuanSkpView.inbox")),
        Case("SKP detail", "page", "atasan", url_for("SkpView.detail", skp_id=cast.skp_id)),
        Case("penilaian list", "page", "atasan", url_for("PenilaianView.daftar")),
        Case(
            "penilaian detail",
            "page",
            "atasan",
            url_for("PenilaianView.detail", penilaian_id=cast.penilaian_id),
        ),
        Case("audit log list", "page", "admin", url_for("AuditLogView.list")),
        Case("dashboard (whole city)", "page", "admin", url_for("DashboardIndexView.index")),
        # The same page counting afresh, as on its first look or once the cached numbers have
        # expired (DASHBOARD_CACHE_SECONDS).
        Case(
            "dashboard (whole city), counted afresh",
            "page",
            "admin",
            url_for("DashboardIndexView.index", segarkan=1),
        ),
        Case("REST pegawai, 100 rows", "api", "admin", "/api/v1/pegawai/?q=(page_size:100)"),
    ]
    exports = [
        Case(
            f"export {jenis}.xlsx (whole city)", "export", "admin", f"/api/v1/laporan/{jenis}.xlsx"
        )
        for jenis in REPORTS
    ]
    return pages + exports


# --- the app of this process -------------------------------------------------------------


def add_floors(app) -> None:  # noqa: ANN001
    """Register the empty page and the empty API answer, and let every role open the page:
    roles are code (FAB_ROLES), so the grant is added to this process's copy of them."""
    from flask_appbuilder import BaseView, expose, has_access
    from flask_appbuilder.api import BaseApi, protect

    class BenchFloorApi(BaseApi):
        resource_name = "bench_floor"

        @expose("/", methods=["GET"])
        @protect()
        def get(self) -> Any:
            return self.response(200, result=[])

    class BenchFloorView(BaseView):
        route_base = "/bench-floor"
        default_view = "index"

        @expose("/")
        @has_access
        def index(self) -> Any:
            return self.render_template("appbuilder/base.html")

    with app.app_context():
        app.appbuilder.add_view_no_menu(BenchFloorView)
        app.appbuilder.add_api(BenchFloorApi)
        sm = app.appbuilder.sm
        sm._builtin_roles = {
            role: [*patterns, ["^BenchFloorView$", "^can_index$"]]
            for role, patterns in sm.builtin_roles.items()
        }


class StatementCounter:
    def __init__(self, engine) -> None:  # noqa: ANN001
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._executed)

    def _executed(self, *_: Any) -> None:
        self.count += 1


class ExportRows:
    """The rows of the last report written, from ``laporan.buat`` (which the API calls)."""

    def __init__(self) -> None:
        from app.reports import laporan

        self.rows: int | None = None
        original = laporan.buat

        def counted(*args: Any, **kwargs: Any) -> Any:
            berkas = original(*args, **kwargs)
            self.rows = berkas.rows
            return berkas

        laporan.buat = counted


def browser(app, username: str, password: str):  # noqa: ANN001, ANN201
    """A test client signed in through the login form (with its CSRF token)."""
    client = app.test_client()
    token = _CSRF.search(client.get("/login/").get_data(as_text=True)).group(1)
    response = client.post(
        "/login/", data={"username": username, "password": password, "csrf_token": token}
    )
    if response.status_code != 302:
        raise RuntimeError(f"Login of {username} failed ({response.status_code}).")
    return client


def api_headers(app, username: str, password: str) -> dict[str, str]:
    response = app.test_client().post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db"},
    )
    if response.status_code != 200:
        raise RuntimeError(f"API login of {username} failed ({response.status_code}).")
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def measure(url: str, requests: int, export_requests: int) -> list[Timings]:
    from export_bench import bench_app

    from app.demo import DEMO_PASSWORD
    from app.extensions import db

    app = bench_app(url)
    add_floors(app)
    # No app context stays pushed while requests run: each request gets its own, with a
    # fresh session, as in a server (a shared one would answer from its identity map).
    with app.test_request_context():
        cast = find_cast(db.session)
        plan = cases(cast)
        engine = db.engine
        db.session.remove()
    counter = StatementCounter(engine)
    exported = ExportRows()
    clients = {
        "admin": browser(app, "admin", DEMO_PASSWORD),
        "atasan": browser(app, cast.atasan, DEMO_PASSWORD),
    }
    token = api_headers(app, "admin", DEMO_PASSWORD)
    timings = {case: Timings(case) for case in plan}

    def request(case: Case, timed: bool) -> None:
        headers = token if case.path.startswith("/api/") else {}
        before = counter.count
        start = time.perf_counter()
        response = clients[case.user].get(case.path, headers=headers)
        body = response.get_data()
        seconds = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"{case.path} as {case.user}: {response.status_code}")
        if timed:
            timings[case].seconds.append(seconds)
            timings[case].statements.append(counter.count - before)
            timings[case].bytes.append(len(body))

    # Pages in rounds, one request of each per round, so that load from other work on the
    # machine falls on all of them alike (and on their floors); the exports one after another.
    pages = [case for case in plan if case.kind != "export"]
    for case in pages:
        for _ in range(WARM_UP):
            request(case, timed=False)
    for _ in range(requests):
        for case in pages:
            request(case, timed=True)
    print("  pages: done", file=sys.stderr, flush=True)
    for case in (case for case in plan if case.kind == "export"):
        for number in range(EXPORT_WARM_UP + export_requests):
            request(case, timed=number >= EXPORT_WARM_UP)
        timings[case].rows = exported.rows
        print(f"  {case.name}: done", file=sys.stderr, flush=True)
    return list(timings.values())


# --- cold start --------------------------------------------------------------------------


def cold_start() -> dict[str, float]:
    """Run in a fresh interpreter (settings in the environment, set by the caller): the seconds
    of each step and the wall-clock time (``time.time``) when the first answer was complete.
    Nothing but the standard library is imported before ``start``."""
    start = time.perf_counter()
    # What gunicorn loads (run:app): the imports and the app made as in production.
    import run

    loaded = time.perf_counter()
    response = run.app.test_client().get("/login/")
    response.get_data()
    answered = time.perf_counter()
    if response.status_code != 200:
        raise RuntimeError(f"GET /login/ answered {response.status_code}")
    return {
        "load": loaded - start,
        "first_request": answered - loaded,
        "answered_at": time.time(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--export-requests", type=int, default=20)
    parser.add_argument("--cold-start", action="store_true")
    options = parser.parse_args()
    if options.cold_start:
        os.environ.update(DATABASE_URL=options.url, DEMO_DATA="1", FAB_UPDATE_PERMS="0")
        print(json.dumps(cold_start()))
        return
    results = measure(options.url, options.requests, options.export_requests)
    print(json.dumps([{**asdict(t), "case": asdict(t.case)} for t in results]))


if __name__ == "__main__":
    main()
