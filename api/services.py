"""API writes, each through the portal's own use case (never around the workflow rules)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api import scope
from api.serializers import AnswerSerializer
from assessment.models import Answer, Evaluation, Role
from assessment.services import answers as workflow
from assessment.services.evaluations import WorkflowError
from reports import rendering
from reports import services as report_services
from reports.access import allowed_kinds
from reports.models import Report, ReportKind
from scoring.services import engine_framework
from scoring.vectors import VectorError, parse_value


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _user(request: Request) -> AbstractBaseUser:
    return cast(AbstractBaseUser, request.user)  # IsAuthenticated let only real users this far


def save_draft(request: Request, answer: Answer, data: dict[str, Any]) -> Response:
    """`assessment.services.answers.save_draft` with the API's status codes (409 locked or stale)."""
    value = None
    if data["value"] is not None:
        try:
            value = parse_value(data["value"].strip(), engine_framework(answer.evaluation.framework))
        except VectorError as error:
            raise ValidationError({"value": [error.localized()]}) from error
    try:
        saved = workflow.save_draft(
            answer, _user(request), value=value, explanation=data["explanation"], seen_version=data["version"]
        )
    except workflow.StaleEditError as stale:
        return Response(
            {"detail": _("Jawaban sudah diubah orang lain; muat ulang dan ulangi."), "version": stale.current.version},
            status=status.HTTP_409_CONFLICT,
        )
    except WorkflowError as error:
        return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
    return Response(AnswerSerializer(scope.answer(request, saved.pk)).data)


def request_report(request: Request, evaluation: Evaluation, data: dict[str, Any]) -> tuple[Report, bool]:
    """The report page's rules: who may ask for which kind, and OPD staff get their own OPD's."""
    member = scope.member(request)
    kinds = allowed_kinds(member)
    if not kinds:
        raise NotFound
    if data["kind"] not in kinds:
        raise PermissionDenied(_("Peran Anda tidak dapat meminta laporan jenis ini."))
    opd = None
    if data["kind"] == ReportKind.OPD:
        if member is not None and member.role == Role.OPD:
            opd = member.opd
        elif data.get("opd"):
            opd = evaluation.instansi.opds.filter(code=data["opd"]).first()
            if opd is None:
                raise ValidationError({"opd": [_("OPD dengan kode ini tidak ada di instansi Anda.")]})
    existing = set(
        Report.objects.filter(evaluation=evaluation, kind=data["kind"], opd=opd).values_list("pk", flat=True)
    )
    try:
        report = report_services.request_report(evaluation, data["kind"], _user(request), opd)
    except rendering.ReportNotAvailable as error:
        raise Conflict(str(error)) from error
    report.refresh_from_db()
    return report, report.pk not in existing
