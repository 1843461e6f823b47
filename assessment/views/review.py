from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def queue(request: HttpRequest) -> HttpResponse:
    raise Http404


def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def evidence_decision(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
