"""The API's door to assessment.access and reports.access: the same scoping as the pages.

DRF's Request is not Django's HttpRequest, and the user may come from a token, so these take
the authenticated `request.user` and call the access module's member-based helpers.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from rest_framework.request import Request

from assessment import access
from assessment.models import Answer, Evaluation, Membership
from reports.access import reports_for
from reports.models import Report


def member(request: Request) -> Membership | None:
    if not hasattr(request, "_api_member"):
        request._api_member = access.membership_of(request.user)  # type: ignore[attr-defined]
    return request._api_member  # type: ignore[attr-defined,no-any-return]


def evaluations(request: Request) -> QuerySet[Evaluation]:
    return access.own_evaluations(member(request))


def evaluation(request: Request, pk: int) -> Evaluation:
    try:
        return evaluations(request).get(pk=pk)
    except Evaluation.DoesNotExist:
        raise Http404 from None


def answers(request: Request) -> QuerySet[Answer]:
    return access.answers_for(member(request))


def answer(request: Request, pk: int) -> Answer:
    try:
        return (
            answers(request)
            .select_related("evaluation__framework", "evaluation__instansi", "indicator", "lead_opd")
            .prefetch_related("stage_values", "contributors")
            .get(pk=pk)
        )
    except Answer.DoesNotExist:
        raise Http404 from None


def is_answerer(request: Request, answer: Answer) -> bool:
    return access.is_answerer(member(request), answer)


def reports(request: Request) -> QuerySet[Report]:
    return reports_for(member(request))


def report(request: Request, pk: int) -> Report:
    try:
        return reports(request).select_related("evaluation__instansi", "opd").get(pk=pk)
    except Report.DoesNotExist:
        raise Http404 from None
