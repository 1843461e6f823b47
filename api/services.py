"""API writes, each through the portal's own use case (never around the workflow rules)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers import AnswerSerializer
from api.views import answer_detail
from assessment import access, claims
from assessment.capabilities import Capabilities
from assessment.forms.answers import DecimalValueField
from assessment.models import Answer, Evaluation
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


def _typed_value(answer: Answer, raw: str | None) -> Decimal | Fraction | None:
    if raw is None:
        return None
    try:
        return parse_value(raw.strip(), engine_framework(answer.evaluation.framework))
    except VectorError as error:
        raise ValidationError({"value": [error.localized()]}) from error


def _claim(answer: Answer, data: dict[str, Any]) -> tuple[Decimal | Fraction | None, Decimal | None]:
    """The value and source figure to store, by the answer page's rule (`assessment.claims`)."""
    indicator, framework = answer.indicator, answer.evaluation.framework
    raw_source, missing = data.get("source_value"), bool(data.get("source_missing"))
    if not claims.is_fed(indicator):
        if raw_source not in (None, "") or missing:
            raise ValidationError({"source_value": [_("Indikator ini tidak diisi dari angka instansi lain.")]})
        return _typed_value(answer, data["value"]), None
    low, high = claims.source_range(indicator)
    field = DecimalValueField(low=low, high=high, places=framework.value_places, required=False)
    try:
        source = field.clean(raw_source)  # the answer form's own field: same bounds, steps, messages
        claim = claims.fed_claim(indicator, framework, source, missing)
    except DjangoValidationError as error:
        raise ValidationError({"source_value": error.messages}) from error
    except claims.ClaimError as error:
        raise ValidationError({"source_value": [str(error)]}) from error
    typed = _typed_value(answer, data["value"])
    if typed is not None and typed != claim.value:  # a value typed in directly would skip the conversion
        feed = indicator.extra["external"].get("short_name", "")
        message = _("Nilai indikator ini dikonversi dari %(feed)s: kirim source_value atau source_missing.")
        raise ValidationError({"value": [message % {"feed": feed}]})
    return claim.value, claim.source_value


def save_draft(request: Request, answer: Answer, data: dict[str, Any]) -> Response:
    """`assessment.services.answers.save_draft` with the API's status codes (409 locked or stale).

    The value and its source figure come from the answer page's rule, so an API save stores
    what the page stores (an externally fed value keeps its source figure).
    """
    value, source_value = _claim(answer, data)
    try:
        saved = workflow.save_draft(
            answer, _user(request), value=value, explanation=data["explanation"], seen_version=data["version"],
            source_value=source_value,
        )  # fmt: skip
    except workflow.StaleEditError as stale:
        return Response(
            {"detail": _("Jawaban sudah diubah orang lain; muat ulang dan ulangi."), "version": stale.current.version},
            status=status.HTTP_409_CONFLICT,
        )
    except WorkflowError as error:
        return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
    return Response(AnswerSerializer(answer_detail(access.membership(request), saved.pk)).data)


def request_report(request: Request, evaluation: Evaluation, data: dict[str, Any]) -> tuple[Report, bool]:
    """The report page's rules: who may ask for which kind, and OPD staff get their own OPD's."""
    member = access.membership(request)
    kinds = allowed_kinds(member)
    if not kinds:
        raise NotFound
    if data["kind"] not in kinds:
        raise PermissionDenied(_("Peran Anda tidak dapat meminta laporan jenis ini."))
    opd = None
    if data["kind"] == ReportKind.OPD:
        if member is not None and not Capabilities.of(member).read_all_reports:  # OPD staff: own OPD
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
