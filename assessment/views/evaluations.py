from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def worklist(request: HttpRequest) -> HttpResponse:
    raise Http404


def progress(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def finalise_view(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
