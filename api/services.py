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
from assessment import access, claims, values
from assessment.forms.answers import DecimalValueField
from assessment.models import Answer, Evaluation
from assessment.services import answers as workflow
from assessment.services.evaluations import WorkflowError
from reports import rendering
from reports import services as report_services
from reports.access import allowed_kinds
from reports.kinds import KINDS, Scope
from reports.models import Report


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _user(request: Request) -> AbstractBaseUser:
    return cast(AbstractBaseUser, request.user)  # IsAuthenticated let only real users this far


def _typed_value(answer: Answer, raw: str | None) -> Decimal | Fraction | None:
    if raw is None:
        return None
    try:  # the answer page's reading of a value (assessment/values.py); "" is not a value here
        return values.read_value(raw.strip() or "?", answer.evaluation.framework)
    except values.ValueRefused as error:
        raise ValidationError({"value": [str(error)]}) from error


def _claim(answer: Answer, data: dict[str, Any]) -> tuple[Decimal | Fraction | None, Decimal | None]:
    """The value and source figure to store, by the answer page's rule (`assessment.values`)."""
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
    value = claim.value if typed is None else typed
    try:  # a value typed in directly would skip the conversion
        values.check_claim(indicator, framework, value, claim.source_value)
    except values.ValueRefused as error:
        raise ValidationError({"value": [str(error)]}) from error
    return value, claim.source_value


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
    """The portal's report request (`reports.services.request_report`) with the API's status codes."""
    member = access.membership(request)
    if member is None or not allowed_kinds(member):
        raise NotFound  # as the report page: roles without reports do not see them
    opd = None
    if data.get("opd") and KINDS[data["kind"]].scope is Scope.OPD:
        opd = evaluation.instansi.opds.filter(code=data["opd"]).first()
        if opd is None:
            raise ValidationError({"opd": [_("OPD dengan kode ini tidak ada di instansi Anda.")]})
    try:
        return report_services.request_report(member, evaluation, data["kind"], opd)
    except report_services.KindRefused as error:
        raise PermissionDenied(_("Peran Anda tidak dapat meminta laporan jenis ini.")) from error
    except rendering.ReportNotAvailable as error:
        raise Conflict(str(error)) from error
