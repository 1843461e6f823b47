"""The page a request gets when something breaks: Indonesian, self-contained, never a traceback.

A lost database connection (PostgreSQL restarting) is a 503 "try again in a minute": nothing the
user did was wrong, and the next request reconnects (CONN_HEALTH_CHECKS). Anything else is a 500.
Both templates render without a request context, so they need neither the database nor a session.
Under /api/ the answer is JSON in the problem-details shape (RFC 9457), never an HTML page: the
callers there are programs.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults


def _problem(request: HttpRequest, status: int, title: str) -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": title, "instance": request.path}
    return JsonResponse(body, status=status, content_type="application/problem+json")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _problem(request, 404, "Tidak ditemukan.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this handler inside its `except` block: the exception is still current.
    error = sys.exc_info()[1]
    database_gone = isinstance(error, OperationalError | InterfaceError)
    if _is_api(request):
        response: HttpResponse = (
            _problem(request, 503, "Layanan sementara tidak tersedia; coba lagi sebentar lagi.")
            if database_gone
            else _problem(request, 500, "Terjadi kesalahan di server.")
        )
        if database_gone:
            response["Retry-After"] = "30"
        return response
    if database_gone:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
