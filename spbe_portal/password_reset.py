"""Password reset in the portal's own Indonesian pages, limited per address and per client IP.

Django's views do the work (single-use signed links, no account enumeration: the same page
whether or not the address exists). On top: at most PASSWORD_RESET_PER_ADDRESS mails per
address and PASSWORD_RESET_PER_IP requests per client address each hour. Over the address limit
the page reads the same and no mail is sent (so the limit reveals nothing); over the IP limit the
answer is 429 with a message. See docs/security.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from spbe_portal import ratelimit
from spbe_portal.auth import client_ip

HOUR = 3600


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/reset_form.html"
    email_template_name = "registration/reset_email.txt"
    subject_template_name = "registration/reset_subject.txt"

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if not ratelimit.allow("reset-ip", client_ip(request), settings.PASSWORD_RESET_PER_IP, HOUR):
            return render(request, "registration/reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        address = form.cleaned_data["email"].strip().casefold()
        if not ratelimit.allow("reset-address", address, settings.PASSWORD_RESET_PER_ADDRESS, HOUR):
            return HttpResponseRedirect(self.get_success_url())  # the same page, no mail
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/reset_confirm.html"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/reset_complete.html"
