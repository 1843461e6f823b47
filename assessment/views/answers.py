from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def answer_page(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def save_view(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
