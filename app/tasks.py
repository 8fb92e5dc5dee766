"""The task queue: Huey, embedded by default.

Why Huey rather than Celery: it runs scheduled (periodic) tasks in its own consumer with no
separate beat process, its SQLite storage needs no server for ``make run`` (Redis in
production, one setting), and it has an immediate mode for tests — one small, well-kept
dependency. The consumer is started by ``make run``; production runs
``python -m huey.bin.huey_consumer app.tasks.huey`` (README, Processes).

Settings: ``HUEY_REDIS_URL`` (``redis://…``: Redis storage, for several machines) else
``HUEY_SQLITE_PATH`` (default ``instance/huey.db``); ``HUEY_IMMEDIATE=1`` runs tasks in the
caller (tests).

Tasks: the nightly jobs (app/services/jobs.py) and the long reports (app/services/ekspor.py).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from flask import current_app, has_app_context
from huey import Huey, RedisHuey, SqliteHuey, crontab

import config


def _make_huey() -> Huey:
    immediate = os.environ.get("HUEY_IMMEDIATE", "").lower() in {"1", "true", "yes", "on"}
    if os.environ.get("HUEY_REDIS_URL"):
        return RedisHuey("sikap", url=os.environ["HUEY_REDIS_URL"], immediate=immediate)
    path = os.environ.get("HUEY_SQLITE_PATH", os.path.join(config.INSTANCE_DIR, "huey.db"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return SqliteHuey("sikap", filename=path, immediate=immediate, utc=False)


huey = _make_huey()


@huey.on_startup()
def yield_the_cores_to_the_pages() -> None:
    """Each worker of the consumer runs at a lower CPU priority (``HUEY_NICE``, default 10;
    0 keeps the default): on a server shared with gunicorn a 100,000-row report takes the
    cores the pages leave, instead of a third of them while pages queue (benchmarks/
    stress.py). Linux sets a thread's priority, so the consumer's scheduler keeps its own."""
    os.nice(int(os.environ.get("HUEY_NICE", "10")))


def _app() -> Any:
    """The Flask app to run in: the caller's (tests, immediate mode), else the worker's own."""
    if has_app_context():
        return current_app._get_current_object()
    from run import app

    return app


# Every night at 00:15 local time: deemed acceptance and the other due jobs.
@huey.periodic_task(crontab(minute="15", hour="0"))
def run_due_jobs(today: str | None = None) -> dict[str, int]:
    from app.extensions import db
    from app.services import jobs

    day = dt.date.fromisoformat(today) if today else dt.date.today()
    with _app().app_context():
        return jobs.run_due(db.session, day)


# A report too long for a request (app/services/ekspor.py): written here, progress told to
# this queue's store, the file left in EKSPOR_FOLDER for the page and the API to hand out.
@huey.task()
def tulis_ekspor(token: str) -> None:
    from app import audit
    from app.extensions import db
    from app.services import ekspor

    with _app().app_context(), audit.attributed_to("tasks:ekspor"):
        ekspor.tulis(db.session, token)
