"""The API's views: thin, scoped through assessment.access and reports.access, the pages' own helpers.

Out of scope is 404 (as on the pages, ids of other tenants cannot be probed); in scope but not
allowed (a reviewer saving an OPD's draft) is 403.
"""

from __future__ import annotations

import re

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filters import FilterBackend
from api.results import index_payload
from api.serializers import (
    AnswerDraftSerializer,
    AnswerSerializer,
    EvaluationIndexSerializer,
    EvaluationSerializer,
    FrameworkSerializer,
    IndicatorSerializer,
    ReportRequestSerializer,
    ReportSerializer,
)
from assessment import access
from assessment.filters import EvaluationFilter
from assessment.models import Answer, Evaluation, Framework, FrameworkGroup, Indicator, IndicatorLevel, Membership
from reports.access import allowed_kinds, report_for, reports_for
from reports.models import Report
from spbe_portal import storage

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
ANSWER_RELATED = ("evaluation__framework", "indicator", "lead_opd")


class FrameworkList(generics.ListAPIView[Framework]):
    """Loaded frameworks (the catalog is shared by every instansi of the deployment)."""

    serializer_class = FrameworkSerializer
    queryset = Framework.objects.prefetch_related(
        Prefetch("groups", FrameworkGroup.objects.select_related("parent")), "bands"
    ).order_by("code", "-loaded_at")


class FrameworkDetail(generics.RetrieveAPIView[Framework]):
    serializer_class = FrameworkSerializer
    queryset = FrameworkList.queryset


class FrameworkIndicators(generics.ListAPIView[Indicator]):
    """A framework's indicators with their weights, groups and level criteria."""

    serializer_class = IndicatorSerializer

    def get_queryset(self) -> QuerySet[Indicator]:
        framework = get_object_or_404(Framework, pk=self.kwargs["pk"])
        return (
            Indicator.objects.filter(framework=framework)
            .select_related("group", "scale")
            .prefetch_related(Prefetch("levels", IndicatorLevel.objects.order_by("level")))
            .order_by("number")
        )


class EvaluationList(generics.ListAPIView[Evaluation]):
    """Evaluations of the caller's instansi (and those a provincial coordinator reads)."""

    serializer_class = EvaluationSerializer
    filter_backends = [FilterBackend]
    filterset_class = EvaluationFilter

    def get_queryset(self) -> QuerySet[Evaluation]:
        return access.own_evaluations(access.membership(self.request)).order_by("-year", "instansi__name", "pk")


class EvaluationDetail(generics.RetrieveAPIView[Evaluation]):
    serializer_class = EvaluationSerializer

    def get_object(self) -> Evaluation:
        return access.evaluation_for(access.membership(self.request), self.kwargs["pk"])


class EvaluationIndex(APIView):
    """The index, its predikat and every group's figure, at each stage that has values."""

    @extend_schema(responses=EvaluationIndexSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(index_payload(access.evaluation_for(access.membership(request), pk)))


def _answers(queryset: QuerySet[Answer]) -> QuerySet[Answer]:
    return queryset.select_related(*ANSWER_RELATED).prefetch_related("stage_values", "contributors")


def answer_detail(member: Membership | None, pk: int) -> Answer:
    """One answer as the API shows it: the page's helper, with its values per stage and contributors."""
    answer = access.answer_for(member, pk)
    prefetch_related_objects([answer], "stage_values", "contributors")
    return answer


class EvaluationAnswers(generics.ListAPIView[Answer]):
    """The evaluation's answers the caller may read (OPD staff: their OPD's), with values per stage."""

    serializer_class = AnswerSerializer

    def get_queryset(self) -> QuerySet[Answer]:
        member = access.membership(self.request)
        evaluation = access.evaluation_for(member, self.kwargs["pk"])
        return _answers(access.answers_for(member).filter(evaluation=evaluation)).order_by("indicator__number")


class AnswerDetail(APIView):
    @extend_schema(responses=AnswerSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(AnswerSerializer(answer_detail(access.membership(request), pk)).data)

    @extend_schema(
        request=AnswerDraftSerializer,
        responses={
            200: AnswerSerializer,
            400: OpenApiResponse(description="invalid value or body"),
            403: OpenApiResponse(description="not an answerer of this answer"),
            409: OpenApiResponse(description="locked (deadline, final, under review) or changed since `version`"),
        },
        description="Save the self-assessed level and explanation as a draft, as the answer page does "
        "(only OPD staff of the lead or a contributing OPD; never submits).",
    )
    def patch(self, request: Request, pk: int) -> Response:
        from api.services import save_draft

        answer = access.answer_to_write(access.membership(request), pk)  # 404 unseen, 403 not its answerer
        body = AnswerDraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return save_draft(request, answer, body.validated_data)


class ReportList(generics.ListAPIView[Report]):
    """Reports the caller may download (as on the report pages)."""

    serializer_class = ReportSerializer

    def get_queryset(self) -> QuerySet[Report]:
        return reports_for(access.membership(self.request)).select_related("opd").order_by("-requested_at", "-pk")


class ReportDetail(generics.RetrieveAPIView[Report]):
    serializer_class = ReportSerializer

    def get_object(self) -> Report:
        return report_for(access.membership(self.request), self.kwargs["pk"])


class ReportFile(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> FileResponse:
        report = report_for(access.membership(request), pk)
        if report.status != "done" or not report.file:
            raise Http404
        suffix = report.file.name.rsplit(".", 1)[-1] if report.file.name else "bin"
        name = f"{report.kind}-{report.evaluation.instansi.slug}-{report.evaluation.year}-v{report.version}.{suffix}"
        try:  # streamed in chunks from the disk or the private bucket
            handle, size = storage.open_stream(report.file.storage, report.file.name)
        except OSError:
            raise Http404 from None
        response = FileResponse(handle, as_attachment=True, filename=name, content_type=report.content_type)
        response.block_size = storage.CHUNK
        response["Content-Length"] = str(size)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class EvaluationReports(APIView):
    @extend_schema(responses=ReportSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        member = access.membership(request)
        evaluation = access.evaluation_for(member, pk)
        if not allowed_kinds(member):
            raise Http404  # as the report page: roles without reports do not see the list
        reports = reports_for(member).filter(evaluation=evaluation).select_related("opd")[:100]
        return Response(ReportSerializer(reports, many=True).data)

    @extend_schema(
        request=ReportRequestSerializer,
        responses={
            201: ReportSerializer,
            200: ReportSerializer,
            400: OpenApiResponse(description="unknown kind or OPD"),
            403: OpenApiResponse(description="this role may not request this kind"),
            409: OpenApiResponse(description="not available yet (e.g. Berita Acara before finalisation)"),
        },
        description="Request a report; an existing build of unchanged data is returned (200) instead of a new one "
        "(201). Follow `status` on the report until `done`, then fetch `download`.",
    )
    def post(self, request: Request, pk: int) -> Response:
        from api.services import request_report

        evaluation = access.evaluation_for(access.membership(request), pk)
        body = ReportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report, created = request_report(request, evaluation, body.validated_data)
        return Response(
            ReportSerializer(report).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
