"""The portal's URLs plus the one-query baseline page, for `make bench` only."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from spbe_portal.urls import urlpatterns as portal


def baseline(request: HttpRequest) -> HttpResponse:
    """A minimal logged-in page: one query of its own, besides the session and user lookups."""
    count = get_user_model().objects.filter(pk=request.user.pk or 0).count()
    return HttpResponse(f"ok {count}", content_type="text/plain")


# The portal's layout (menu, notifications badge, language switch) around the same one query:
# not a target, but it shows how much of a page's time is the layout every page shares.
LAYOUT = Template('{% extends "base.html" %}{% block content %}<p>{{ count }}</p>{% endblock %}')


def baseline_layout(request: HttpRequest) -> HttpResponse:
    count = get_user_model().objects.filter(pk=request.user.pk or 0).count()
    return HttpResponse(LAYOUT.render(RequestContext(request, {"count": count})))


urlpatterns = [
    path("bench/baseline/", baseline, name="bench-baseline"),
    path("bench/baseline-layout/", baseline_layout, name="bench-baseline-layout"),
    *portal,
]
