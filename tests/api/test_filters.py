"""The evaluation list's filters: `year` and `instansi`; empty means no filter, a value that does not
parse matches nothing (an empty list, never a 400 or a 500), and the schema documents both."""

from __future__ import annotations

from typing import Any

import pytest

from tests.world import World

pytestmark = pytest.mark.django_db


def listed(world: World, api_as: Any, query: str, role: str = "sekda") -> list[str]:
    response = api_as(world.a.users[role]).get(f"/api/v1/evaluations/?{query}")
    assert response.status_code == 200
    return [f"{e['instansi']} {e['year']}" for e in response.json()["results"]]


@pytest.mark.parametrize("query", ["", "year=", "instansi=", "year=&instansi=", "year=2026", " year=2026",
                                   "instansi=kabupaten-a", "year=2026&instansi=kabupaten-a", "year=%202026"])  # fmt: skip
def test_an_empty_or_matching_filter_keeps_the_evaluation(world: World, api_as: Any, query: str) -> None:
    assert listed(world, api_as, query) == ["kabupaten-a 2026"]


@pytest.mark.parametrize("query", ["year=2025", "year=0", "year=-2026", "year=2026.0", "year=10000", "year=abc",
                                   "instansi=kabupaten-b", "instansi=kabupaten a", "instansi=" + "a" * 101,
                                   "instansi=kabupaten-a%00", "year=2026&instansi=kabupaten-b",
                                   "year=abc&instansi=kabupaten-a"])  # fmt: skip
def test_a_filter_that_does_not_match_or_parse_gives_an_empty_list(world: World, api_as: Any, query: str) -> None:
    assert listed(world, api_as, query) == []


def test_the_schema_documents_the_filters(world: World, api_as: Any) -> None:
    schema = api_as(world.a.users["sekda"]).get("/api/v1/schema/?format=json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/evaluations/"]["get"]["parameters"]}
    assert set(parameters) == {"year", "instansi", "page"}
    assert parameters["year"]["schema"] == {"type": "integer"}
    assert parameters["year"]["description"] == "only this year"
    assert parameters["instansi"]["schema"] == {"type": "string"}
    assert parameters["instansi"]["description"] == "only this instansi (slug)"
    assert not any(p.get("required") for p in parameters.values())
