"""Flask CLI commands of SIKAP Dumai (CONTRACT.md, Commands)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from app import audit
from app.extensions import db


@click.command("demo-data")
@click.option("--pegawai", "count", default=600, show_default=True, help="Number of pegawai.")
@click.option("--reset", is_flag=True, help="Delete all pegawai data first (demo DBs only).")
@click.option("--if-empty", is_flag=True, help="Do nothing when pegawai already exist.")
@with_appcontext
def demo_data(count: int, reset: bool, if_empty: bool) -> None:
    """Load synthetic Kota Dumai data: OPD tree, jabatan, pangkat, pegawai, accounts."""
    from app import demo

    if reset:
        demo.reset(db.session)
        db.session.commit()
    if not demo.is_empty(db.session):
        if if_empty:
            click.echo("Database already has data; demo data not loaded.")
            return
        raise click.ClickException("Database is not empty; use --reset to start over.")
    with audit.attributed_to("cli:demo-data"):
        loaded = demo.load_demo_data(db.session, count)
        db.session.commit()
    click.echo(f"Loaded {loaded} pegawai. Log in as admin / {demo.DEMO_PASSWORD}.")


@click.command("sync-roles")
@with_appcontext
def sync_roles() -> None:
    """Give every account the roles its place in the org chart implies."""
    from app.services import org

    with audit.attributed_to("cli:sync-roles"):
        changed = org.sync_roles(db.session)
        db.session.commit()
    click.echo(f"{changed} account(s) updated.")


@click.command("verify-audit")
@with_appcontext
def verify_audit() -> None:
    """Check the audit trail's hash chain; report the first row that breaks it."""
    broken = audit.verify_chain(db.session)
    if broken is None:
        click.echo("Audit trail intact.")
        return
    raise click.ClickException(f"Audit trail broken at row id {broken}.")


def register(app: Flask) -> None:
    for command in (demo_data, sync_roles, verify_audit):
        app.cli.add_command(command)
