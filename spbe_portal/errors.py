"""The page a request gets when something breaks: Indonesian, self-contained, never a traceback.

A lost database connection (PostgreSQL restarting) is a 503 "try again in a minute": nothing the
user did was wrong, and the next request reconnects (CONN_HEALTH_CHECKS). Anything else is a 500.
Both templates render without a request context, so they need neither the database nor a session.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this handler inside its `except` block: the exception is still current.
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
