"""The API's and the exchange pages' rows of the permission matrix (tests/test_permission_matrix.py
counts these names as covered; tests/api/test_permission_matrix_api.py runs them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.world import World

ALL_ROLES = frozenset({"opd.bkpsdm", "opd.diskominfo", "verifikator", "sekda", "admin", "koordinator", "asesor"})
READERS = frozenset({"opd.bkpsdm", "verifikator", "sekda", "admin", "koordinator", "asesor"})  # I36, led by BKPSDM
REPORT_USERS = frozenset({"sekda", "admin", "verifikator", "opd.bkpsdm", "opd.diskominfo"})
OPD_REPORT_READERS = frozenset({"sekda", "admin", "verifikator", "opd.bkpsdm"})


@dataclass(frozen=True)
class ApiRoute:
    name: str
    method: str
    target: Callable[[World], int]
    allowed: frozenset[str]
    data: Callable[[World], dict[str, Any]] = lambda _w: {}


def evaluation(w: World) -> int:
    return w.evaluation.pk


API_ROUTES: list[ApiRoute] = [
    ApiRoute("api:evaluation-detail", "get", evaluation, ALL_ROLES),
    ApiRoute("api:evaluation-index", "get", evaluation, ALL_ROLES),
    ApiRoute("api:evaluation-answers", "get", evaluation, ALL_ROLES),
    ApiRoute("api:evaluation-reports", "get", evaluation, REPORT_USERS),
    ApiRoute("api:evaluation-reports", "post", evaluation, REPORT_USERS, lambda _w: {"kind": "opd"}),
    ApiRoute("api:answer-detail", "get", lambda w: w.answer.pk, READERS),
    ApiRoute(
        "api:answer-detail",
        "patch",
        lambda w: w.answer.pk,
        frozenset({"opd.bkpsdm"}),
        lambda w: {"value": "3", "explanation": "FAKTA dan ANALISIS", "version": w.answer.version},
    ),
    ApiRoute("api:report-detail", "get", lambda w: w.opd_report.pk, OPD_REPORT_READERS),  # type: ignore[attr-defined]
    ApiRoute("api:report-file", "get", lambda w: w.opd_report.pk, OPD_REPORT_READERS),  # type: ignore[attr-defined]
    ApiRoute("exchange:import", "get", evaluation, frozenset({"opd.bkpsdm", "opd.diskominfo"})),
    ApiRoute("exchange:import-apply", "post", evaluation, frozenset({"opd.bkpsdm", "opd.diskominfo"})),
    ApiRoute("exchange:import-template", "get", evaluation, frozenset({"opd.bkpsdm", "opd.diskominfo"})),
    ApiRoute("exchange:token-revoke", "post", lambda w: w.token.pk, frozenset({"opd.bkpsdm"})),  # type: ignore[attr-defined]
]

# Routes with an id that are not tenant objects: the framework catalog is shared by every instansi.
SHARED = {
    "api:framework-detail": "the framework catalog is the same for every instansi of the deployment",
    "api:framework-indicators": "the framework catalog is the same for every instansi of the deployment",
}


def covered_names() -> set[str]:
    return {route.name for route in API_ROUTES} | set(SHARED)
