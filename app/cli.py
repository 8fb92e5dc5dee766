"""Flask CLI commands of SIKAP Dumai (CONTRACT.md, Commands)."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
    from app.services import planner_stats

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
    planner_stats.refresh(db.session)
    db.session.commit()
    click.echo(f"Loaded {loaded} pegawai. Log in as admin / {demo.DEMO_PASSWORD}.")


@click.command("seed")
@with_appcontext
def seed() -> None:
    """Reference data every install needs (pangkat, the Dumai unit tree, this year's periods,
    the four roles); running it again adds only what is missing."""
    from flask import current_app

    from app.seed import seed_reference_data

    with audit.attributed_to("cli:seed"):
        current_app.appbuilder.sm.create_db()
        seed_reference_data(db.session)
        db.session.commit()
    click.echo("Reference data in place.")


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
    """Check the audit trail's keyed hash chain against the checkpoints outside the database;
    report the first row that breaks it. An intact trail gets a new checkpoint."""
    from app import audit_trail

    key, path = audit.audit_key(), audit_trail.checkpoint_path()
    try:
        checkpoints = audit_trail.read_checkpoints(key, path)
    except audit_trail.ForgedCheckpoint as error:
        raise click.ClickException(f"Audit checkpoints not trustworthy: {error}.") from error
    verdict = audit_trail.verify(db.session, key, checkpoints)
    db.session.rollback()
    if verdict.broken is not None and not verdict.broken.verifiable:
        raise click.ClickException(f"Audit trail not verifiable: {verdict.broken.reason}.")
    if verdict.broken is not None:
        where = f" at row id {verdict.broken.row_id}" if verdict.broken.row_id else ""
        raise click.ClickException(f"Audit trail broken{where}: {verdict.broken.reason}.")
    audit_trail.append_checkpoint(verdict.head, key, path)
    click.echo(
        f"Audit trail intact: {verdict.head.count} row(s) up to id {verdict.head.last_id or '-'}, "
        f"held against {verdict.checked_against} checkpoint(s); checkpoint added to {path}."
    )
    if verdict.unkeyed:
        click.echo(
            f"{verdict.unkeyed} row(s) from before AUDIT_KEY carry the unkeyed hash, vouched "
            "for by a keyed row."
        )


@click.command("import-pegawai")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and report; save nothing.")
@with_appcontext
def import_pegawai(path: str, dry_run: bool) -> None:
    """Create or update pegawai from the BKPSDM template (.xlsx). Every bad row is reported
    with its row number, column and reason; if any row fails nothing is saved and the exit
    status is 1."""
    import os

    from flask import current_app

    from app.domain.errors import DomainError
    from app.i18n import translated
    from app.services import impor

    with open(path, "rb") as handle:
        try:
            result = impor.import_pegawai(
                db.session,
                handle,
                os.path.basename(path),
                actor="cli:import-pegawai",
                dry_run=dry_run,
                limit=current_app.config["MAX_UPLOAD_MB"] * impor.MB,
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(translated(error)) from error
    for error in result.errors:
        click.echo(error.text(), err=True)
    click.echo(result.summary())
    if result.errors:
        click.get_current_context().exit(1)


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@with_appcontext
def backup(path: str | None) -> None:
    """Write the database and the uploaded files into one .tar.gz (PATH, by default
    instance/backups/sikap-<UTC time>.tar.gz). Safe while the app runs."""
    from flask import current_app

    from app import backup as backups

    path = path or backups.default_path(current_app.instance_path)
    db.session.remove()
    try:
        manifest = backups.create_backup(db.engine, current_app.config["UPLOAD_FOLDER"], path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    with audit.attributed_to("cli:backup"):
        backups.record(db.session, backups.BACKUP_NOTE, path, manifest)
        db.session.commit()
    click.echo(
        f"Backup written to {path}: {manifest.backend} database at revision "
        f"{manifest.revision or '-'} and {manifest.files} uploaded file(s)."
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore(path: str, yes: bool) -> None:
    """Replace the whole database and all uploaded files with those of a backup made by
    `flask backup`. Stop the app (every worker) first."""
    from flask import current_app

    from app import backup as backups

    folder = current_app.config["UPLOAD_FOLDER"]
    try:
        manifest = backups.read_manifest(path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Backup of {manifest.created_at}: {manifest.backend} database at revision "
        f"{manifest.revision or '-'}, {manifest.files} uploaded file(s)."
    )
    if not yes:
        click.confirm(
            f"This REPLACES all data in {db.engine.url.render_as_string(hide_password=True)} "
            f"and every file in {folder} with the backup. Continue?",
            abort=True,
        )
    db.session.remove()
    try:
        backups.restore_backup(db.engine, folder, path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    from app import audit_trail

    # Written into the restored database; the checkpoints restart from its head.
    with audit.attributed_to("cli:restore"):
        backups.record(db.session, backups.RESTORE_NOTE, path, manifest)
        db.session.commit()
    audit_trail.mark_restore(db.session)
    db.session.rollback()
    click.echo(
        "Restored. Run `flask --app run db upgrade` if this code is newer than the backup, "
        "then `flask --app run verify-audit`."
    )


@click.group("jobs")
def jobs_group() -> None:
    """The scheduled jobs (the worker runs them every night)."""


@jobs_group.command("run-due")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge what is due as of this date (YYYY-MM-DD; default: today).",
)
@with_appcontext
def run_due(today: Any) -> None:
    """Run every job that is due once, as the worker would; running it again changes nothing."""
    from app.services import jobs

    day = today.date() if today else dt.date.today()
    for name, count in jobs.run_due(db.session, day).items():
        click.echo(f"{name}: {count}")


@click.command("verify-counts")
@with_appcontext
def verify_counts() -> None:
    """Compare the maintained counts (Kepatuhan, Monitoring SKP, dashboard), open items
    (Kepatuhan's list) and JP per year (the JP tally) with a full recount; print every
    difference and exit 1 on any."""
    from app.services import butir, hitungan, jp_tahunan

    found = [str(selisih) for selisih in hitungan.differences(db.session)]
    found += butir.differences(db.session) + jp_tahunan.differences(db.session)
    db.session.rollback()
    for line in found:
        click.echo(line)
    if found:
        raise click.ClickException(
            f"{len(found)} maintained counts, open items or JP differ from a recount; "
            "`flask recount` rebuilds them."
        )
    click.echo("Maintained counts and open items equal a full recount.")


@click.command("recount")
@with_appcontext
def recount() -> None:
    """Rebuild the maintained counts, open items and JP per year from a full recount (after
    a bulk load or a repair)."""
    from app.services import butir, hitungan, jp_tahunan

    rows = hitungan.rebuild(db.session)
    items = butir.rebuild(db.session)
    jp = jp_tahunan.rebuild(db.session)
    db.session.commit()
    click.echo(
        f"Maintained counts rebuilt: {rows} rows; open items: {items} rows; JP per year: {jp} rows."
    )


def register(app: Flask) -> None:
    for command in (
        demo_data,
        seed,
        sync_roles,
        verify_audit,
        import_pegawai,
        backup,
        restore,
        jobs_group,
        verify_counts,
        recount,
    ):
        app.cli.add_command(command)
