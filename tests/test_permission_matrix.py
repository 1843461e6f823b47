"""Every URL that takes an id, for every role: own OPD, another OPD, another instansi.

Out of scope is 404 (no existence oracle); in scope but not allowed is 403 or 404; a refused
POST changes nothing. `test_every_url_with_an_id_is_in_the_matrix` fails when a new URL with an
id is added without a row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from assessment.models import (
    Answer,
    AnswerEvidence,
    AssessorAssignment,
    Evaluation,
    Evidence,
    EvidenceVersion,
    Membership,
    Review,
    Role,
)
from assessment.services import evidence as evidence_service
from assessment.uploads import check_upload
from reports.models import Report, ReportStatus
from scoring.models import FollowUp, Scenario
from sso.models import SsoIdentity
from tests.api.matrix import covered_names as api_matrix_names  # the API's rows: tests/api/
from tests.assessment.evidence.corpus import pdf
from tests.factories import MembershipFactory, UserFactory
from tests.world import World

pytestmark = pytest.mark.django_db

OK, DENIED = "ok", "denied"
ROLES = ["opd.bkpsdm", "opd.diskominfo", "verifikator", "sekda", "admin", "koordinator", "asesor"]
# The external assessor of each side is assigned to that side's evaluation, in force today
# (`matrix_world`); their home instansi grants them nothing.


@dataclass(frozen=True)
class Route:
    method: str
    target: Callable[[World], int]  # the id, always an object of instansi a
    allowed: frozenset[str]  # roles of instansi a that may use it; everyone else is refused
    data: Callable[[World], dict[str, Any]] = lambda _w: {}
    extra: tuple[str, ...] = ()  # further URL arguments after the id


READERS = frozenset({"opd.bkpsdm", "verifikator", "sekda", "admin", "koordinator", "asesor"})
EVALUATION_READERS = frozenset({"verifikator", "sekda", "admin", "koordinator", "opd.bkpsdm", "opd.diskominfo"})
REPORT_USERS = frozenset({"sekda", "admin", "verifikator", "opd.bkpsdm", "opd.diskominfo"})
OPD_REPORT_READERS = frozenset({"sekda", "admin", "verifikator", "opd.bkpsdm"})  # the BKPSDM progress report


def answer(w: World) -> int:
    return w.answer.pk


MATRIX: dict[str, Route] = {
    "assessment:answer": Route(
        "get", answer, frozenset({"opd.bkpsdm", "verifikator", "sekda", "admin", "koordinator", "asesor"})
    ),
    "assessment:answer-save": Route(
        "post", answer, frozenset({"opd.bkpsdm"}), lambda _w: {"value": "3", "explanation": "x", "version": 0}
    ),
    "assessment:answer-withdraw": Route(
        "post", answer, frozenset({"opd.bkpsdm"}), lambda _w: {"reason": "salah pilih tingkat", "version": 0}
    ),
    "assessment:review": Route("get", answer, frozenset({"verifikator", "admin"})),
    # A 59/2020 answer has no items: an allowed role is told so (302), nothing changes.
    "assessment:answer-item-files": Route(
        "post",
        answer,
        frozenset({"opd.bkpsdm"}),
        lambda w: {"action": "attach", "code": "I1-L1-01", "evidence": w.spare_evidence.pk},  # type: ignore[attr-defined]
    ),
    # A 59/2020 answer cites no published index: an allowed role is told so (302), nothing changes.
    "assessment:answer-index-figure": Route(
        "post", answer, frozenset({"opd.bkpsdm"}), lambda _w: {"figure": "2,75", "measured_on": "2026-03-01"}
    ),
    "assessment:answer-item-verdict": Route(
        "post", answer, frozenset({"verifikator", "admin"}), lambda _w: {"code": "I1-L1-01", "verdict": "diterima"}
    ),
    "assessment:evidence-decision": Route(
        "post",
        lambda w: w.evidence_link.pk,  # type: ignore[attr-defined]
        frozenset({"verifikator", "admin"}),
        lambda w: {f"e{w.evidence_link.pk}-status": "approved"},  # type: ignore[attr-defined]
    ),
    "assessment:finalise": Route("post", lambda w: w.evaluation.pk, frozenset({"sekda"})),
    "assessment:manage-opd": Route(
        "post",
        lambda w: w.a.bkpsdm.pk,
        frozenset({"admin"}),
        lambda _w: {"code": "bkpsdm", "short_name": "BKD", "name": "Badan Kepegawaian Daerah"},
    ),
    "assessment:manage-user": Route(
        "get", lambda w: Membership.objects.get(user=w.a.users["opd.bkpsdm"]).pk, frozenset({"admin"})
    ),
    "assessment:manage-evaluation": Route("get", lambda w: w.evaluation.pk, frozenset({"admin"})),
    "assessment:manage-evaluation-reopen": Route(
        "post", lambda w: w.evaluation.pk, frozenset({"admin"}), lambda _w: {"reason": "Salah input"}
    ),
    "assessment:manage-assignments": Route("get", lambda w: w.evaluation.pk, frozenset({"admin"})),
    "assessment:manage-assignments-defaults": Route("post", lambda w: w.evaluation.pk, frozenset({"admin"})),
    "assessment:evidence-detail": Route("get", lambda w: w.file_evidence.pk, READERS),  # type: ignore[attr-defined]
    "assessment:evidence-download": Route("get", lambda w: w.file_version.pk, READERS),  # type: ignore[attr-defined]
    "assessment:evidence-preview": Route("get", lambda w: w.file_version.pk, READERS),  # type: ignore[attr-defined]
    "assessment:evidence-new-version": Route(
        "post",
        lambda w: w.file_evidence.pk,  # type: ignore[attr-defined]
        frozenset({"opd.bkpsdm", "verifikator", "admin"}),
        lambda _w: {"file": SimpleUploadedFile("revisi.pdf", pdf(), "application/pdf")},
    ),
    "assessment:evidence-attach": Route(
        "post",
        answer,
        frozenset({"opd.bkpsdm"}),
        lambda w: {"evidence": w.spare_evidence.pk},  # type: ignore[attr-defined]
    ),
    "assessment:evidence-detach": Route("post", lambda w: w.file_link.pk, frozenset({"opd.bkpsdm"})),  # type: ignore[attr-defined]
    "assessment:evidence-carry-over": Route("post", lambda w: w.evaluation.pk, frozenset({"admin", "verifikator"})),
    "assessment:stage-record": Route(
        "post",
        lambda w: w.evaluation.pk,
        frozenset({"admin", "verifikator", "asesor"}),
        lambda w: {f"v{w.answer.pk}": "2"},
        extra=("dokumen",),
    ),
    "assessment:stage-item-record": Route(
        "post", answer, frozenset({"admin", "verifikator", "asesor"}), lambda _w: {}, extra=("interviu",)
    ),
    "reports:evaluation": Route("get", lambda w: w.evaluation.pk, REPORT_USERS),
    "reports:request": Route("post", lambda w: w.evaluation.pk, REPORT_USERS, lambda _w: {"kind": "opd"}),
    "reports:status": Route("get", lambda w: w.opd_report.pk, OPD_REPORT_READERS),  # type: ignore[attr-defined]
    "reports:download": Route("get", lambda w: w.opd_report.pk, OPD_REPORT_READERS),  # type: ignore[attr-defined]
    "scoring:simulator": Route("get", lambda w: w.evaluation.pk, EVALUATION_READERS),
    "scoring:scenario-save": Route(
        "post",
        lambda w: w.evaluation.pk,
        frozenset({"verifikator", "sekda", "admin"}),
        lambda _w: {"name": "Skenario uji"},
    ),
    "scoring:plan": Route("get", lambda w: w.evaluation.pk, EVALUATION_READERS),
    "scoring:plan-followups": Route(
        "post", lambda w: w.evaluation.pk, frozenset({"verifikator", "sekda", "admin"}), lambda _w: {"steps": ["36"]}
    ),
    "scoring:followup": Route(
        "post",
        lambda w: w.followup.pk,  # type: ignore[attr-defined]
        frozenset({"verifikator", "sekda", "admin", "opd.bkpsdm"}),
        lambda _w: {"status": "done"},
    ),
    "scoring:evaluation": Route(
        "get",
        lambda w: w.evaluation.pk,
        frozenset({"verifikator", "sekda", "admin", "koordinator", "opd.bkpsdm", "opd.diskominfo", "asesor"}),
    ),
    # Only a provincial coordinator of the evaluation's instansi (none on either side here; the
    # allowed path is in tests/assessment/assessors/).
    "assessment:assessor-assignment-end": Route(
        "post", lambda w: AssessorAssignment.objects.get(assessor=w.a.users["asesor"]).pk, frozenset()
    ),
    "twofactor:reset": Route(
        "post", lambda w: Membership.objects.get(user=w.a.users["verifikator"]).pk, frozenset({"admin"})
    ),
    "sso:nip": Route(
        "post",
        lambda w: Membership.objects.get(user=w.a.users["verifikator"]).pk,
        frozenset({"admin"}),
        lambda _w: {"nip": "198001012006041001"},
    ),
    "sso:unlink": Route("post", lambda w: Membership.objects.get(user=w.a.users["sekda"]).pk, frozenset({"admin"})),
    # Unpublished figures: the instansi's own people (and a coordinator of it); published ones: every
    # member. An assessor sees only their assigned evaluations' pages.
    "scoring:trend": Route("get", lambda w: w.a.instansi.pk, frozenset(ROLES) - {"asesor"}),
}


# URL arguments that never name an object: DRF's format suffix (".json").
NOT_IDS = {"format"}


def url_names_with_ids(patterns: list[URLPattern | URLResolver] | None = None) -> set[str]:
    """Every route that takes an argument, named "namespace:name" (or "<unnamed …>" when it has no name).

    Generic on purpose: path() and re_path() alike (a DRF router's `(?P<pk>[^/.]+)` has no
    converters, only a named group), and an argument in an include()'s prefix counts for every
    route below it, so a new app or API version cannot slip past.
    """
    found: set[str] = set()

    def arguments(pattern: URLPattern | URLResolver) -> set[str]:
        regex = pattern.pattern.regex
        return (set(regex.groupindex) or ({"?"} if regex.groups else set())) - NOT_IDS

    def walk(patterns: list[URLPattern | URLResolver], namespace: str, inherited: bool) -> None:
        for pattern in patterns:
            takes_id = inherited or bool(arguments(pattern))
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin" and not namespace:
                    continue  # Django's admin: superusers only (NOT_TENANT_OBJECTS)
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, takes_id)
            elif takes_id:
                found.add(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>")

    walk(get_resolver().url_patterns if patterns is None else patterns, "", False)
    return found


# URLs with a parameter that is not a tenant object, and why.
NOT_TENANT_OBJECTS = {
    "password_reset_confirm": "Django's signed password-reset link; the token itself is the credential",
    "admin:*": "Django's admin site, for superusers only (the operator), not a tenant-facing page",
    "sso:start": "the key of an OpenID Provider from settings, before login (tests/sso/test_pages.py)",
    "sso:callback": "the provider's key; the one-use state in the session is the credential (tests/sso/)",
}


def test_every_url_with_an_id_is_in_the_matrix() -> None:
    missing = url_names_with_ids() - set(MATRIX) - set(NOT_TENANT_OBJECTS) - api_matrix_names()
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"


def test_the_walk_finds_ids_in_regex_routes_api_routers_and_include_prefixes() -> None:
    from django.http import HttpResponse
    from django.urls import include, path, re_path

    def view() -> HttpResponse:
        return HttpResponse()

    api = [
        re_path(r"^answers/(?P<pk>[^/.]+)/$", view, name="answer-detail"),
        re_path(r"^answers/(?P<pk>[^/.]+)\.(?P<format>[a-z0-9]+)/?$", view, name="answer-detail"),
        re_path(r"^answers/$", view, name="answer-list"),
        re_path(r"^answers\.(?P<format>[a-z0-9]+)/?$", view, name="answer-list"),
    ]
    nested = [path("", view, name="overview"), path("x/", view)]
    patterns: list[URLPattern | URLResolver] = [
        path("api/v1/", include((api, "api"), namespace="api")),
        path("evaluasi/<int:pk>/", include((nested, "nested"), namespace="nested")),
        re_path(r"^raw/(\d+)/$", view),
        path("plain/", view, name="plain"),
    ]
    assert url_names_with_ids(patterns) == {
        "api:answer-detail",
        "nested:overview",
        "<unnamed x/>",
        "<unnamed ^raw/(\\d+)/$>",
    }


def fingerprint() -> tuple[object, ...]:
    return (
        Answer.objects.aggregate(v=Sum("version"))["v"],
        Review.objects.count(),
        AnswerEvidence.objects.filter(status="pending").count(),
        Evidence.objects.count(),
        EvidenceVersion.objects.count(),
        Membership.objects.count(),
        Report.objects.count(),
        Scenario.objects.count(),
        list(SsoIdentity.objects.values_list("user_id", "nip").order_by("pk")),
        list(FollowUp.objects.values_list("status", flat=True).order_by("pk")),
        list(Answer.objects.values_list("status", flat=True).order_by("pk")[:50]),
    )


def add_assessors(world: World) -> None:
    """An assessor per side (home instansi: that side), assigned to that side's evaluation."""
    for side in (world.a, world.b):
        user = MembershipFactory(
            user=UserFactory(username=f"asesor.{side.instansi.slug}"), instansi=side.instansi, role=Role.ASESOR
        ).user
        AssessorAssignment.objects.create(
            assessor=user, evaluation=Evaluation.objects.get(instansi=side.instansi),
            starts_on=timezone.localdate() - timedelta(days=1), ends_on=timezone.localdate() + timedelta(days=30),
        )  # fmt: skip
        side.users["asesor"] = user


@pytest.fixture
def matrix_world(world: World) -> World:
    from assessment.models import EvidenceKind

    add_assessors(world)
    evidence = Evidence.objects.create(instansi=world.a.instansi, opd=world.a.bkpsdm, kind=EvidenceKind.LINK,
                                       title="Aplikasi SIMPEG", url="https://simpeg.example.go.id")  # fmt: skip
    world.evidence_link = AnswerEvidence.objects.create(answer=world.answer, evidence=evidence)  # type: ignore[attr-defined]
    staff = world.a.users["opd.bkpsdm"]
    upload = check_upload(SimpleUploadedFile("sk-bupati.pdf", pdf(), "application/pdf"))
    world.file_evidence = evidence_service.add_file(  # type: ignore[attr-defined]
        instansi=world.a.instansi, opd=world.a.bkpsdm, user=staff, title="SK Bupati", document_date=None,
        upload=upload, answer=world.answer,
    )  # fmt: skip
    world.file_version = world.file_evidence.versions.get()  # type: ignore[attr-defined]
    world.file_link = AnswerEvidence.objects.get(evidence=world.file_evidence)  # type: ignore[attr-defined]
    world.spare_evidence = Evidence.objects.create(  # type: ignore[attr-defined]
        instansi=world.a.instansi, opd=world.a.bkpsdm, kind=EvidenceKind.LINK, title="Portal layanan",
        url="https://layanan.example.go.id",
    )  # fmt: skip
    world.followup = FollowUp.objects.create(  # type: ignore[attr-defined]
        instansi=world.a.instansi,
        evaluation=world.evaluation,
        indicator=world.answer.indicator,
        title="Tindak lanjut uji",
        owner_opd=world.a.bkpsdm,
    )
    world.opd_report = Report.objects.create(  # type: ignore[attr-defined]
        evaluation=world.evaluation,
        kind="opd",
        opd=world.a.bkpsdm,
        fingerprint="f",
        status=ReportStatus.DONE,
        content_type="application/pdf",
    )
    world.opd_report.file.save("laporan.pdf", ContentFile(b"%PDF-1.4 contoh"))  # type: ignore[attr-defined]
    # Something for sso:unlink to remove: the Sekda's NIP, on both sides.
    SsoIdentity.objects.create(user=world.a.users["sekda"], nip="197001012000011001")
    SsoIdentity.objects.create(user=world.b.users["sekda"], nip="197001012000011002")
    return world


def call(client: Client, route: Route, world: World, name: str) -> int:
    from django.urls import reverse

    path = reverse(name, args=[route.target(world), *route.extra])
    response = getattr(client, route.method)(path, route.data(world))
    return int(response.status_code)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_roles_of_the_same_instansi(client: Client, matrix_world: World, name: str, role: str) -> None:
    route = MATRIX[name]
    client.force_login(matrix_world.a.users[role])
    before = fingerprint()
    status = call(client, route, matrix_world, name)
    if role in route.allowed:
        assert status in {200, 286, 302, 409}, f"{role} should reach {name}, got {status}"
    else:
        assert status in {403, 404}, f"{role} must not reach {name}, got {status}"
        assert fingerprint() == before, f"a refused {route.method.upper()} on {name} changed data"


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_every_role_of_another_instansi_gets_404(client: Client, matrix_world: World, name: str, role: str) -> None:
    route = MATRIX[name]
    client.force_login(matrix_world.b.users[role])
    before = fingerprint()
    assert call(client, route, matrix_world, name) == 404
    assert fingerprint() == before
