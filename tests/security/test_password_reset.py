"""Password reset: the portal's own Indonesian pages, a working single-use link, and limits per
address and per client IP (5 posts used to send 5 mails)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/accounts/password_reset/"


@pytest.fixture(autouse=True)
def _fresh_counters(settings: Any) -> None:
    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                  "LOCATION": "reset-tests"}}  # fmt: skip
    caches["api"].clear()


def test_the_pages_are_the_portal_s_own_in_indonesian(client: Client) -> None:
    page = client.get(URL).content.decode()
    assert "Atur ulang kata sandi" in page and "Administrasi Django" not in page and "Django" not in page
    assert "Lupa kata sandi?" in client.get("/accounts/login/").content.decode()
    done = client.post(URL, {"email": "tidak-ada@example.go.id"}, follow=True).content.decode()
    assert "Periksa e-mail Anda" in done and "Administrasi Django" not in done
    assert mail.outbox == []  # an unknown address gets the same page and no mail


def test_the_mailed_link_sets_a_new_password_once(client: Client) -> None:
    user = UserFactory(username="sari", email="sari@example.go.id")
    client.post(URL, {"email": "sari@example.go.id"})
    [message] = mail.outbox
    assert "kata sandi baru" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", str(message.body))
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert "Kata sandi baru" in form.content.decode() and "Administrasi Django" not in form.content.decode()
    new = "Kabupaten-Siak-2026!"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True)
    assert "Kata sandi diganti" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(new)
    assert "tidak berlaku lagi" in client.get(link.group(1), follow=True).content.decode()


def test_one_address_gets_at_most_three_mails_an_hour_and_the_page_does_not_say_so(client: Client) -> None:
    UserFactory(username="sari", email="sari@example.go.id")
    responses = [client.post(URL, {"email": "sari@example.go.id"}, REMOTE_ADDR=f"198.51.100.{n}") for n in range(5)]
    assert [r.status_code for r in responses] == [302] * 5
    assert len({r["Location"] for r in responses}) == 1
    assert len(mail.outbox) == 3


def test_one_client_address_is_refused_after_ten_requests_an_hour(client: Client) -> None:
    statuses = [client.post(URL, {"email": f"orang{n}@example.go.id"}).status_code for n in range(11)]
    assert statuses == [302] * 10 + [429]
    assert "Terlalu banyak permintaan" in client.post(URL, {"email": "x@example.go.id"}).content.decode()
    assert client.post(URL, {"email": "x@example.go.id"}, REMOTE_ADDR="203.0.113.9").status_code == 302
