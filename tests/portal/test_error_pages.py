"""A failing request gets an Indonesian page with the right status, never a traceback."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from spbe_portal import urls as portal_urls

# This test module is the URLconf: the portal's, plus two failing views.
handler403 = portal_urls.handler403
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500


@login_not_required
def database_gone(_request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@login_not_required
def bug(_request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug")


urlpatterns = [path("db/", database_gone), path("bug/", bug), *portal_urls.urlpatterns]

pytestmark = [pytest.mark.urls("tests.portal.test_error_pages"), pytest.mark.django_db]


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


def test_a_lost_database_is_a_503_that_says_to_try_again(anonymous: Client) -> None:
    response = anonymous.get("/db/")
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Layanan sementara tidak tersedia" in page and "basis data" in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_any_other_failure_is_a_500_in_indonesian(anonymous: Client) -> None:
    response = anonymous.get("/bug/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan di server" in page and "ValueError" not in page


def test_an_unknown_address_is_an_indonesian_404_with_the_portal_header(world: Any) -> None:
    client = Client()
    client.force_login(world.a.users["opd.bkpsdm"])
    response = client.get("/tidak-ada/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in page and "Not Found" not in page
    assert 'aria-label="Navigasi utama"' in page and reverse("assessment:worklist") in page and "Keluar" in page


def test_another_instansis_answer_is_the_same_404_page(world: Any) -> None:
    client = Client()
    client.force_login(world.b.users["opd.bkpsdm"])
    response = client.get(reverse("assessment:answer", args=[world.answer.pk]))
    assert response.status_code == 404 and "Halaman tidak ditemukan" in response.content.decode()


def test_the_404_page_is_english_when_switched(world: Any) -> None:
    client = Client()
    client.force_login(world.a.users["opd.bkpsdm"])
    client.post(reverse("set_language"), {"language": "en"})
    response = client.get("/tidak-ada/")
    page = response.content.decode()
    assert response.status_code == 404 and "Page not found" in page and "Halaman tidak ditemukan" not in page


def test_under_debug_an_unknown_address_still_gets_the_portal_page(world: Any, settings: Any) -> None:
    settings.DEBUG = True  # what `make run` does
    client = Client()
    client.force_login(world.a.users["sekda"])
    response = client.get("/tidak-ada/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in page and "URLconf" not in page and "Navigasi utama" in page


def test_under_debug_a_failure_still_gets_the_portal_page(settings: Any, caplog: Any) -> None:
    settings.DEBUG = True  # what `make run` does: Django would show its traceback page
    response = Client(raise_request_exception=False).get("/bug/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan di server" in page and "Traceback" not in page and "ValueError" not in page
    assert any(record.exc_info and record.exc_info[0] is ValueError for record in caplog.records)  # console


def test_a_refused_action_is_an_indonesian_403_that_changes_nothing(world: Any) -> None:
    client = Client()
    client.force_login(world.a.users["verifikator"])
    before = world.answer.explanation
    response = client.post(reverse("assessment:answer-save", args=[world.answer.pk]), {"explanation": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Akses ditolak" in page and "Navigasi utama" in page and "Forbidden" not in page
    world.answer.refresh_from_db()
    assert world.answer.explanation == before


@pytest.mark.parametrize("debug", [False, True])
def test_a_stale_form_is_an_indonesian_csrf_page(world: Any, settings: Any, debug: bool) -> None:
    settings.DEBUG = debug
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.a.users["opd.bkpsdm"])
    response = client.post(reverse("assessment:answer-save", args=[world.answer.pk]), {"explanation": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in page and "CSRF verification failed" not in page and "<style" not in page
    assert "Navigasi utama" in page
    world.answer.refresh_from_db()
    assert world.answer.explanation != "x"
