"""Shared fixtures: one migrated database with demo data per test run (SQLite by default,
PostgreSQL when SIKAP_TEST_BACKEND=postgresql and TEST_DATABASE_URL are set), the app, and
clients signed in as each role."""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url

os.environ.setdefault("DEMO_DATA", "1")

DEMO_PEGAWAI = 150
PASSWORD = "dumai2026"


def _postgres_database() -> Iterator[str]:
    base = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"sikap_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # A test database need not survive a crash: commits return without waiting for the
        # WAL to reach the disk (the suite commits tens of thousands of times).
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit TO off'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    if os.environ.get("SIKAP_TEST_BACKEND") == "postgresql":
        yield from _postgres_database()
        return
    with tempfile.TemporaryDirectory() as folder:
        yield "sqlite:///" + os.path.join(folder, "test.db")


@pytest.fixture()
def empty_database_url(tmp_path) -> Iterator[str]:  # noqa: ANN001
    """A second, empty database on the same backend, for migration tests."""
    if os.environ.get("SIKAP_TEST_BACKEND") == "postgresql":
        yield from _postgres_database()
        return
    yield "sqlite:///" + str(tmp_path / "empty.db")


def make_app(database_url: str, **overrides):  # noqa: ANN201
    from app import create_app

    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "AUTH_RATE_LIMITED": False,
        "SECRET_KEY": "test-secret",
        "AUDIT_KEY": "test-audit-key",
        # One checkpoint file per test database (app/audit_trail.py).
        "AUDIT_CHECKPOINT_PATH": os.path.join(
            tempfile.gettempdir(),
            "sikap-test-audit",
            hashlib.sha256(database_url.encode()).hexdigest()[:16] + ".jsonl",
        ),
        "SERVER_NAME": None,
        # scrypt costs ~0.1 s of CPU per login and the suite signs in hundreds of times;
        # demo and factory accounts follow this setting (app/demo.py, FAB's add_user).
        "FAB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Tests change data and look at the dashboard straight after; the cache has its own
        # tests (tests/integration/test_dashboard_cache.py).
        "DASHBOARD_CACHE_SECONDS": 0,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def app(database_url: str):  # noqa: ANN201
    from flask_migrate import upgrade

    from app import audit, demo
    from app.extensions import db

    first = make_app(database_url)
    with first.app_context():
        upgrade()
    # A fresh app after migrating, so FAB syncs permissions against the real schema.
    application = make_app(database_url)
    with application.app_context():
        with audit.attributed_to("tests:demo-data"):
            demo.load_demo_data(db.session, DEMO_PEGAWAI, performance=False)
        db.session.commit()
    return application


@dataclass(frozen=True)
class Cast:
    """Demo people chosen by their place in the org chart, for role tests."""

    admin: str
    pimpinan: str  # head of an OPD
    atasan: str  # head of a bidang inside that OPD
    staff: str  # a subordinate of that atasan
    other_staff: str  # a colleague in the same bidang (same atasan)
    outsider: str  # a pegawai of another OPD
    outsider_atasan: str  # an atasan in another OPD


@pytest.fixture(scope="session")
def cast(app) -> Cast:  # noqa: ANN001
    from app.extensions import db
    from app.models.master import Pegawai, UnitKerja
    from app.security.scope import is_opd_path
    from app.seed import read_csv

    # The cast comes from the demo OPDs, never from units a test module made (and may make
    # before the cast is first asked for).
    demo_opds = {row["kode"] for row in read_csv("unit_kerja_dumai.csv")}
    with app.app_context():
        session = db.session
        opds = [
            u
            for u in session.execute(select(UnitKerja).where(UnitKerja.kepala_id.is_not(None)))
            .scalars()
            .all()
            if is_opd_path(u.path) and u.kode not in ("SETDA",) and u.kode in demo_opds
        ]
        opds.sort(key=lambda u: u.kode)

        def staff_of(head_id: int) -> list[Pegawai]:
            return list(
                session.execute(
                    select(Pegawai).where(Pegawai.atasan_id == head_id).order_by(Pegawai.id)
                ).scalars()
            )

        def chain(opd: UnitKerja) -> tuple[Pegawai, Pegawai, list[Pegawai]] | None:
            head = session.get(Pegawai, opd.kepala_id)
            for atasan in staff_of(head.id):
                staff = [p for p in staff_of(atasan.id) if not staff_of(p.id)]
                if len(staff) >= 2:
                    return head, atasan, staff
            return None

        chains = [(opd, c) for opd in opds if (c := chain(opd))]
        (_, (head, atasan, staff)), (_, (_, other_atasan, other_staff)) = chains[0], chains[1]
        return Cast(
            admin="admin",
            pimpinan=head.nip,
            atasan=atasan.nip,
            staff=staff[0].nip,
            other_staff=staff[1].nip,
            outsider=other_staff[0].nip,
            outsider_atasan=other_atasan.nip,
        )


@pytest.fixture()
def login(app):  # noqa: ANN001, ANN201
    """login(username) → a test client with a signed-in browser session."""

    def _login(username: str):  # noqa: ANN202
        client = app.test_client()
        response = client.post("/login/", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, f"login of {username} failed"
        return client

    return _login


@pytest.fixture()
def api(app):  # noqa: ANN001, ANN201
    """api(username) → (client, headers) with a JWT for the REST API."""

    def _api(username: str):  # noqa: ANN202
        client = app.test_client()
        response = client.post(
            "/api/v1/security/login",
            json={"username": username, "password": PASSWORD, "provider": "db"},
        )
        assert response.status_code == 200, response.get_json()
        token = response.get_json()["access_token"]
        return client, {"Authorization": f"Bearer {token}"}

    return _api


@pytest.fixture()
def db_session(app):  # noqa: ANN001, ANN201
    from app.extensions import db

    with app.app_context():
        yield db.session
        db.session.rollback()


def pegawai_id(app, nip: str) -> int:  # noqa: ANN001
    from app.extensions import db
    from app.models.master import Pegawai

    with app.app_context():
        return db.session.execute(select(Pegawai.id).where(Pegawai.nip == nip)).scalar_one()


@contextmanager
def statements(app=None, engine=None) -> Iterator[list[str]]:  # noqa: ANN001
    """The SQL statements sent inside the block (say, one request): to ``app``'s database, or
    to ``engine``; a list page costs the same number whatever its size (STYLE.md, Queries).
    With neither: those of every engine, including ones made inside the block."""
    from sqlalchemy.engine import Engine

    from app.extensions import db

    target = Engine if engine is None else engine
    if app is not None:
        with app.app_context():
            target = db.engine
    sent: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # noqa: ANN001, ANN002
        sent.append(statement)

    event.listen(target, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(target, "before_cursor_execute", record)
