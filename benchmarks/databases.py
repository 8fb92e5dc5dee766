"""The databases the benchmarks run on: one per size (number of demo pegawai), migrated to the
current schema and filled with demo data when empty.

* SQLite (default): ``instance/bench-<N>.db``, created on first use and reused afterwards.
* PostgreSQL: ``DATABASE_URL``. When it contains ``{pegawai}`` the size is put there, so one
  setting names a database per size (``…/bench{pegawai}`` → ``bench5000``, ``bench100000``);
  without it, it names the database of a single size (``--pegawai N``). A database that does
  not exist yet is created.

Every run applies ``flask db upgrade`` (the schema moves on while a database is kept), then
``flask demo-data --pegawai N --if-empty`` (only an empty database gets demo data, so point
``DATABASE_URL`` at a database made for benchmarking, never at one with real people in it),
and ``ANALYZE`` (on PostgreSQL ``VACUUM ANALYZE``), as a database in service has had: autovacuum
on PostgreSQL, the nightly job on SQLite (app/services/planner_stats.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = "{pegawai}"


class SizeNotInUrl(ValueError):
    """DATABASE_URL names one database, but several sizes were asked for."""


def database_url(pegawai: int, several_sizes: bool = False) -> str:
    """The URL of the benchmark database of ``pegawai`` demo pegawai (not yet prepared)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{ROOT / 'instance' / f'bench-{pegawai}.db'}"
    if PLACEHOLDER in url:
        return url.replace(PLACEHOLDER, str(pegawai))
    if several_sizes:
        raise SizeNotInUrl(
            "DATABASE_URL names one database: give one --pegawai N, or put {pegawai} in the "
            "database name (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench{pegawai})."
        )
    return url


def backend(url: str) -> str:
    """``sqlite`` or ``postgresql`` (the dialect, without the driver)."""
    return make_url(url).get_backend_name()


def prepare(url: str, pegawai: int) -> None:
    """Create the database if missing, migrate it, and load demo data if it has no pegawai
    (a few minutes for 100,000)."""
    if backend(url) == "sqlite":
        (ROOT / "instance").mkdir(exist_ok=True)
    else:
        _create_postgres_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DEMO_DATA": "1", "FAB_UPDATE_PERMS": "0"}
    flask = [sys.executable, "-m", "flask", "--app", "run"]
    upgrade = subprocess.run(
        [*flask, "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if upgrade.returncode:
        sys.stderr.write(upgrade.stdout + upgrade.stderr)
        raise RuntimeError(f"flask db upgrade failed on {shown(url)}.")
    if pegawai_count(url) == 0:
        print(f"Loading {pegawai} demo pegawai into {shown(url)} (minutes)…", flush=True)
        subprocess.run(
            [*flask, "demo-data", "--pegawai", str(pegawai), "--if-empty"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    _analyze(url)


def _analyze(url: str) -> None:
    """Gather the planner's statistics of the bulk-loaded tables, as a server in service has
    them: without statistics the planner guesses row counts and picks plans a production
    database would not. PostgreSQL also vacuums (autovacuum's work): without a visibility map
    a count cannot be answered from an index alone."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        if backend(url) == "sqlite":
            # As the nightly job gathers them (empty tables included).
            from sqlalchemy.orm import Session

            from app.services import planner_stats

            with Session(engine) as session:
                planner_stats.refresh(session)
        else:
            with engine.connect() as connection:
                connection.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


def pegawai_count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM pegawai")).scalar_one()
    finally:
        engine.dispose()


def shown(url: str) -> str:
    """The URL without its password, for messages and result files."""
    return make_url(url).render_as_string(hide_password=True)


def _create_postgres_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            ).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()
