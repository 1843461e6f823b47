"""The page a request gets when something breaks: Indonesian (English when switched), never a traceback.

404, 403 and a refused CSRF check are ordinary pages with the portal's header, so the user can go
on from there. A lost database connection (PostgreSQL restarting) is a 503 "try again in a minute":
nothing the user did was wrong, and the next request reconnects (CONN_HEALTH_CHECKS). Anything else
is a 500. Those two render without a request context, so they need neither the database nor a session.
Under /api/ the answer is JSON in the problem-details shape (RFC 9457), never an HTML page: the
callers there are programs.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

log = logging.getLogger(__name__)

# Set on the portal's own error responses, so that the development fallback below leaves them alone.
PORTAL_PAGE = "portal_error_page"


def _problem(request: HttpRequest, status: int, title: str) -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": title, "instance": request.path}
    return JsonResponse(body, status=status, content_type="application/problem+json")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    response = render(request, template, status=status)
    setattr(response, PORTAL_PAGE, True)
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    del exception  # Django passes it by keyword; the page names no cause
    if _is_api(request):
        return _problem(request, 404, "Tidak ditemukan.")
    return _page(request, "404.html", 404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    del exception  # Django passes it by keyword; the page names no cause
    if _is_api(request):
        return _problem(request, 403, "Anda tidak berhak melakukan tindakan ini.")
    return _page(request, "403.html", 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    del reason  # Django passes it by keyword; it is English and for developers
    # Django's own page is English and styled inline, which the portal's CSP blocks.
    return _page(request, "403_csrf.html", 403)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this handler inside its `except` block: the exception is still current.
    return _failure_page(request, sys.exc_info()[1])


def _failure_page(request: HttpRequest, error: BaseException | None) -> HttpResponse:
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


class NotFoundPageMiddleware:
    """Under DEBUG (`make run`) Django answers an unknown address, and a failure, with its
    technical pages.

    The portal shows its own 404 and 500 there too, so that a developer sees what a user will see;
    the failure's traceback still goes to the console through the log. Non-HTML 404s (the API's
    JSON) and the portal's own page pass through unchanged.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, PORTAL_PAGE, False)
        ):
            return not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG or isinstance(exception, Http404 | PermissionDenied | SuspiciousOperation):
            return None  # Django's own handling: 404, 403 and 400 pages
        log.error("Kesalahan server pada %s", request.path, exc_info=exception)
        return _failure_page(request, exception)
