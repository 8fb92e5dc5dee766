"""Extension objects shared by the app factory and the CLI (one set per process)."""

import sqlite3
from typing import Any

from flask_appbuilder.utils.legacy import get_sqla_class
from flask_caching import Cache
from sqlalchemy import event
from sqlalchemy.engine import Engine

db = get_sqla_class()()
# Short-lived results too costly to compute per request (config: CACHE_TYPE, …).
cache = Cache()


@event.listens_for(Engine, "connect")
def _sqlite_as_a_server_would(dbapi_connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys unless asked, per connection: without this a delete
    that PostgreSQL refuses (or cascades) would leave orphan rows on the embedded default.
    Write-ahead logging lets a page save while a long report still reads (in the default
    rollback journal a reader blocks every writer until it finishes, and the save fails
    after the busy timeout); the backup uses SQLite's online backup API, which reads the
    log too."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
