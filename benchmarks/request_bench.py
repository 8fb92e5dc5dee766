"""Response times of the pages, the REST list and the report downloads on one database, and the
cold start of a fresh process (run by benchmarks/bench.py, `make bench`).

    python benchmarks/request_bench.py --url URL [--requests 20] [--export-requests 20]
    python benchmarks/request_bench.py --url URL --cold-start

In one process, through Flask's test client (no server, no network: what is timed is the app,
reproducibly): sign in as each role — admin BKPSDM, the pimpinan of the largest OPD, the
atasan with the most direct subordinates, one of that atasan's staff (find_cast) — and find
what that role can reach (benchmarks/discovery.py): every page of its navbar, every REST list
and every report it may read; add the detail pages no navbar links to. Then for every request
a few warm-up requests (templates compiled, caches filled) and N timed ones (fewer for a slow
one: planned), each noting its seconds, its SQL statements (a ``before_cursor_execute``
listener on the engine) and the bytes of its body. The pages go in rounds (one request of
each per round), so that the load of other work on a shared machine falls on every page and
its floor alike. Printed as one JSON document: the cast, the navbar links left out (not
pages) and the timings.

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
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARM_UP = 3
EXPORT_WARM_UP = 1
# A request slower than SLOW_S is warmed up once; a page or list is timed at most for about
# PAGE_BUDGET_S seconds, a report for EXPORT_BUDGET_S, but never fewer than MIN_TIMED times.
SLOW_S = 1.0
PAGE_BUDGET_S = 6.0
EXPORT_BUDGET_S = 15.0
MIN_TIMED = 3
FLOOR_ENDPOINT = "BenchFloorView.index"
PAGE_FLOOR = "floor: empty page"
API_FLOOR = "floor: empty API answer"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


# The roles `make bench` signs in as (issue 16), by the key the tables show them under.
ROLES = ("admin", "pimpinan", "atasan", "pegawai")


@dataclass(frozen=True)
class Cast:
    """Who the requests are made as, and about, found in the data by query."""

    users: dict[str, str]  # role key (ROLES) -> username
    about: dict[str, str]  # role key -> why this one (for the results)
    skp_id: int  # an approved SKP of one of the atasan's staff
    penilaian_id: int  # an evaluation of that SKP, past "belum dinilai" when there is one


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # floor, page, api or export
    user: str  # a key of ROLES
    path: str


@dataclass
class Timings:
    case: Case
    seconds: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    bytes: list[int] = field(default_factory=list)
    rows: int | None = None


# --- the cast ----------------------------------------------------------------------------


def _roles_of(pegawai) -> set[str]:  # noqa: ANN001
    return {role.name for role in pegawai.user.roles} if pegawai.user else set()


def find_cast(session) -> Cast:  # noqa: ANN001
    """Admin BKPSDM; the pimpinan of the OPD with the most pegawai; the atasan (not a
    pimpinan) with the most direct subordinates; one of that atasan's staff without staff of
    their own, preferably the owner of the approved SKP whose pages are measured."""
    from sqlalchemy import func, select

    from app.models.master import Pegawai, UnitKerja
    from app.models.penilaian import Penilaian
    from app.models.skp import Skp
    from app.security import roles
    from app.security.scope import is_opd_path

    opds = [
        unit
        for unit in session.execute(
            select(UnitKerja).where(UnitKerja.kepala_id.is_not(None)).order_by(UnitKerja.kode)
        ).scalars()
        if is_opd_path(unit.path)
    ]

    def size(opd: UnitKerja) -> int:
        query = (
            select(func.count(Pegawai.id))
            .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
            .where(UnitKerja.path.startswith(opd.path))
        )
        return session.execute(query).scalar_one()

    sizes = {opd.id: size(opd) for opd in opds}
    largest = max(opds, key=lambda opd: sizes[opd.id])
    pimpinan = session.get(Pegawai, largest.kepala_id)

    subordinates = func.count(Pegawai.id)
    ranked = session.execute(
        select(Pegawai.atasan_id, subordinates)
        .where(Pegawai.atasan_id.is_not(None))
        .group_by(Pegawai.atasan_id)
        .order_by(subordinates.desc(), Pegawai.atasan_id)
        .limit(200)
    ).all()

    def has_staff(pegawai_id: int) -> bool:
        query = select(Pegawai.id).where(Pegawai.atasan_id == pegawai_id).limit(1)
        return session.execute(query).first() is not None

    for atasan_id, direct in ranked:
        atasan = session.get(Pegawai, atasan_id)
        held = _roles_of(atasan)
        if roles.ATASAN not in held or roles.PIMPINAN_OPD in held:
            continue
        skp = session.execute(
            select(Skp)
            .join(Pegawai, Skp.pegawai_id == Pegawai.id)
            .where(Pegawai.atasan_id == atasan.id, Skp.status == "disetujui")
            .order_by(Skp.id)
            .limit(1)
        ).scalar()
        if skp is None:
            continue
        penilaian_id = session.execute(
            select(Penilaian.id)
            .where(Penilaian.skp_id == skp.id)
            .order_by((Penilaian.status == "belum_dinilai"), Penilaian.id)
            .limit(1)
        ).scalar_one()
        staff = session.execute(
            select(Pegawai).where(Pegawai.atasan_id == atasan.id).order_by(Pegawai.id)
        ).scalars()
        leaves = [p for p in staff if p.user and not has_staff(p.id)]
        owner = next((p for p in leaves if p.id == skp.pegawai_id), None)
        pegawai = owner or next(iter(leaves), None)
        if pegawai is None:
            continue
        users = {
            "admin": "admin",
            "pimpinan": pimpinan.user.username,
            "atasan": atasan.user.username,
            "pegawai": pegawai.user.username,
        }
        about = {
            "pimpinan": f"head of {largest.kode}, {sizes[largest.id]:,} pegawai",
            "atasan": f"{direct:,} direct subordinates",
        }
        return Cast(users, about, skp.id, penilaian_id)
    raise LookupError("No atasan with staff and an approved SKP: is there demo data?")


def discover(app, cast: Cast, clients: dict) -> tuple[list[Case], dict, dict]:  # noqa: ANN001
    """Every page of each role's navbar, every REST list and report it may read (discovery.py),
    and the hand-picked pages the navbar does not link to (details, the uncached dashboard).
    Returns the cases; per role, the navbar links left out with their reason; and the
    seconds of the request that found where each navbar page lands (its first warm-up)."""
    import discovery
    from flask import url_for

    plan: list[Case] = []
    left_out: dict[str, list[list[str]]] = {}
    probed: dict[Case, float] = {}
    with app.test_request_context():
        floor = url_for(FLOOR_ENDPOINT)
    for role in ROLES:
        plan.append(Case(PAGE_FLOOR, "floor", role, floor))
        plan.append(Case(API_FLOOR, "floor", role, "/api/v1/bench_floor/"))
        html = clients[role].get(floor).get_data(as_text=True)
        pages, skipped = discovery.navbar_pages(app, html)
        left_out[role] = [[link.label, link.path, why] for link, why in skipped]
        for link in pages:
            # A link that redirects (the home page to the role's own start page) is measured
            # where it lands, under its navbar name.
            path, hops = link.path, 0
            while True:
                start = time.perf_counter()
                response = clients[role].get(path)
                response.get_data()
                seconds = time.perf_counter() - start
                if response.status_code not in (301, 302, 303):
                    break
                path, hops = urlsplit(response.headers["Location"]).path, hops + 1
                if hops > 3:
                    raise RuntimeError(f"{link.path} as {role}: too many redirects")
            name = f"{link.label} ({link.path})" + (f" → {path}" if hops else "")
            case = Case(name, "page", role, path)
            plan.append(case)
            probed[case] = seconds
        username = cast.users[role]
        for resource in discovery.rest_lists(app, username):
            plan.append(Case(f"REST {resource.name} list", "api", role, resource.path))
        for report in discovery.reports(app, username):
            plan.append(Case(f"report {report.name}", "export", role, report.path))
    with app.test_request_context():
        plan += [
            Case("SKP detail", "page", "atasan", url_for("SkpView.detail", skp_id=cast.skp_id)),
            Case("SKP detail", "page", "pegawai", url_for("SkpView.detail", skp_id=cast.skp_id)),
            Case(
                "penilaian detail",
                "page",
                "atasan",
                url_for("PenilaianView.detail", penilaian_id=cast.penilaian_id),
            ),
            # The dashboard counting afresh, as on its first look or once the cached numbers
            # have expired (DASHBOARD_CACHE_SECONDS).
            Case(
                "dashboard (whole city), counted afresh",
                "page",
                "admin",
                url_for("DashboardIndexView.index", segarkan=1),
            ),
            Case("REST pegawai, 100 rows", "api", "admin", "/api/v1/pegawai/?q=(page_size:100)"),
        ]
    return plan, left_out, probed


# --- the app of this process -------------------------------------------------------------


def add_floors(app) -> None:  # noqa: ANN001
    """Register the empty page and the empty API answer, and let every role open both:
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
            role: [*patterns, ["^BenchFloorView$", "^can_index$"], ["^BenchFloorApi$", "^can_get$"]]
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
    """The rows of the last report written, from ``laporan.berkas`` (through which the API,
    by way of app.services.ekspor, writes every report it answers at once)."""

    def __init__(self) -> None:
        from app.reports import laporan

        self.rows: int | None = None
        original = laporan.berkas

        def counted(*args: Any, **kwargs: Any) -> Any:
            made = original(*args, **kwargs)
            self.rows = made.rows
            return made

        laporan.berkas = counted


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


def planned(first: float, wanted: int, budget: float) -> int:
    """How many requests to time of a case whose first request took ``first`` seconds:
    ``wanted``, or fewer (never under MIN_TIMED) when they would take more than ``budget``
    seconds, so that a slow page or report does not stretch the run past the hour."""
    return min(wanted, max(MIN_TIMED, int(budget / first)))


def measure(url: str, requests: int, export_requests: int) -> dict:
    from export_bench import bench_app

    from app.demo import DEMO_PASSWORD
    from app.extensions import db

    app = bench_app(url)
    # A run on 100,000 pegawai outlasts the API's 15-minute token; how long a token lives
    # costs nothing per request.
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(hours=12)
    add_floors(app)
    # No app context stays pushed while requests run: each request gets its own, with a
    # fresh session, as in a server (a shared one would answer from its identity map).
    with app.test_request_context():
        cast = find_cast(db.session)
        engine = db.engine
        db.session.remove()
    clients = {role: browser(app, cast.users[role], DEMO_PASSWORD) for role in ROLES}
    tokens = {role: api_headers(app, cast.users[role], DEMO_PASSWORD) for role in ROLES}
    plan, left_out, probed = discover(app, cast, clients)
    counter = StatementCounter(engine)
    exported = ExportRows()
    timings = {case: Timings(case) for case in plan}

    def request(case: Case, timed: bool) -> float:
        headers = tokens[case.user] if case.path.startswith("/api/") else {}
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
        return seconds

    # Pages in rounds, one request of each per round, so that load from other work on the
    # machine falls on all of them alike (and on their floors); the exports one after another.
    # A slow case is warmed up once, and timed fewer times (planned).
    pages = [case for case in plan if case.kind != "export"]
    counts = {}
    for case in pages:
        # The navbar's pages were each requested once when they were found: that request
        # was their first warm-up.
        first = probed.pop(case, None) or request(case, timed=False)
        for _ in range(WARM_UP - 1 if first < SLOW_S else 0):
            request(case, timed=False)
        counts[case] = planned(first, requests, PAGE_BUDGET_S)
    print(f"  {len(pages)} pages and lists: warmed up", file=sys.stderr, flush=True)
    for number in range(max(counts.values())):
        for case in pages:
            if number < counts[case]:
                request(case, timed=True)
    print("  pages: done", file=sys.stderr, flush=True)
    for case in (case for case in plan if case.kind == "export"):
        first = request(case, timed=False)
        for _ in range(planned(first, export_requests, EXPORT_BUDGET_S)):
            request(case, timed=True)
        timings[case].rows = exported.rows
        print(f"  {case.name} ({case.user}): done", file=sys.stderr, flush=True)
    return {
        "cast": asdict(cast),
        "left_out": left_out,
        "timings": [{**asdict(t), "case": asdict(t.case)} for t in timings.values()],
    }


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
    print(json.dumps(measure(options.url, options.requests, options.export_requests)))


if __name__ == "__main__":
    main()
