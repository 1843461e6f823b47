"""POST /api/v1/score answers what `manage.py spbe_index` prints, and refuses what it refuses."""

from __future__ import annotations

import json
from collections.abc import Sequence
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.world import World

pytestmark = pytest.mark.django_db


def item(name: str, levels: Sequence[float] | dict[str, Any]) -> dict[str, Any]:
    if isinstance(levels, list):
        levels = {str(n): v for n, v in enumerate(levels, start=1)}
    return {"id": name, "levels": levels}


def vectors() -> list[dict[str, Any]]:
    borderline = [3] * 47
    for n in [11, 21, *range(32, 48)]:
        borderline[n - 1] = 4  # exactly 3,495
    return [item("tiga", [3] * 47), item("tepi", borderline), item("campur", [1, 2, 3, 4, 5] * 9 + [2, 2])]


def command_output(batch: list[dict[str, Any]], *args: str, monkeypatch: Any) -> Any:
    monkeypatch.setattr("sys.stdin", StringIO(json.dumps(batch)))
    out = StringIO()
    call_command("spbe_index", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def client(world: World, api_as: Any) -> Any:
    return api_as(world.a.users["opd.bkpsdm"])


@pytest.mark.parametrize("basis", ["exact", "rounded"])
@pytest.mark.usefixtures("framework59")
def test_the_results_are_the_command_s(client: Any, basis: str, monkeypatch: Any) -> None:
    expected = command_output(vectors(), "--predicate-basis", basis, monkeypatch=monkeypatch)
    response = client.post("/api/v1/score", {"items": vectors(), "predicate_basis": basis}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"framework": "permenpanrb-59-2020", "predicate_basis": basis, "results": expected}


def test_the_borderline_vector_reads_its_predikat_from_the_chosen_basis(client: Any) -> None:
    exact = client.post("/api/v1/score", {"items": vectors()}, format="json").json()["results"][1]
    rounded = client.post("/api/v1/score", {"items": vectors(), "predicate_basis": "rounded"}, format="json")
    assert (exact["index"], exact["predicate"]) == ("3.50", "Baik")
    assert rounded.json()["results"][1]["predicate"] == "Sangat Baik"
    assert set(exact) == {"id", "index", "predicate", "domains", "aspects"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "the body must be a JSON object"),
        ({"items": {}}, "input must be a JSON array"),
        ({"items": [item("a", {**{str(n): 3 for n in range(1, 48)}, "48": 3})]}, 'item 1 (id "a"): unknown indicator 48'),
        ({"items": [item("ok", [3] * 47), item("b", [3] * 46 + [6])]}, 'item 2 (id "b"): indicator 47: 6 is outside 1..5'),
        ({"items": [item("d", [3.5] + [3] * 46)]}, "indicator 1: 3.5 is not a whole level"),
        ({"items": [item("e", [True] + [3] * 46)]}, "indicator 1: True is not a number"),
        ({"items": [item("f", {str(n): 3 for n in range(1, 46)})]}, 'item 1 (id "f"): missing indicator 46, 47'),
        ({"items": [{"id": "g"}]}, "'levels' must be an object"),
        ({"items": [], "framework": "tidak-ada"}, "framework 'tidak-ada' is not loaded"),
        ({"items": [], "framework": 7}, "framework 7 is not loaded"),
        ({"items": [], "predicate_basis": "kira-kira"}, "predicate_basis must be one of exact, rounded"),
        ({"items": [item(str(n), [3] * 47) for n in range(1001)]}, "at most 1000 items per request"),
    ],
)  # fmt: skip
def test_invalid_input_is_a_400_naming_the_item_in_english_when_switched(client: Any, body: Any, message: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/api/v1/score", body, format="json")
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], 'Isi permintaan harus objek JSON {"items"'),
        ({"items": {}}, "masukan harus larik JSON"),
        ({"items": [item("a", {**{str(n): 3 for n in range(1, 48)}, "48": 3})]}, 'item 1 (id "a"): indikator 48 tidak dikenal'),
        ({"items": [item("ok", [3] * 47), item("b", [3] * 46 + [6])]}, 'item 2 (id "b"): indikator 47: 6 di luar rentang 1..5'),
        ({"items": [item("d", [3.5] + [3] * 46)]}, "indikator 1: 3.5 bukan level bulat"),
        ({"items": [item("e", [True] + [3] * 46)]}, "indikator 1: True bukan angka"),
        ({"items": [item("f", {str(n): 3 for n in range(1, 46)})]}, 'item 1 (id "f"): indikator 46, 47 tidak ada'),
        ({"items": [{"id": "g"}]}, "'levels' harus objek"),
        ({"items": [], "framework": "tidak-ada"}, "Kerangka 'tidak-ada' tidak dimuat."),
        ({"items": [], "predicate_basis": "kira-kira"}, "predicate_basis harus salah satu dari exact, rounded, bukan 'kira-kira'"),
        ({"items": [item(str(n), [3] * 47) for n in range(1001)]}, "Paling banyak 1000 item per permintaan; yang dikirim 1001"),
    ],
)  # fmt: skip
def test_invalid_input_is_a_400_in_indonesian_by_default(client: Any, body: Any, message: str) -> None:
    response = client.post("/api/v1/score", body, format="json")
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_malformed_json_is_a_400(client: Any) -> None:
    response = client.post("/api/v1/score", '{"items": [', content_type="application/json")
    assert response.status_code == 400


def test_an_empty_batch_scores_nothing(client: Any) -> None:
    assert client.post("/api/v1/score", {"items": []}, format="json").json()["results"] == []
