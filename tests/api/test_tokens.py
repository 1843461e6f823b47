"""API tokens: issued once, stored as a digest, revoked at once; the portal page that manages them."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api import tokens
from api.models import ApiToken
from spbe_portal import formatting
from tests.world import World

pytestmark = pytest.mark.django_db
EVALUATIONS = "/api/v1/evaluations/"


def with_key(key: str, scheme: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
    return client


def test_only_a_digest_of_the_key_is_stored(world: World) -> None:
    issued = tokens.issue(world.a.users["sekda"], "Dasbor")
    row = ApiToken.objects.get()
    assert row.digest == hashlib.sha256(issued.key.encode()).hexdigest()
    assert issued.key not in {row.name, row.prefix, row.digest}
    assert issued.key.startswith(row.prefix) and len(issued.key) > 40


@pytest.mark.parametrize("scheme", ["Token", "Bearer"])
def test_a_token_reads_the_api_as_its_user(world: World, scheme: str) -> None:
    key = tokens.issue(world.a.users["sekda"], "Dasbor").key
    response = with_key(key, scheme).get(EVALUATIONS)
    assert response.status_code == 200
    assert [e["instansi"] for e in response.json()["results"]] == ["kabupaten-a"]
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_token_is_refused_with_401(world: World) -> None:
    issued = tokens.issue(world.a.users["sekda"], "Dasbor")
    tokens.revoke(issued.token)
    response = with_key(issued.key).get(EVALUATIONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token spbe_tebakan", "Token bukan-token"])
@pytest.mark.usefixtures("world")
def test_a_malformed_or_unknown_key_is_401(header: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(EVALUATIONS).status_code == 401


def test_a_deactivated_user_s_token_stops_working(world: World) -> None:
    user = world.a.users["sekda"]
    key = tokens.issue(user, "Dasbor").key
    user.is_active = False
    user.save()
    assert with_key(key).get(EVALUATIONS).status_code == 401


@pytest.mark.usefixtures("db")
def test_without_credentials_the_api_answers_401_not_a_login_redirect() -> None:
    assert APIClient().get(EVALUATIONS).status_code == 401


def test_the_page_shows_a_new_key_once_and_lists_only_the_user_s_tokens(client: Client, world: World) -> None:
    tokens.issue(world.a.users["admin"], "Token admin")
    client.force_login(world.a.users["sekda"])
    created = client.post(reverse("exchange:tokens"), {"name": "Dasbor provinsi"})
    assert created.status_code == 201
    key = created.context["issued"].key
    assert key in created.content.decode()
    assert created["Cache-Control"].startswith("max-age=0")
    listing = client.get(reverse("exchange:tokens")).content.decode()
    assert "Dasbor provinsi" in listing and key not in listing and "Token admin" not in listing
    assert with_key(key).get(EVALUATIONS).status_code == 200


def test_the_owner_revokes_a_token_from_the_page(client: Client, world: World) -> None:
    issued = tokens.issue(world.a.users["sekda"], "Dasbor")
    client.force_login(world.a.users["sekda"])
    response = client.post(reverse("exchange:token-revoke", args=[issued.token.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    assert with_key(issued.key).get(EVALUATIONS).status_code == 401


def test_another_user_cannot_revoke_a_token(client: Client, world: World) -> None:
    issued = tokens.issue(world.a.users["sekda"], "Dasbor")
    client.force_login(world.a.users["admin"])
    assert client.post(reverse("exchange:token-revoke", args=[issued.token.pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


@pytest.mark.usefixtures("world")
def test_the_command_prints_a_working_key() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("create_api_token", "sekda.a", "--name", "Demo", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert with_key(key).get(EVALUATIONS).status_code == 200


def test_the_token_page_reads_in_english_too(client: Client, world: World) -> None:
    client.force_login(world.a.users["sekda"])
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("exchange:tokens")).content.decode()
    assert "API tokens" in page and "Create token" in page


def test_the_api_docs_are_served_from_the_portal_s_own_static_files(client: Client, world: World) -> None:
    assert client.get("/api/v1/docs/").status_code == 302  # people log in first
    client.force_login(world.a.users["sekda"])
    html = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower() and "https://" not in html
    script = client.get("/api/v1/docs/?script=").content.decode()
    assert "/api/v1/schema/" in script


def test_a_token_expires_after_90_days_by_default_with_an_indonesian_401(world: World) -> None:
    issued = tokens.issue(world.a.users["sekda"], "Dasbor")
    assert abs(issued.token.expires_at - issued.token.created_at - timedelta(days=90)) < timedelta(seconds=5)
    assert with_key(issued.key).get(EVALUATIONS).status_code == 200
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    used = ApiToken.objects.get().last_used_at
    response = with_key(issued.key).get(EVALUATIONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    detail = response.json()["detail"]
    assert detail.startswith("Token kedaluwarsa sejak ") and " WIB. Buat token baru" in detail
    assert re.search(r"sejak \d{1,2} \w+ \d{4} \d{2}\.\d{2} WIB\.", detail), detail  # the module's WIB time
    assert ApiToken.objects.get().last_used_at == used  # a refused request is not a use


def test_the_expiry_message_follows_the_language_switch(world: World) -> None:
    issued = tokens.issue(world.a.users["sekda"], "Dasbor", days=1)
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    client = with_key(issued.key)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(EVALUATIONS)
    assert response.status_code == 401 and response.json()["detail"].startswith("Token expired on ")
    when = formatting.wib(ApiToken.objects.get().expires_at, language="en")  # "1 December 2026 14:05 WIB"
    assert f"Token expired on {when}. Create a new token" in response.json()["detail"]


def test_the_owner_chooses_the_lifetime_when_creating_a_token(client: Client, world: World) -> None:
    client.force_login(world.a.users["sekda"])
    page = client.get(reverse("exchange:tokens")).content.decode()
    assert '<option value="90" selected>90 hari</option>' in page
    response = client.post(reverse("exchange:tokens"), {"name": "Skrip sementara", "days": "30"})
    assert response.status_code == 201
    token = ApiToken.objects.get()
    assert abs(token.expires_at - token.created_at - timedelta(days=30)) < timedelta(seconds=5)
    refused = client.post(reverse("exchange:tokens"), {"name": "Selamanya", "days": "36500"})
    assert refused.status_code == 200 and ApiToken.objects.count() == 1


def test_the_token_list_shows_expiry_and_expired_state(client: Client, world: World) -> None:
    issued = tokens.issue(world.a.users["sekda"], "Lama", days=30)
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    client.force_login(world.a.users["sekda"])
    page = client.get(reverse("exchange:tokens")).content.decode()
    assert "Berlaku sampai" in page and "Kedaluwarsa" in page
