"""Brute-force lockout (django-axes): keyed on username and client address, with a cool-off.

These tests POST to the real login view, as an attacker would; `client.login()` bypasses axes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
WRONG = "salah-sekali-123"
OFFICE_PROXY = "10.0.0.2"  # nginx, the only REMOTE_ADDR Django sees behind docker-compose


def attempt(client: Client, username: str, password: str = WRONG, **meta: Any) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password}, **meta)


def fail_until_locked(client: Client, username: str, **meta: str) -> Any:
    response = None
    for _ in range(LIMIT):
        response = attempt(client, username, **meta)
    return response


def test_the_limit_is_five_failures_and_the_cool_off_fifteen_minutes() -> None:
    assert LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_failures_below_the_limit_show_the_login_form_again(client: Client) -> None:
    UserFactory(username="sari")
    for _ in range(LIMIT - 1):
        response = attempt(client, "sari")
        assert response.status_code == 200
        assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_the_fifth_failure_locks_the_username_from_that_address_with_an_indonesian_page(client: Client) -> None:
    UserFactory(username="sari")
    response = fail_until_locked(client, "sari", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert "Akun dikunci sementara" in response.content.decode()
    assert "Coba lagi dalam 15\xa0menit" in response.content.decode() and "PT15M" not in response.content.decode()
    # Even the right password is refused while locked.
    response = attempt(client, "sari", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_same_username_from_another_address_can_still_log_in(client: Client) -> None:
    UserFactory(username="sari")
    fail_until_locked(client, "sari", REMOTE_ADDR="198.51.100.7")
    response = attempt(Client(), "sari", PASSWORD, REMOTE_ADDR="198.51.100.8")
    assert response.status_code == 302


def test_another_user_behind_the_same_address_is_not_locked_out(client: Client) -> None:
    UserFactory(username="sari"), UserFactory(username="budi")
    fail_until_locked(client, "sari", REMOTE_ADDR="198.51.100.7")
    colleague = Client()
    assert attempt(colleague, "budi", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client: Client) -> None:
    UserFactory(username="sari")
    fail_until_locked(client, "sari", REMOTE_ADDR="198.51.100.7")
    assert attempt(client, "sari", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429
    # Move the failures back in time rather than sleeping 15 minutes.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert attempt(client, "sari", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_a_successful_login_resets_the_count(client: Client) -> None:
    UserFactory(username="sari")
    for _ in range(LIMIT - 1):
        attempt(client, "sari", REMOTE_ADDR="198.51.100.7")
    assert attempt(client, "sari", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        assert attempt(client, "sari", REMOTE_ADDR="198.51.100.7").status_code == 200


class TestBehindTheOfficeProxy:
    """With TRUSTED_PROXY_COUNT=1 every request arrives from nginx; the client is in X-Forwarded-For."""

    @pytest.fixture(autouse=True)
    def _one_proxy(self, settings: Any) -> None:
        settings.TRUSTED_PROXY_COUNT = 1

    def test_an_attacker_locks_only_their_own_address_not_the_office(self, client: Client) -> None:
        UserFactory(username="sari")
        fail_until_locked(client, "sari", REMOTE_ADDR=OFFICE_PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
        assert AccessAttempt.objects.get().ip_address == "203.0.113.66"
        # Sari herself, at her desk in the office, still gets in through the same proxy.
        response = attempt(Client(), "sari", PASSWORD, REMOTE_ADDR=OFFICE_PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10")
        assert response.status_code == 302

    def test_a_colleague_in_the_same_office_is_not_locked_out(self, client: Client) -> None:
        UserFactory(username="sari"), UserFactory(username="budi")
        fail_until_locked(client, "sari", REMOTE_ADDR=OFFICE_PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10")
        response = attempt(Client(), "budi", PASSWORD, REMOTE_ADDR=OFFICE_PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10")
        assert response.status_code == 302

    def test_addresses_the_client_prepends_are_ignored(self, client: Client) -> None:
        UserFactory(username="sari")
        for n in range(LIMIT):
            # nginx appends the real address; the attacker varies what comes before it.
            forwarded = f"192.0.2.{n}, 203.0.113.66"
            response = attempt(client, "sari", REMOTE_ADDR=OFFICE_PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        assert response.status_code == 429

    def test_a_request_that_bypassed_the_proxy_is_keyed_on_its_own_address(self, client: Client) -> None:
        UserFactory(username="sari")
        fail_until_locked(client, "sari", REMOTE_ADDR="198.51.100.7")
        assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_without_a_proxy_a_spoofed_forwarded_for_is_not_trusted(client: Client, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="sari")
    for n in range(LIMIT):
        response = attempt(client, "sari", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_a_garbage_forwarded_for_falls_back_to_the_connection_address(client: Client, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="sari")
    attempt(client, "sari", REMOTE_ADDR=OFFICE_PROXY, HTTP_X_FORWARDED_FOR="<script>")
    assert AccessAttempt.objects.get().ip_address == OFFICE_PROXY
