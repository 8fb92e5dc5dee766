"""The public demo keys (config.DEMO_SECRET_KEY, config.DEMO_AUDIT_KEY) serve `make run` only.

Anyone who has read this repository can sign a session or a JWT with the demo SECRET_KEY, and
recompute the audit chain with the demo AUDIT_KEY. So the app refuses to start with either
of them unless
- the database holds demo data only: it is empty (no pegawai, no account), or the demo loader's
  latest note in the audit trail says demo data are loaded and every account and pegawai is
  one the loader counted (app.demo.demo_only: `demo-data` refuses a database that holds
  anything else, its note records how many accounts and pegawai it left and their highest
  ids, and an account or pegawai added since, by hand or import, makes the app refuse);
- and the server binds to this machine only: `flask run --host` (`make run`: 127.0.0.1),
  gunicorn's ``bind`` (gunicorn.conf.py) and ``python run.py`` are checked as they start, and
  any request from another address is refused while a demo key is in use.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

import click
from flask import Flask, Response, current_app, request
from flask_babel import gettext
from sqlalchemy import inspect, text

from app.domain.enums import N_

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
REMOTE_REFUSED = N_(
    "This server uses the public demo key and serves this computer only. Ask the "
    "administrator to set SECRET_KEY and AUDIT_KEY."
)


def demo_keys_in_use(app: Flask) -> list[str]:
    """The settings that hold a public demo key."""
    import config

    demo = {"SECRET_KEY": config.DEMO_SECRET_KEY, "AUDIT_KEY": config.DEMO_AUDIT_KEY}
    return [name for name, value in demo.items() if app.config.get(name) == value]


def _refusal(names: list[str], why: str) -> RuntimeError:
    return RuntimeError(
        f"{' and '.join(names)} {'is' if len(names) == 1 else 'are'} the public demo "
        f"key{'' if len(names) == 1 else 's'} from the source code, and {why}. "
        "Set your own (python3 -c 'import secrets; print(secrets.token_hex(32))') for "
        "SECRET_KEY and AUDIT_KEY; see README: Security."
    )


def check_bind(app: Flask, hosts: Iterable[str]) -> None:
    """RuntimeError when a demo key is in use and the server listens beyond this machine."""
    names = demo_keys_in_use(app)
    public = sorted(host for host in hosts if host not in LOCAL_HOSTS)
    if names and public:
        raise _refusal(names, f"the server would listen on {', '.join(public)}")


def check_database(app: Flask) -> None:
    """RuntimeError when a demo key is in use and the database holds data that are not the
    demo's. Called by create_app inside its app context, once the database is set up."""
    names = demo_keys_in_use(app)
    if names and _holds_real_data():
        raise _refusal(
            names,
            f"the database {_database_name()} holds data that are not demo data (an account "
            "or pegawai the demo loader did not make, or no demo load at all)",
        )


def _database_name() -> str:
    from app.extensions import db

    return db.engine.url.render_as_string(hide_password=True)


def _holds_real_data() -> bool:
    from app.demo import demo_only
    from app.extensions import db

    tables = set(inspect(db.engine).get_table_names())
    if not {"pegawai", "ab_user", "audit_log"} <= tables:
        return False  # a database not migrated yet holds nothing
    with db.engine.connect() as connection:
        anything = connection.execute(
            text("SELECT 1 FROM pegawai UNION ALL SELECT 1 FROM ab_user LIMIT 1")
        ).first()
    if anything is None:
        return False
    try:
        return not demo_only(db.session)
    finally:
        db.session.remove()


def _cli_host() -> str | None:
    """The address `flask run` was told to bind to, when the app is made by it."""
    context = click.get_current_context(silent=True)
    if context is not None and context.info_name == "run":
        return context.params.get("host")
    return None


def check_start(app: Flask) -> None:
    """What create_app checks: the database, and the address of `flask run`."""
    if not demo_keys_in_use(app):
        return
    host = _cli_host()
    if host is not None:
        check_bind(app, [host])
    check_database(app)


def _is_local(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def refuse_remote_clients() -> Response | None:
    """While a demo key is in use, a request from another machine is refused (whatever
    server runs the app, and however it was started)."""
    if demo_keys_in_use(current_app) and not _is_local(request.remote_addr):
        return Response(gettext(REMOTE_REFUSED), status=403, mimetype="text/plain")
    return None


def register(app: Flask) -> None:
    if demo_keys_in_use(app):
        app.before_request(refuse_remote_clients)
