"""Every API route (and exchange page) with an id, for every role: own instansi and another.

Same rules as the pages: out of scope is 404, in scope but not allowed 403 or 404, and a
refused write changes nothing. Roles of the same instansi call with a token (the integration
path), roles of the other instansi with a session (the browser path): both go through the
same scoping. The meta-test fails when a route with an id has no row.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from rest_framework.test import APIClient

from api import tokens
from api.models import ApiToken
from tests.api.matrix import API_ROUTES, SHARED, ApiRoute, covered_names
from tests.test_permission_matrix import ROLES, fingerprint, matrix_world, url_names_with_ids
from tests.world import World

pytestmark = pytest.mark.django_db
__all__ = ["matrix_world"]  # the shared world, with evidence, a report and a follow-up


@pytest.fixture
def api_world(matrix_world: World) -> World:
    matrix_world.token = tokens.issue(matrix_world.a.users["opd.bkpsdm"], "Dasbor").token  # type: ignore[attr-defined]
    return matrix_world


def state() -> tuple[object, ...]:
    return (*fingerprint(), ApiToken.objects.filter(revoked_at=None).count())


def call(client: Any, route: ApiRoute, world: World) -> int:
    path = reverse(route.name, args=[route.target(world)])
    if route.method == "get":
        return int(client.get(path).status_code)
    return int(getattr(client, route.method)(path, route.data(world), content_type="application/json").status_code)


def ids(route: ApiRoute) -> str:
    return f"{route.method}-{route.name}"


def test_every_api_route_with_an_id_is_in_the_matrix() -> None:
    ours = {n for n in url_names_with_ids() if n.startswith(("api:", "exchange:"))}
    missing = ours - covered_names()
    assert not missing, f"add these routes to tests/api/matrix.py: {sorted(missing)}"


@pytest.mark.parametrize("route", API_ROUTES, ids=ids)
@pytest.mark.parametrize("role", ROLES)
def test_roles_of_the_same_instansi(api_world: World, route: ApiRoute, role: str) -> None:
    user = api_world.a.users[role]
    if route.name.startswith("exchange:"):
        client: Any = Client()
        client.force_login(user)
    else:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user, 'matrix').key}")
    before = state()
    status = call(client, route, api_world)
    if role in route.allowed:
        assert status in {200, 201, 302}, f"{role} should reach {route.method} {route.name}, got {status}"
    else:
        assert status in {403, 404}, f"{role} must not reach {route.method} {route.name}, got {status}"
        assert state() == before, f"a refused {route.method.upper()} on {route.name} changed data"


@pytest.mark.parametrize("route", API_ROUTES, ids=ids)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_of_another_instansi_gets_404(api_world: World, route: ApiRoute, role: str) -> None:
    client = Client()
    client.force_login(api_world.b.users[role])
    before = state()
    assert call(client, route, api_world) == 404
    assert state() == before


@pytest.mark.parametrize("name", sorted(SHARED))
def test_the_shared_catalog_is_readable_by_every_instansi(api_world: World, name: str) -> None:
    client = Client()
    client.force_login(api_world.b.users["opd.diskominfo"])
    assert client.get(reverse(name, args=[api_world.evaluation.framework_id])).status_code == 200


def test_every_api_route_refuses_an_anonymous_caller_with_401(api_world: World) -> None:
    from django.urls import get_resolver

    resolver = get_resolver()
    names = [n for n in resolver.reverse_dict if isinstance(n, str)]
    assert names  # the walk below goes through the api namespace
    api_patterns = resolver.namespace_dict["api"][1].url_patterns
    checked = 0
    for pattern in api_patterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name == "docs":
            continue  # HTML pages for people: the login page
        args = [api_world.evaluation.pk] if pattern.pattern.converters else []
        path = reverse(f"api:{pattern.name}", args=args)
        for method in ("get", "post"):
            assert getattr(APIClient(), method)(path).status_code in {401, 405}, path
        checked += 1
    assert checked >= 13
