"""External assessors: what they read and record, the 404s outside their assignment, the end date."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api import tokens
from assessment.access import ASSESSOR_ROUTES
from assessment.models import AssessorAssignment, Evaluation, Role, Stage, StageValue
from assessment.services import assessors
from assessment.services.evaluations import WorkflowError
from tests.factories import MembershipFactory, UserFactory
from tests.world import World

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def make_assessor(world: World, username: str = "asesor.unair") -> User:
    # Home instansi a, on purpose: it must grant nothing.
    user: User = MembershipFactory(
        user=UserFactory(username=username), instansi=world.a.instansi, role=Role.ASESOR
    ).user
    return user


def assign(assessor: User, evaluation: Evaluation, days: int = 10) -> AssessorAssignment:
    superuser = UserFactory(username="operator", is_superuser=True, is_staff=True)
    today = timezone.localdate()
    return assessors.assign(superuser, assessor, evaluation, today - timedelta(days=1), today + timedelta(days=days))


def evaluation_b(world: World) -> Evaluation:
    return Evaluation.objects.get(instansi=world.b.instansi)


def test_the_assessor_records_an_interview_value_under_their_own_name(client: Client, world: World) -> None:
    assessor = make_assessor(world)
    assign(assessor, world.evaluation)
    client.force_login(assessor)
    url = reverse("assessment:stage-record", args=[world.evaluation.pk, Stage.INTERVIU])
    assert client.get(url).status_code == 200
    response = client.post(url, {f"v{world.answer.pk}": "4", f"n{world.answer.pk}": "Wawancara kepala BKPSDM"})
    assert response.status_code == 302
    row = StageValue.objects.get(answer=world.answer, stage=Stage.INTERVIU)
    assert (row.value, row.note, row.recorded_by_id) == (Decimal(4), "Wawancara kepala BKPSDM", assessor.pk)
    assert row.history.latest().history_user_id == assessor.pk  # the audit trail names the assessor
    # ... and reads the evaluation: its index per stage, the answers, the evidence list.
    assert client.get(reverse("scoring:evaluation", args=[world.evaluation.pk])).status_code == 200
    assert client.get(reverse("assessment:answer", args=[world.answer.pk])).status_code == 200


def test_the_assessor_changes_nothing_else(client: Client, world: World) -> None:
    assessor = make_assessor(world)
    assign(assessor, world.evaluation)
    client.force_login(assessor)
    version = world.answer.version
    save = client.post(reverse("assessment:answer-save", args=[world.answer.pk]),
                       {"value": "5", "explanation": "x", "version": version})  # fmt: skip
    assert save.status_code == 404
    assert client.post(reverse("assessment:finalise", args=[world.evaluation.pk])).status_code == 404
    mandiri = reverse("assessment:stage-record", args=[world.evaluation.pk, Stage.MANDIRI])
    assert client.post(mandiri, {f"v{world.answer.pk}": "5"}).status_code == 404
    world.answer.refresh_from_db()
    assert world.answer.version == version
    assert not StageValue.objects.filter(answer=world.answer).exists()


def test_an_instansi_not_assigned_answers_404_even_the_assessor_s_home(client: Client, world: World) -> None:
    assessor = make_assessor(world)  # home: instansi a
    assign(assessor, evaluation_b(world))
    client.force_login(assessor)
    for url in (
        reverse("assessment:stage-record", args=[world.evaluation.pk, Stage.INTERVIU]),
        reverse("scoring:evaluation", args=[world.evaluation.pk]),
        reverse("assessment:answer", args=[world.answer.pk]),
        reverse("scoring:trend", args=[world.a.instansi.pk]),
    ):
        assert client.get(url).status_code == 404, url
    refused = client.post(reverse("assessment:stage-record", args=[world.evaluation.pk, Stage.INTERVIU]),
                          {f"v{world.answer.pk}": "4"})  # fmt: skip
    assert refused.status_code == 404 and not StageValue.objects.exists()
    page = client.get(reverse("assessment:assessor-home")).content.decode()
    assert "Kabupaten B" in page and "Kabupaten A" not in page


def _urls_without_ids(patterns: list[URLPattern | URLResolver], namespace: str = "") -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or pattern.pattern.regex.groups:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _urls_without_ids(pattern.url_patterns, inner)
        elif pattern.name and not pattern.pattern.regex.groups:
            names.append(f"{namespace}{pattern.name}")
    return sorted(set(names))


def test_every_page_not_listed_for_assessors_answers_them_404(client: Client, world: World) -> None:
    """The URLs with ids are in tests/test_permission_matrix.py; these are the rest."""
    assessor = make_assessor(world)
    assign(assessor, world.evaluation)
    client.force_login(assessor)
    checked = 0
    for name in _urls_without_ids(get_resolver().url_patterns):
        if name in ASSESSOR_ROUTES or name in {"healthz", "home"}:
            continue
        for method in ("get", "post"):
            status = getattr(client, method)(reverse(name)).status_code
            assert status == 404, f"{method.upper()} {name}: {status}"
        checked += 1
    assert checked >= 20
    assert client.get(reverse("home")).url == reverse("assessment:assessor-home")  # type: ignore[attr-defined]


def test_the_day_after_the_end_date_everything_is_404_and_the_token_stops(client: Client, world: World) -> None:
    assessor = make_assessor(world)
    row = assign(assessor, world.evaluation, days=3)
    key = tokens.issue(assessor, "Rekap asesor").key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    pages = [
        reverse("assessment:assessor-home"),
        reverse("assessment:stage-record", args=[world.evaluation.pk, Stage.INTERVIU]),
        reverse("scoring:evaluation", args=[world.evaluation.pk]),
        reverse("assessment:answer", args=[world.answer.pk]),
    ]
    last_day = datetime.combine(row.ends_on, time(23, 59), tzinfo=WIB)
    with time_machine.travel(last_day, tick=False):
        client.force_login(assessor)  # a session opened on the last day
        assert [client.get(url).status_code for url in pages] == [200] * len(pages)
        assert api.get(f"/api/v1/evaluations/{world.evaluation.pk}/").status_code == 200
    with time_machine.travel(last_day + timedelta(minutes=2), tick=False):  # 00:01 WIB the next day
        for url in pages:
            assert client.get(url).status_code == 404, url
        post = client.post(pages[1], {f"v{world.answer.pk}": "4"})
        assert post.status_code == 404 and not StageValue.objects.exists()
        response = api.get(f"/api/v1/evaluations/{world.evaluation.pk}/")
        assert response.status_code == 401
        assert response.json()["detail"] == "Masa penugasan asesor untuk akun ini sudah berakhir."


def test_a_coordinator_assigns_only_to_the_kabupaten_it_coordinates(world: World) -> None:
    province = world.b.instansi  # b's coordinator account coordinates a in this test
    world.a.instansi.coordinator = province
    world.a.instansi.save(update_fields=["coordinator"])
    coordinator = world.b.users["koordinator"]
    assessor = make_assessor(world)
    today = timezone.localdate()
    row = assessors.assign(coordinator, assessor, world.evaluation, today, today + timedelta(days=5))
    assert row.assigned_by_id == coordinator.pk
    assert row.history.latest().history_user_id == coordinator.pk
    with pytest.raises(WorkflowError):
        assessors.assign(coordinator, assessor, evaluation_b(world), today, today)  # not coordinated by b
    with pytest.raises(WorkflowError):
        assessors.assign(world.a.users["admin"], assessor, world.evaluation, today, today)  # an admin may not
    with pytest.raises(WorkflowError):  # only assessor accounts can be assigned
        assessors.assign(coordinator, world.a.users["sekda"], world.evaluation, today, today)


def test_ending_an_assignment_closes_access_at_once(client: Client, world: World) -> None:
    assessor = make_assessor(world)
    row = assign(assessor, world.evaluation)
    client.force_login(assessor)
    assert client.get(reverse("assessment:assessor-home")).status_code == 200
    assessors.end_now(UserFactory(username="root", is_superuser=True), row)
    assert client.get(reverse("assessment:assessor-home")).status_code == 404


def test_the_coordinator_page_assigns_and_ends_for_its_kabupaten_only(client: Client, world: World) -> None:
    world.a.instansi.coordinator = world.b.instansi  # b's coordinator account coordinates kabupaten a
    world.a.instansi.save(update_fields=["coordinator"])
    assessor = make_assessor(world)
    client.force_login(world.b.users["koordinator"])
    page = client.get(reverse("assessment:assessor-assignments")).content.decode()
    assert "Kabupaten A 2026" in page and "Kabupaten B 2026" not in page  # only what it coordinates
    today = timezone.localdate()
    data = {"assessor": "asesor.unair", "evaluation": world.evaluation.pk,
            "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=14)).isoformat()}  # fmt: skip
    assert client.post(reverse("assessment:assessor-assignments"), data).status_code == 302
    row = AssessorAssignment.objects.get(assessor=assessor)
    assert row.assigned_by_id == world.b.users["koordinator"].pk and row.ends_on == today + timedelta(days=14)
    refused = client.post(reverse("assessment:assessor-assignments"), {**data, "evaluation": evaluation_b(world).pk})
    assert refused.status_code == 200 and AssessorAssignment.objects.count() == 1
    not_assessor = client.post(reverse("assessment:assessor-assignments"), {**data, "assessor": "sekda.a"})
    assert "Tidak ada akun asesor aktif" in not_assessor.content.decode()
    client.post(reverse("assessment:assessor-assignment-end", args=[row.pk]))
    row.refresh_from_db()
    assert row.ends_on < today
    other = Client()
    other.force_login(world.a.users["koordinator"])  # coordinates nothing
    assert other.post(reverse("assessment:assessor-assignment-end", args=[row.pk])).status_code == 404


def test_an_instansi_admin_cannot_make_an_account_an_assessor(client: Client, world: World) -> None:
    client.force_login(world.a.users["admin"])
    response = client.post(reverse("assessment:manage-user-new"), {
        "username": "calon.asesor", "first_name": "Calon", "last_name": "Asesor", "email": "c@example.go.id",
        "role": "asesor", "password1": "kata-sandi-Panjang-2026", "password2": "kata-sandi-Panjang-2026",
    })  # fmt: skip
    assert response.status_code == 200
    assert not AssessorAssignment.objects.exists()
    assert not get_user_model().objects.filter(username="calon.asesor").exists()
