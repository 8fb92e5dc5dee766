"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py run:app` (README: Deployment).

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

# Only reachable through a reverse proxy on the same host; the app trusts one
# X-Forwarded-For hop (ProxyFix in app/__init__.py).
bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"

# gunicorn's own rule of thumb for sync workers. With more than one worker the login rate
# limit needs a shared store: set RATELIMIT_STORAGE_URI=redis://… (README: Settings).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))

# Generous for slow pages on a busy intranet, short enough to recycle a stuck worker.
timeout = 120
graceful_timeout = 30

accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
