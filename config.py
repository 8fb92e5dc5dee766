"""Settings of SIKAP Dumai. Every value can be overridden from the environment (CONTRACT.md)."""

import os
from datetime import timedelta

from flask_appbuilder.const import AUTH_DB

BASE_DIR = os.path.abspath(os.path.dirname(__file__))
INSTANCE_DIR = os.path.join(BASE_DIR, "instance")


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("FLASK_DEBUG")
DEMO_DATA = _flag("DEMO_DATA")

SQLALCHEMY_DATABASE_URI = os.environ.get(
    "DATABASE_URL", "sqlite:///" + os.path.join(INSTANCE_DIR, "sikap.db")
)
SQLALCHEMY_TRACK_MODIFICATIONS = False
SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
# Connections per worker process (SQLAlchemy's defaults: 5, and 10 more under load). A province
# with many workers must keep workers × (size + overflow) under the server's max_connections,
# or put PgBouncer in front.
if os.environ.get("DB_POOL_SIZE"):
    SQLALCHEMY_ENGINE_OPTIONS["pool_size"] = int(os.environ["DB_POOL_SIZE"])
if os.environ.get("DB_MAX_OVERFLOW"):
    SQLALCHEMY_ENGINE_OPTIONS["max_overflow"] = int(os.environ["DB_MAX_OVERFLOW"])
# A read replica for the reports (app/reports/source.py); unset: they read the primary.
REPORTS_DATABASE_URL = os.environ.get("REPORTS_DATABASE_URL")

# A production install must bring its own keys; demo and debug runs get fixed public ones so
# that `make run` needs no set-up. create_app refuses to start without them otherwise, and
# with a demo key on a database of real data or on an address other than localhost
# (app/security/demo_key.py).
DEMO_SECRET_KEY = "sikap-dumai-demo-only-key"
DEMO_AUDIT_KEY = "sikap-dumai-demo-only-audit-key"
SECRET_KEY = os.environ.get("SECRET_KEY") or (DEMO_SECRET_KEY if (DEBUG or DEMO_DATA) else None)
# The key of the audit trail's hash chain (app/audit.py): kept outside the database and its
# backups, so that whoever can edit the table cannot recompute the chain.
AUDIT_KEY = os.environ.get("AUDIT_KEY") or (DEMO_AUDIT_KEY if (DEBUG or DEMO_DATA) else None)
# The audit trail's checkpoints (app/audit_trail.py): an append-only file outside the database.
AUDIT_CHECKPOINT_PATH = os.environ.get(
    "AUDIT_CHECKPOINT_PATH", os.path.join(INSTANCE_DIR, "audit-checkpoints.jsonl")
)

PORT = int(os.environ.get("PORT", "5000"))
UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", os.path.join(INSTANCE_DIR, "uploads"))
MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "10"))
MAX_CONTENT_LENGTH = MAX_UPLOAD_MB * 1024 * 1024
# A REST request body other than an upload (JSON): larger ones answer 413 (app/api/guard.py).
MAX_JSON_MB = int(os.environ.get("MAX_JSON_MB", "1"))

APP_NAME = "SIKAP Dumai"
APP_THEME = ""
APP_ICON = ""

# Indonesian first; English stays reachable through the language menu.
BABEL_DEFAULT_LOCALE = os.environ.get("BABEL_DEFAULT_LOCALE", "id")
BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
BABEL_TRANSLATION_DIRECTORIES = os.path.join(BASE_DIR, "translations")
LANGUAGES = {
    "id": {"flag": "id", "name": "Bahasa Indonesia"},
    "en": {"flag": "gb", "name": "English"},
}

AUTH_TYPE = AUTH_DB
AUTH_ROLE_ADMIN = "admin_bkpsdm"
AUTH_ROLE_PUBLIC = "Public"
AUTH_USER_REGISTRATION = False
AUTH_RATE_LIMITED = True
AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute")
# Per account, whatever the client (app/security/login.py): this many failed sign-ins within
# LOGIN_LOCKOUT_MINUTES lock the account until the oldest of them is that old; 0: no lock-out.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "10"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
# Proxy hops in front of the app whose X-Forwarded-For/-Proto are believed (nginx: 1). 0: none;
# the client is the socket's address, as it must be when nothing sets the header for it.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
RATELIMIT_ENABLED = _flag("RATELIMIT_ENABLED", "1")
RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")

# Roles are code (app/security/roles.py); FAB checks them in memory, so they cannot drift
# from what is deployed. Permission sync is for development; deployments run
# `flask fab create-permissions` once instead.
FAB_UPDATE_PERMS = _flag("FAB_UPDATE_PERMS", "1")
# FAB would otherwise create_all() every table on an empty DB behind Alembic's back.
FAB_CREATE_DB = False
FAB_API_SWAGGER_UI = True
# Roles are code (app/security/roles.py): FAB's pages for editing permissions would only
# show raw permission names and invite edits that the code overrides anyway.
FAB_ADD_SECURITY_PERMISSION_VIEW = False
FAB_ADD_SECURITY_VIEW_MENU_VIEW = False
FAB_ADD_SECURITY_PERMISSION_VIEWS_VIEW = False
FAB_ADD_SECURITY_API = False
FAB_API_MAX_PAGE_SIZE = 100

# At least 10 characters, letters and digits, not the username (app/security/passwords.py).
FAB_PASSWORD_COMPLEXITY_ENABLED = True

WTF_CSRF_ENABLED = True
WTF_CSRF_TIME_LIMIT = None

# A browser session ends after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS
# after sign-in, judged by the server (app/security/sesi.py); SESSION_TIMEOUT_MINUTES is the
# idle setting's former name.
SESSION_IDLE_MINUTES = int(
    os.environ.get("SESSION_IDLE_MINUTES", os.environ.get("SESSION_TIMEOUT_MINUTES", "30"))
)
SESSION_MAX_HOURS = float(os.environ.get("SESSION_MAX_HOURS", "12"))
PERMANENT_SESSION_LIFETIME = timedelta(minutes=SESSION_IDLE_MINUTES)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE")

# Access tokens are short-lived; a client keeps going with a refresh token ("refresh": true
# at login, then POST /api/v1/security/refresh). Both end with the account's sessions.
# The environment gives the access token in minutes, the refresh token in hours.
JWT_ACCESS_TOKEN_EXPIRES = timedelta(
    minutes=float(os.environ.get("JWT_ACCESS_TOKEN_EXPIRES", "15"))
)
JWT_REFRESH_TOKEN_EXPIRES = timedelta(
    hours=float(os.environ.get("JWT_REFRESH_TOKEN_EXPIRES", "12"))
)

# E-mail copies of notifications (app/mail.py): off unless MAIL_ENABLED=1. Sent after the
# action commits, over SMTP to the account's e-mail; a failure is logged, never shown.
MAIL_ENABLED = _flag("MAIL_ENABLED")
MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
MAIL_USE_TLS = _flag("MAIL_USE_TLS")  # STARTTLS
MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "sikap@localhost")
MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
# Links in mails: the public address of the app (else the address of the request).
MAIL_BASE_URL = os.environ.get("MAIL_BASE_URL")

# The city-wide numbers of the dashboard (completion and predikat per OPD) aggregate every
# pegawai, SKP and evaluation: at 100,000 pegawai that is ~0.5 s, so they are kept this many
# seconds per viewer scope and filter (the page says as of when, and offers a refresh);
# 0 computes them on every request. SimpleCache is per process; with several gunicorn workers
# use CACHE_TYPE=RedisCache and CACHE_REDIS_URL=redis://….
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "60"))
CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "redis://127.0.0.1:6379/0")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "sikap:")

FAB_INDEX_VIEW = "app.views.dashboard.DashboardIndexView"
FAB_SECURITY_MANAGER_CLASS = "app.security.manager.SikapSecurityManager"

# Days a pegawai has to accept or object to a rating (local policy); after them the nightly
# job counts it as accepted (app/services/jobs.py).
KEBERATAN_HARI = int(os.environ.get("KEBERATAN_HARI", "14"))

# Reports of more rows than EKSPOR_LATAR_BARIS are written by the worker, not in the request
# (app/services/ekspor.py; 0: always in the request); their files are kept in EKSPOR_FOLDER
# (shared by the web processes and the worker) for EKSPOR_KEDALUWARSA_JAM hours.
EKSPOR_LATAR_BARIS = int(os.environ.get("EKSPOR_LATAR_BARIS", "5000"))
EKSPOR_KEDALUWARSA_JAM = float(os.environ.get("EKSPOR_KEDALUWARSA_JAM", "24"))
EKSPOR_FOLDER = os.environ.get("EKSPOR_FOLDER", os.path.join(INSTANCE_DIR, "ekspor"))
