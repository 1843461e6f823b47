"""Login with an optional second step, enrolment and disabling, and the admin's reset."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessment.access import member_for, membership
from spbe_portal.auth import LoginForm
from twofactor import services
from twofactor.forms import CodeForm, VerifyForm

PENDING = "twofactor_pending"
PENDING_SECONDS = 300  # the code step must follow the password step within five minutes
NEW_CODES = "twofactor_new_codes"  # recovery codes waiting to be shown, once, on the next page


def _refusal(throttled: bool) -> str:
    if throttled:
        return _("Terlalu banyak kode salah. Tunggu beberapa detik sampai kode berikutnya, lalu coba lagi.")
    return _("Kode salah atau sudah dipakai. Tunggu kode berikutnya, lalu coba lagi.")


class LoginView(auth_views.LoginView):
    """The password step. A user with a confirmed device is not logged in yet: the code comes first."""

    authentication_form = LoginForm

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if services.confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),  # already checked against foreign hosts
            "at": time.time(),
        }
        return redirect("twofactor:verify")


def _pending_user(request: HttpRequest) -> tuple[AbstractBaseUser, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - float(pending["at"]) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


def _second_factor_ok(request: HttpRequest, user: AbstractBaseUser, code: str) -> bool:
    if not services.looks_like_recovery_code(code):
        return services.check(user, code)
    if not services.use_recovery_code(user, code, request.META.get("REMOTE_ADDR")):
        return False
    left = services.recovery_state(user).left
    messages.warning(
        request,
        _("Anda masuk dengan kode pemulihan; kode itu kini tidak berlaku lagi. Sisa %(left)d kode.") % {"left": left},
    )
    return True


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponseBase:
    found = _pending_user(request)
    if found is None:
        messages.info(request, _("Masukkan nama pengguna dan kata sandi Anda lagi."))
        return redirect(settings.LOGIN_URL)
    user, pending = found
    form = VerifyForm(request.POST or None)
    if form.is_valid():
        code = form.cleaned_data["code"]
        throttled = services.throttled(user)  # before the check, which itself throttles a wrong code
        if _second_factor_ok(request, user, code):
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])  # type: ignore[arg-type]  # a new session key
            return redirect(pending["next"])
        # Counted by django-axes like a wrong password, for the same username and address.
        credentials = {get_user_model().USERNAME_FIELD: user.get_username()}
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            request.session.pop(PENDING, None)
        form.add_error("code", _refusal(throttled))
    return render(request, "twofactor/verify.html", {"form": form})


@never_cache  # the page that shows new recovery codes must not be kept by any cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol (scan, then confirm with a code) or disable (with a code)."""
    user = request.user
    if not isinstance(user, AbstractBaseUser) or not services.eligible(user):
        raise PermissionDenied
    form = CodeForm(request.POST or None)
    device = services.confirmed_device(user)
    if form.is_valid():
        code = form.cleaned_data["code"]
        throttled = services.throttled(user)
        if device is None and services.confirm(user, code):
            messages.success(request, _("Verifikasi dua langkah aktif. Mulai login berikutnya, portal meminta kode."))
            request.session[NEW_CODES] = services.issue_recovery_codes(user)
            return redirect("twofactor:setup")
        if device is not None and services.disable(user, code):
            messages.success(request, _("Verifikasi dua langkah dimatikan."))
            return redirect("twofactor:setup")
        form.add_error("code", _refusal(throttled))
    context: dict[str, Any] = {"form": form, "active": device is not None, "recovery_form": CodeForm(prefix="r")}
    if device is not None:
        # Shown on this one page view only; the session forgets them at once.
        context.update(new_codes=request.session.pop(NEW_CODES, None), recovery=services.recovery_state(user))
    if device is None:
        enrolling = services.enrolment_device(user)
        context.update(qr=services.qr_svg(enrolling), secret=services.secret_base32(enrolling),
                       uri=enrolling.config_url)  # fmt: skip
    return render(request, "twofactor/setup.html", context)


@require_POST
def regenerate_codes(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes; the old unused ones stop working. Takes a current authenticator code."""
    user = request.user
    if not isinstance(user, AbstractBaseUser) or services.confirmed_device(user) is None:
        raise PermissionDenied
    form = CodeForm(request.POST, prefix="r")
    throttled = services.throttled(user)
    if form.is_valid() and services.check(user, form.cleaned_data["code"]):
        request.session[NEW_CODES] = services.issue_recovery_codes(user)
        messages.success(request, _("Sepuluh kode pemulihan baru dibuat; kode lama tidak berlaku lagi."))
    else:
        messages.error(request, _refusal(throttled))
    return redirect("twofactor:setup")


@require_POST
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = member_for(membership(request), pk)  # 404 unless an admin of the member's instansi
    services.reset(target.user)
    messages.success(
        request,
        _("Verifikasi dua langkah akun %(username)s direset; login berikutnya cukup dengan kata sandi.")
        % {"username": target.user.get_username()},
    )
    return redirect("assessment:manage-user", pk=target.pk)
