"""A failing request gets an Indonesian page with the right status, never a traceback."""

from __future__ import annotations

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from spbe_portal import urls as portal_urls

handler500 = portal_urls.handler500  # this test module is the URLconf: the portal's, plus two failing views


@login_not_required
def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@login_not_required
def bug(request: HttpRequest) -> HttpResponse:
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
