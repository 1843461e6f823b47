"""Gunicorn settings, read from the working directory (`gunicorn spbe_portal.wsgi`).

Sized for a 2-core server that also runs PostgreSQL, Redis and a Celery worker (docs/deployment.md):
3 sync workers. nginx in front buffers slow clients and whole upload bodies, so a sync worker is
only busy while Django works; reports are built by Celery, never in a web worker.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Longer than any page needs; a worker stuck past this is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so a slow leak never grows without bound.
max_requests = 1000
max_requests_jitter = 100
# Import Django and the portal once in the master, so a replacement worker is a fork with the
# code already loaded: without it each replacement spent about a second of CPU importing while
# requests queued behind it (every 75 s per worker at 54 req/s in bench/national.py's load test).
# Nothing opens a database or broker connection at import time, so none is shared across forks.
preload_app = True
# The heartbeat file lives in memory, not on the container's overlay filesystem (gunicorn
# creates it with a random name, so a shared directory is fine).
SHARED_MEMORY = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None
# gunicornc is not used; the default socket would need a writable home directory.
control_socket_disable = True
accesslog = "-"
# Only nginx talks to gunicorn; it sets X-Forwarded-For/Proto (Django reads them).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "*")
