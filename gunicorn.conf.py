"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py run:app` (README: Deployment).

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

# Only reachable through a reverse proxy on the same host. The app believes X-Forwarded-For
# only for TRUSTED_PROXIES hops (ProxyFix in app/__init__.py): set TRUSTED_PROXIES=1 for that
# proxy; the default 0 takes the socket's address, which behind a proxy is the proxy's.
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

# The master loads the app once (~2 s on a small server) and forks the workers from it: a
# worker that starts or is recycled serves at once, and the workers share the master's pages.
preload_app = True


def post_fork(server, worker):  # noqa: ANN001, ANN201, ARG001 - gunicorn's hook signature
    """The master opened database connections while making the app (roles, schema check);
    a forked worker must not use them: it drops the copies and opens its own."""
    from app.extensions import db
    from run import app

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


def on_starting(server):  # noqa: ANN001, ANN201 - gunicorn's hook signature
    """Never serve beyond this machine with a public demo key (app/security/demo_key.py).
    Load WeasyPrint and compile the page templates before the workers fork (the app imports
    the one at its first PDF and compiles each template at its first page): they share them,
    and no worker's first requests wait for them."""
    import weasyprint  # noqa: F401

    from app.security import demo_key
    from app.web import compile_templates
    from run import app

    hosts = [address[0] for address in server.cfg.address if isinstance(address, tuple)]
    demo_key.check_bind(app, hosts)
    compile_templates(app)
