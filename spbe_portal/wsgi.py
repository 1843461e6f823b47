from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spbe_portal.settings")
application = get_wsgi_application()
# Import every view module now rather than on the first request: with gunicorn's preload_app
# (gunicorn.conf.py) that happens once in the master, and each worker starts warm.
get_resolver().url_patterns  # noqa: B018 (evaluated for its side effect)
