"""Sessions rotate at login, end at logout and at deactivation; passwords follow NIST 800-63B."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from tests.portal.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def log_in(client: Client, username: str = "sari") -> None:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def test_the_session_key_changes_at_login(client: Client) -> None:
    UserFactory(username="sari")
    client.get("/accounts/login/")
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key
    log_in(client)
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_ends_the_session_on_the_server(client: Client) -> None:
    UserFactory(username="sari")
    log_in(client)
    stolen = client.cookies["sessionid"].value
    assert client.post("/accounts/logout/").status_code in {200, 302}
    assert not Session.objects.filter(session_key=stolen).exists()
    # Replaying the old cookie does not bring the session back.
    thief = Client()
    thief.cookies["sessionid"] = stolen
    response = thief.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_user_deactivated_anywhere_is_anonymous_on_the_next_request(client: Client) -> None:
    """The admin pages delete the sessions (tests/assessment/manage); the Django admin or a shell
    only clear the flag, and the authentication backend then refuses the stored session."""
    user = UserFactory(username="sari")
    log_in(client)
    assert client.get("/").status_code == 200
    user.is_active = False
    user.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_deactivated_user_cannot_log_in(client: Client) -> None:
    UserFactory(username="sari", is_active=False)
    response = client.post("/accounts/login/", {"username": "sari", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_cookies_are_secure_httponly_and_samesite_in_production() -> None:
    probe = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_SAMESITE, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME,"
        " s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_AGE]))"
    )
    run = manage("shell", "--no-imports", "-c", probe, **PRODUCTION)
    assert run.returncode == 0, run.stderr
    secure, httponly, samesite, csrf_secure, csrf_samesite, name, csrf_name, hsts, age = json.loads(run.stdout)
    assert secure and httponly and csrf_secure
    assert samesite == csrf_samesite == "Lax"
    # The __Host- prefix: the browser refuses the cookie unless Secure, path / and no Domain.
    assert name == "__Host-sessionid" and csrf_name == "__Host-csrftoken"
    assert hsts >= 31_536_000
    assert age <= 12 * 3600


def test_the_production_session_cookie_carries_the_flags(client: Client, settings: object) -> None:
    settings.SESSION_COOKIE_SECURE = True  # type: ignore[attr-defined]
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"  # type: ignore[attr-defined]
    UserFactory(username="sari")
    response = client.post("/accounts/login/", {"username": "sari", "password": PASSWORD}, secure=True)
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/" and not cookie["domain"]


class TestPasswordRules:
    def check(self, password: str) -> list[str | None]:
        try:
            password_validation.validate_password(password, UserFactory.build(username="sari.wulandari"))
        except ValidationError as error:
            return [e.code for e in error.error_list]
        return []

    def test_a_long_passphrase_of_any_composition_is_accepted(self) -> None:
        assert self.check("kopi tubruk di pagi hari") == []
        assert self.check("semuahurufkecil") == []
        assert self.check("482915736201") == []  # digits only: no composition rules (NIST 800-63B)

    def test_short_common_and_overlong_passwords_are_refused(self) -> None:
        assert "password_too_short" in self.check("Kopi1!")
        assert "password_too_common" in self.check("password1234")
        assert "password_too_long" in self.check("a" * 129)
        assert self.check("a b" * 42) == []  # 126 characters: long passphrases are welcome

    def test_the_refusal_reads_in_indonesian(self) -> None:
        with pytest.raises(ValidationError) as error:
            password_validation.validate_password("x" * 200)
        assert "Kata sandi terlalu panjang: paling banyak 128 karakter." in error.value.messages
