"""htmx requests whose session has ended get a message, not the login page swapped into a cell."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _


class HtmxSessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        login = resolve_url(settings.LOGIN_URL)
        if getattr(request, "htmx", False) and response.status_code == 302 and response["Location"].startswith(login):
            message = _(
                "Sesi Anda telah berakhir, jadi perubahan terakhir belum tersimpan. Teks Anda masih ada di "
                "halaman ini. Masuk kembali di tab baru, lalu tekan Simpan di sini."
            )
            return HttpResponse(
                format_html('<span class="text-danger" role="alert" data-session-expired="1">{}</span>', message)
            )
        return response


class PortalLocaleMiddleware:
    """Bahasa Indonesia unless the user chose English with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, and office computers in
    Indonesia are often set to English; the portal is Indonesian first, so only the explicit
    choice (the language cookie set by the switch) counts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class AssessorGateMiddleware:
    """External assessors reach only `access.ASSESSOR_ROUTES`, and nothing once no assignment is
    in force (the day after the end date, the next request is a 404: the session stops working).

    Deny by default in one place, so that a page added later is closed to them until it is
    listed, rather than open through a role check someone forgot. Token-authenticated API calls
    are checked the same way in `api.authentication`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, _view_func: object, _args: object, _kwargs: object
    ) -> HttpResponse | None:
        from assessment import access

        member = access.membership(request)
        if not access.is_assessor(member):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in access.ASSESSOR_ALWAYS:
            return None
        if not access.assignments_in_force(member.user_id).exists():  # type: ignore[union-attr]
            raise Http404
        if name == "home":
            return redirect("assessment:assessor-home")
        if name not in access.ASSESSOR_ROUTES:
            raise Http404
        return None


class PrivateResponseMiddleware:
    """Every response the portal itself renders holds one instansi's data: `Cache-Control: private,
    no-store`, so neither a shared proxy nor the browser's disk keeps pages, API answers or report
    downloads. Static files are served by WhiteNoise before this runs and stay cacheable. Also a
    Permissions-Policy: the portal uses no camera, microphone, location, payment or sensors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in ("accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
                    "microphone", "midi", "payment", "usb", "interest-cohort")
)  # fmt: skip
