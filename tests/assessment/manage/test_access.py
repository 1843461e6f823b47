"""Only the instansi's own admin reaches the management pages; everyone else gets 404 and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from assessment.models import Evaluation, EvaluationStatus, Framework, Instansi, Membership, Opd, Role
from tests.assessment.manage.conftest import Scene, member_with_role

pytestmark = pytest.mark.django_db

OUTSIDERS = ["neighbour-admin", Role.SEKDA, Role.VERIFIKATOR, Role.OPD, Role.KOORDINATOR]


@pytest.fixture(params=OUTSIDERS)
def outsider(request: pytest.FixtureRequest, instansi: Instansi, neighbour_admin: Membership) -> Membership:
    if request.param == "neighbour-admin":
        return neighbour_admin
    return member_with_role(instansi, request.param)


def id_urls(scene: Scene) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every management URL with an id, and a POST that would change something if it were allowed."""
    answer = scene.answer
    return {
        "opd": (
            reverse("assessment:manage-opd", args=[scene.opd.pk]),
            {"code": "diambil", "short_name": "Diambil", "name": "Diambil alih"},
        ),
        "user": (
            reverse("assessment:manage-user", args=[scene.member.pk]),
            {"first_name": "Diambil", "role": Role.ADMIN},  # is_active left out: deactivates
        ),
        "evaluation": (
            reverse("assessment:manage-evaluation", args=[scene.evaluation.pk]),
            {"deadline": "2030-01-01T00:00", "predicate_basis": "rounded"},
        ),
        "reopen": (
            reverse("assessment:manage-evaluation-reopen", args=[scene.finalised.pk]),
            {"reason": "Saya ingin mengubah nilai"},
        ),
        "assignments": (
            reverse("assessment:manage-assignments", args=[scene.evaluation.pk]),
            {f"lead_{answer.pk}": str(scene.opd.pk), f"initial-lead_{answer.pk}": ""},
        ),
        "defaults": (reverse("assessment:manage-assignments-defaults", args=[scene.evaluation.pk]), {}),
    }


def snapshot(scene: Scene) -> dict[str, object]:
    scene.opd.refresh_from_db()
    scene.member.refresh_from_db()
    scene.member.user.refresh_from_db()
    scene.evaluation.refresh_from_db()
    scene.finalised.refresh_from_db()
    scene.answer.refresh_from_db()
    return {
        "opd": (scene.opd.code, scene.opd.short_name),
        "user": (scene.member.user.first_name, scene.member.user.is_active, scene.member.role),
        "evaluation": (scene.evaluation.deadline, scene.evaluation.predicate_basis),
        "finalised": scene.finalised.status,
        "answer": (scene.answer.lead_opd_id, scene.answer.contributors.count()),
        "history": scene.evaluation.history.count(),
    }


@pytest.mark.parametrize("name", ["opd", "user", "evaluation", "reopen", "assignments", "defaults"])
def test_a_management_url_with_an_id_answers_404_to_anyone_but_its_own_admin(
    client: Client, scene: Scene, outsider: Membership, name: str
) -> None:
    url, data = id_urls(scene)[name]
    before = snapshot(scene)
    client.force_login(outsider.user)

    if name not in {"reopen", "defaults"}:
        assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    assert snapshot(scene) == before


@pytest.mark.parametrize("role", [Role.SEKDA, Role.VERIFIKATOR, Role.OPD, Role.KOORDINATOR])
@pytest.mark.parametrize("name", ["manage", "manage-opds", "manage-users", "manage-user-new", "manage-evaluations"])
def test_the_management_lists_answer_404_to_the_instansis_other_roles(
    client: Client, instansi: Instansi, role: str, name: str
) -> None:
    client.force_login(member_with_role(instansi, role).user)
    assert client.get(reverse(f"assessment:{name}")).status_code == 404


@pytest.mark.parametrize("role", [Role.SEKDA, Role.VERIFIKATOR, Role.OPD])
def test_posts_to_the_lists_by_other_roles_create_nothing(
    client: Client, instansi: Instansi, framework59: Framework, role: str
) -> None:
    client.force_login(member_with_role(instansi, role).user)
    opds, users = Opd.objects.count(), get_user_model().objects.count()
    posts: list[tuple[str, dict[str, Any]]] = [
        ("manage-opds", {"code": "baru", "short_name": "Baru", "name": "OPD Baru"}),
        (
            "manage-user-new",
            {
                "username": "penyusup",
                "first_name": "Penyusup",
                "role": Role.ADMIN,
                "password1": "kata-sandi-yang-panjang-sekali",
                "password2": "kata-sandi-yang-panjang-sekali",
            },
        ),
        ("manage-evaluations", {"year": "2027", "framework": str(framework59.pk), "predicate_basis": "exact"}),
    ]
    for name, data in posts:
        assert client.post(reverse(f"assessment:{name}"), data).status_code == 404
    assert Opd.objects.count() == opds
    assert get_user_model().objects.count() == users
    assert not Evaluation.objects.filter(year=2027).exists()


def test_the_management_pages_send_anonymous_visitors_to_the_login_page(client: Client, scene: Scene) -> None:
    for url, _ in id_urls(scene).values():
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("method", "url_of"),
    [
        ("get", lambda w: reverse("assessment:manage-evaluation-reopen", args=[w.finalised.pk])),
        ("get", lambda w: reverse("assessment:manage-assignments-defaults", args=[w.evaluation.pk])),
        ("post", lambda _w: reverse("assessment:manage")),
        ("post", lambda _w: reverse("assessment:manage-users")),
        ("put", lambda w: reverse("assessment:manage-opd", args=[w.opd.pk])),
        ("delete", lambda w: reverse("assessment:manage-user", args=[w.member.pk])),
        ("patch", lambda w: reverse("assessment:manage-assignments", args=[w.evaluation.pk])),
    ],
)
def test_a_wrong_method_answers_405(
    admin_client: Client, scene: Scene, method: str, url_of: Callable[[Scene], str]
) -> None:
    response = getattr(admin_client, method)(url_of(scene))
    assert response.status_code == 405
    scene.finalised.refresh_from_db()
    assert scene.finalised.status == EvaluationStatus.FINALISED


def test_the_admin_reaches_every_management_page(admin_client: Client, scene: Scene) -> None:
    for name in ["manage", "manage-opds", "manage-users", "manage-user-new", "manage-evaluations"]:
        assert admin_client.get(reverse(f"assessment:{name}")).status_code == 200
    for name in ["opd", "user", "evaluation", "assignments"]:
        url, _ = id_urls(scene)[name]
        assert admin_client.get(url).status_code == 200


@pytest.mark.usefixtures("scene")
def test_an_unknown_id_answers_404_not_500(admin_client: Client) -> None:
    for name in ["manage-opd", "manage-user", "manage-evaluation", "manage-assignments"]:
        assert admin_client.get(reverse(f"assessment:{name}", args=[999_999])).status_code == 404
    assert admin_client.post(reverse("assessment:manage-evaluation-reopen", args=[999_999])).status_code == 404
