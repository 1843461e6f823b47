"""An error in the API is JSON in the problem-details shape, never the portal's HTML page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from spbe_portal import urls as portal_urls
from tests.api.conftest import token_client
from tests.world import World

handler500 = portal_urls.handler500
handler404 = portal_urls.handler404


class Bug(APIView):
    def get(self, _request: Request) -> Response:
        raise ValueError("a bug")


class DatabaseGone(APIView):
    def get(self, _request: Request) -> Response:
        raise OperationalError("connection refused")


urlpatterns = [path("api/v1/bug/", Bug.as_view()), path("api/v1/db/", DatabaseGone.as_view()),
               *portal_urls.urlpatterns]  # fmt: skip
pytestmark = [pytest.mark.urls("tests.api.test_errors"), pytest.mark.django_db]


def client_for(world: World) -> Any:
    client = token_client(world.a.users["sekda"])
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(("url", "status"), [("/api/v1/bug/", 500), ("/api/v1/db/", 503), ("/api/v1/nothing/", 404)])
def test_api_failures_answer_problem_json(world: World, url: str, status: int) -> None:
    response = client_for(world).get(url)
    assert response.status_code == status and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and "Traceback" not in response.content.decode()


def test_pages_still_answer_html(world: World) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.a.users["sekda"])
    response = client.get("/tidak-ada/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("page", ["", "0", "x", "\u00b2", "9" * 40])
def test_a_page_that_is_not_a_positive_integer_is_refused_with_400(world: World, page: str) -> None:
    response = client_for(world).get(f"/api/v1/evaluations/?page={page}")
    assert response.status_code == 400 and "page" in response.json()


@pytest.mark.parametrize("body", [{"predicate_basis": {}, "items": []}, {"predicate_basis": "", "items": []},
                                  {"framework": "\x00kS", "items": []}, {"framework": {}, "items": []}])  # fmt: skip
def test_score_refuses_a_malformed_basis_or_framework_with_400(world: World, body: dict[str, Any]) -> None:
    assert client_for(world).post("/api/v1/score", body, format="json").status_code == 400


def test_the_schema_documents_errors_and_a_nullable_download(world: World) -> None:
    schema = client_for(world).get("/api/v1/schema/?format=json").json()
    download = schema["components"]["schemas"]["Report"]["properties"]["download"]
    assert download["nullable"] is True
    for url, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), (method, url)
            assert "application/problem+json" in operation["responses"]["404"]["content"]
