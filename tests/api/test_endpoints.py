"""The API reads and writes what the pages do, scoped the same way, through the same services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from assessment.models import Answer, AnswerStatus, Stage, StageValue
from reports.models import Report, ReportStatus
from scoring.results import stage_results
from tests.factories import answer_all
from tests.world import World

pytestmark = pytest.mark.django_db


def test_frameworks_and_indicators_come_from_the_catalog(world: World, api_as: Any) -> None:
    client = api_as(world.a.users["opd.bkpsdm"])
    framework = client.get("/api/v1/frameworks/").json()["results"][0]
    assert framework["code"] == "permenpanrb-59-2020"
    assert [g["code"] for g in framework["groups"] if g["kind"] == "domain"] == ["D1", "D2", "D3", "D4"]
    indicators = client.get(f"/api/v1/frameworks/{framework['id']}/indicators/").json()["results"]
    assert len(indicators) == world.evaluation.framework.indicators.count()
    first = indicators[0]
    assert (first["number"], first["group"], Decimal(first["weight"])) == (1, "A1", Decimal("1.3"))
    assert [lvl["level"] for lvl in first["levels"]] == [1, 2, 3, 4, 5]


def test_evaluations_are_those_of_the_caller_s_instansi(world: World, api_as: Any) -> None:
    mine = api_as(world.a.users["sekda"]).get("/api/v1/evaluations/").json()["results"]
    theirs = api_as(world.b.users["sekda"]).get("/api/v1/evaluations/").json()["results"]
    assert [e["instansi"] for e in mine] == ["kabupaten-a"]
    assert [e["instansi"] for e in theirs] == ["kabupaten-b"]
    assert api_as(world.b.users["sekda"]).get(f"/api/v1/evaluations/{world.evaluation.pk}/").status_code == 404


@pytest.mark.parametrize("query", ["year=2026", "year=2026&instansi=kabupaten-a"])
def test_evaluations_filter_by_year_and_instansi(world: World, api_as: Any, query: str) -> None:
    client = api_as(world.a.users["sekda"])
    assert len(client.get(f"/api/v1/evaluations/?{query}").json()["results"]) == 1
    assert client.get("/api/v1/evaluations/?year=2022").json()["results"] == []
    assert client.get("/api/v1/evaluations/?year=abc").json()["results"] == []


def test_the_index_per_stage_is_the_engine_s(world: World, api_as: Any) -> None:
    answer_all(world.evaluation, dict.fromkeys(range(1, 48), 3))
    answer_all(world.evaluation, {n: 2 if n < 11 else 3 for n in range(1, 48)}, stage=Stage.VERIFIKASI)
    body = api_as(world.a.users["opd.diskominfo"]).get(f"/api/v1/evaluations/{world.evaluation.pk}/index/").json()
    results = stage_results(world.evaluation)
    assert [s["stage"] for s in body["stages"]] == ["mandiri", "verifikasi"]
    final = results[-1].result
    assert final.index is not None
    assert body["final"]["index"] == {"value": f"{final.index.display:f}", "predicate": final.index.predicate}
    domains = {g["code"]: g["value"] for g in body["final"]["groups"] if g["kind"] == "domain"}
    assert domains == {"D1": "2.00", "D2": "3.00", "D3": "3.00", "D4": "3.00"}
    assert body["final"]["provisional"] is False


def test_an_evaluation_without_values_has_no_index_yet(world: World, api_as: Any) -> None:
    body = api_as(world.a.users["sekda"]).get(f"/api/v1/evaluations/{world.evaluation.pk}/index/").json()
    assert body["final"] is None and body["stages"] == []


def test_opd_staff_read_only_their_opd_s_answers(world: World, api_as: Any) -> None:
    answer_all(world.evaluation, dict.fromkeys(range(1, 48), 4))
    url = f"/api/v1/evaluations/{world.evaluation.pk}/answers/"
    bkpsdm = api_as(world.a.users["opd.bkpsdm"]).get(url).json()["results"]
    everyone = api_as(world.a.users["verifikator"]).get(url).json()["results"]
    assert {a["lead_opd"] for a in bkpsdm} == {"bkpsdm"}
    assert len(everyone) == 47
    assert everyone[0]["values"] == {"mandiri": "4"}


def test_the_answer_list_costs_the_same_queries_for_more_answers(
    world: World, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = api_as(world.a.users["verifikator"])
    url = f"/api/v1/evaluations/{world.evaluation.pk}/answers/"
    answer_all(world.evaluation, {1: 3})
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    answer_all(world.evaluation, dict.fromkeys(range(1, 48), 3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def draft(client: Any, answer: Answer, **body: Any) -> Any:
    payload = {"value": "3", "explanation": "FAKTA: SK Bupati. ANALISIS: memenuhi.", "version": answer.version, **body}
    return client.patch(f"/api/v1/answers/{answer.pk}/", payload, format="json")


def test_an_answerer_saves_a_draft_through_the_workflow(world: World, api_as: Any) -> None:
    response = draft(api_as(world.a.users["opd.bkpsdm"]), world.answer)
    assert response.status_code == 200, response.content
    world.answer.refresh_from_db()
    assert (world.answer.status, world.answer.version) == (AnswerStatus.DRAFT, 1)
    assert StageValue.objects.get(answer=world.answer, stage=Stage.MANDIRI).value == 3
    assert response.json()["values"] == {"mandiri": "3"}


def test_a_draft_based_on_an_old_version_is_a_conflict(world: World, api_as: Any) -> None:
    client = api_as(world.a.users["opd.bkpsdm"])
    draft(client, world.answer)
    response = draft(client, world.answer, explanation="lain", version=0)
    assert response.status_code == 409
    assert response.json()["version"] == 1


def test_after_the_deadline_a_draft_is_refused_with_the_reason(world: World, api_as: Any) -> None:
    world.evaluation.deadline = timezone.now() - timedelta(hours=1)
    world.evaluation.save()
    response = draft(api_as(world.a.users["opd.bkpsdm"]), world.answer)
    assert response.status_code == 409
    assert "Tenggat" in response.json()["detail"]
    assert not StageValue.objects.filter(answer=world.answer).exists()


@pytest.mark.parametrize("value", ["6", "2.5", "tiga", ""])
def test_a_bad_level_is_a_400_naming_the_value(world: World, api_as: Any, value: str) -> None:
    response = draft(api_as(world.a.users["opd.bkpsdm"]), world.answer, value=value)
    assert response.status_code == 400
    assert "value" in response.json()
    assert not StageValue.objects.filter(answer=world.answer).exists()


def test_a_reviewer_cannot_write_an_opd_s_draft(world: World, api_as: Any) -> None:
    assert draft(api_as(world.a.users["verifikator"]), world.answer).status_code == 403
    assert draft(api_as(world.a.users["opd.diskominfo"]), world.answer).status_code == 404


@pytest.mark.usefixtures("eager_tasks")
def test_a_report_is_requested_and_followed_to_its_file(
    world: World, api_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = api_as(world.a.users["sekda"])
    answer_all(world.evaluation, dict.fromkeys(range(1, 48), 3))
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(f"/api/v1/evaluations/{world.evaluation.pk}/reports/", {"kind": "csv"}, format="json")
    assert created.status_code == 201, created.content
    again = client.post(f"/api/v1/evaluations/{world.evaluation.pk}/reports/", {"kind": "csv"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    report = client.get(f"/api/v1/reports/{created.json()['id']}/").json()
    assert report["status"] == ReportStatus.DONE
    download = client.get(report["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith("\ufeffNo,Kode".encode())


@pytest.mark.usefixtures("eager_tasks")
def test_opd_staff_request_their_own_progress_report_only(world: World, api_as: Any) -> None:
    client = api_as(world.a.users["opd.bkpsdm"])
    url = f"/api/v1/evaluations/{world.evaluation.pk}/reports/"
    assert client.post(url, {"kind": "hasil"}, format="json").status_code == 403
    response = client.post(url, {"kind": "opd", "opd": "diskominfo"}, format="json")
    assert response.status_code == 201
    assert Report.objects.get().opd == world.a.bkpsdm


def test_opd_staff_asking_the_api_for_the_rapor_get_their_own_opds(world: World, api_as: Any) -> None:
    """Issue 16: the API resolved the OPD for the progress report only, so OPD staff asking for the
    rapor queued every OPD's; the page and the API now share one request service."""
    url = f"/api/v1/evaluations/{world.evaluation.pk}/reports/"
    response = api_as(world.a.users["opd.bkpsdm"]).post(url, {"kind": "rapor"}, format="json")
    assert response.status_code == 201
    assert (response.json()["opd"], Report.objects.get().opd) == ("bkpsdm", world.a.bkpsdm)
    chosen = api_as(world.a.users["sekda"]).post(url, {"kind": "rapor", "opd": "diskominfo"}, format="json")
    assert chosen.status_code == 201 and chosen.json()["opd"] == "diskominfo"


def test_berita_acara_before_finalisation_is_a_conflict_with_the_reason(world: World, api_as: Any) -> None:
    url = f"/api/v1/evaluations/{world.evaluation.pk}/reports/"
    response = api_as(world.a.users["sekda"]).post(url, {"kind": "berita-acara"}, format="json")
    assert response.status_code == 409
    assert "final" in response.json()["detail"]
    assert not Report.objects.exists()


def test_an_unknown_opd_code_is_a_400(world: World, api_as: Any) -> None:
    url = f"/api/v1/evaluations/{world.evaluation.pk}/reports/"
    response = api_as(world.a.users["sekda"]).post(url, {"kind": "opd", "opd": "bkpsdm-b"}, format="json")
    assert response.status_code == 400


def test_the_index_costs_a_fixed_number_of_queries(
    world: World, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = api_as(world.a.users["sekda"])
    answer_all(world.evaluation, {1: 3})
    url = f"/api/v1/evaluations/{world.evaluation.pk}/index/"
    client.get(url)  # warms the engine's framework cache
    with django_assert_max_num_queries(10) as few:
        assert client.get(url).status_code == 200
    answer_all(world.evaluation, dict.fromkeys(range(1, 48), 3))
    answer_all(world.evaluation, dict.fromkeys(range(1, 48), 2), stage=Stage.VERIFIKASI)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
