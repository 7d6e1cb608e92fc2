"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py 'transparency:create_app()'`.

Each value can be changed from the environment (GUNICORN_*), or on the command line, which
wins over this file. docs/deploy.md explains the choices.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One process per core is the base; threads let a worker overlap database and network waits.
workers = int(os.environ.get("GUNICORN_WORKERS", os.environ.get("WEB_CONCURRENCY", "4")))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
# Never preload: the app would open its database (and search index) before the fork, and
# SQLite connections or file locks must not be shared by processes.
preload_app = False
# A request that takes longer than this is a bug or an attack: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (leaks in any library), at staggered moments so that
# they never restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Request-line and header limits (gunicorn's defaults, written out so they are visible);
# bodies are limited by the app (MAX_CONTENT_LENGTH).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Heartbeat files on a RAM disk: a slow disk must not make the master kill healthy workers.
# gunicorn makes them with mkstemp (unique name, mode 0600), so a shared directory is safe.
SHM = "/dev/shm"  # noqa: S108 - see above
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
# Only a proxy on this machine may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 25+ opens a control socket at one path per user: two sites on a machine would
# take over each other's. Manage the server with signals (HUP, TERM, TTIN/TTOU) instead.
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
