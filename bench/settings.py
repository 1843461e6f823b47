"""Settings for `make bench` only: the portal's settings plus a timing middleware and a baseline URL.

Never used by the portal itself (DJANGO_SETTINGS_MODULE=bench.settings is set by bench/national.py).
"""

from spbe_portal.settings import *  # noqa: F403
from spbe_portal.settings import MIDDLEWARE

# First, so that its figures cover every other middleware and the view.
MIDDLEWARE = ["bench.middleware.server_timing", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"
