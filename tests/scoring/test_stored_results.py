"""Stored results: written from the engine, kept current when values change, read by the ranking
and the trend page, and shown only to those who may see an instansi's unpublished figures."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from assessment.models import Evaluation, Framework, Instansi, Role
from assessment.services.stages import record_stage
from scoring import engine
from scoring.charts import Point
from scoring.charts_trend import Line, trend_lines
from scoring.models import IMPORTED_STAGE, StoredResult
from scoring.results import as_result, results_for, stage_results
from tests.factories import InstansiFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(framework59: Framework) -> Evaluation:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=io.StringIO())
    return Evaluation.objects.select_related("framework").get(instansi__slug="kabupaten-siak", year=2022)


def as_user(client: Client, username: str) -> Client:
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_command_stores_every_stage_exactly_as_the_engine_scores_it(demo: Evaluation) -> None:
    out = io.StringIO()
    call_command("compute_results", stdout=out)
    assert "hasil tersimpan" in out.getvalue()
    rows = results_for([demo])[demo.pk]
    computed = stage_results(demo)
    assert [r.stage for r in rows] == [c.stage for c in computed]
    for row, expected in zip(rows, computed, strict=True):
        assert as_result(row) == expected.result  # exact fractions, displays, predikat, every group
    assert (str(rows[-1].index), rows[-1].predicate) == ("2.35", "Cukup")
    assert rows[-1].groups["D1"]["kind"] == "domain"


def test_a_stage_recorded_after_finalising_changes_the_ranking_at_once(client: Client, demo: Evaluation) -> None:
    as_user(client, "sekda.sumedang")
    assert ">2,35<" in client.get("/?tahun=2022").content.decode()
    answers = {a.indicator.number: a.pk for a in demo.answers.select_related("indicator")}
    verifier = get_user_model().objects.get(username="verifikator.siak")
    record_stage(demo, "dokumen", {answers[n]: (Decimal(5), "") for n in range(1, 48)}, verifier)
    page = client.get("/?tahun=2022").content.decode()
    assert 'data-testid="index-kabupaten-siak-2022">5,00<' in page
    assert StoredResult.objects.get(evaluation=demo, stage="dokumen").index == Decimal("5.00")


def test_a_changed_predicate_basis_is_a_change_too(demo: Evaluation) -> None:
    results_for([demo])
    Evaluation.objects.filter(pk=demo.pk).update(predicate_basis=engine.PredicateBasis.ROUNDED)
    demo.refresh_from_db()
    assert all(r.stamp.split("|")[1] == "rounded" for r in results_for([demo])[demo.pk])


def _imported(instansi: Instansi, framework: Framework, year: int, index: str) -> StoredResult:
    return StoredResult.objects.create(
        instansi=instansi, framework=framework, year=year, stage=IMPORTED_STAGE, index=Decimal(index),
        index_exact=f"{int(Decimal(index) * 100)}/100", predicate="Cukup",
    )  # fmt: skip


def test_the_trend_starts_with_imported_results_beside_the_national_index(client: Client, demo: Evaluation) -> None:
    _imported(demo.instansi, demo.framework, 2020, "2.12")
    as_user(client, "sekda.siak")
    page = client.get(f"/indeks/instansi/{demo.instansi_id}/tren/").content.decode()
    assert "Hasil resmi (impor)" in page
    assert "Hasil akhir evaluasi di portal" in page
    assert "Indeks SPBE nasional" in page
    assert "Hasil resmi (impor): 2020 2,12." in page  # the chart's description states every number
    assert "2022 2,35" in page
    assert "2022 2,34" in page  # the national reference of 2022
    assert page.count('data-testid="trend-chart-') == 1  # one framework, one chart


def test_others_see_only_published_figures_and_a_coordinator_sees_its_kabupaten(
    client: Client, demo: Evaluation
) -> None:
    _imported(demo.instansi, demo.framework, 2020, "2.12")
    as_user(client, "sekda.sumedang")
    page = client.get(f"/indeks/instansi/{demo.instansi_id}/tren/").content.decode()
    assert "2022 2,35" in page
    # The figure as a chart label or in the description; a bare "2,12" also matches SVG coordinates.
    assert ">2,12<" not in page and "2020 2,12" not in page
    assert "Hasil resmi (impor)" not in page

    province = InstansiFactory(name="Provinsi Riau", kind="provinsi")
    Instansi.objects.filter(pk=demo.instansi_id).update(coordinator=province)
    client.force_login(MembershipFactory(instansi=province, role=Role.KOORDINATOR).user)
    assert "2020 2,12" in client.get(f"/indeks/instansi/{demo.instansi_id}/tren/").content.decode()


def test_an_instansi_with_nothing_published_is_404_to_others(client: Client, framework59: Framework) -> None:
    hidden = InstansiFactory()
    _imported(hidden, framework59, 2020, "2.12")
    client.force_login(MembershipFactory(role=Role.SEKDA).user)
    assert client.get(f"/indeks/instansi/{hidden.pk}/tren/").status_code == 404
    assert client.get("/indeks/instansi/999999/tren/").status_code == 404


def test_the_trend_chart_tells_series_apart_without_colour() -> None:
    svg = str(
        trend_lines(
            "t",
            [
                Line("Hasil resmi (impor)", [Point(2020, Decimal("2.12")), Point(2021, Decimal("2.24"))]),
                Line("Penilaian Mandiri", [Point(2022, Decimal("2.60"), provisional=True)]),
                Line("Indeks SPBE nasional", [Point(2020, Decimal("2.26")), Point(2022, Decimal("2.34"))]),
            ],
            "Tren",
        )
    )
    assert svg.count("<circle") == 3  # the first series: circles (two points and the legend)
    assert svg.count("<rect") == 2  # the second: squares
    assert svg.count("<polygon") == 3  # the third: triangles
    assert 'stroke-dasharray="6 3"' in svg and 'stroke-dasharray="1 3"' in svg
    assert "2,60*" in svg  # a provisional point is marked in text, not only by a hollow marker
    for label in ("Hasil resmi (impor)", "Penilaian Mandiri", "Indeks SPBE nasional"):
        assert f">{label}</text>" in svg


def test_a_running_evaluation_is_drawn_as_provisional_never_as_a_final_result(client: Client, demo: Evaluation) -> None:
    """Issue 14 item 17: the open 2026 cycle has its own series, hollow markers and a '*' on every figure."""
    running = Evaluation.objects.get(instansi=demo.instansi, year=2026)
    assert running.status != "finalised"
    as_user(client, "sekda.siak")
    page = client.get(f"/indeks/instansi/{demo.instansi_id}/tren/").content.decode()
    final = re.search(r"Hasil akhir evaluasi di portal: ([^.]*)\.", page)
    assert final is not None and "2022 2,35" in final.group(1) and "2026" not in final.group(1)
    provisional = re.search(r"Indeks sementara \(evaluasi masih berjalan\): ([^.]*)\.", page)
    assert provisional is not None and provisional.group(1).startswith("2026 ")
    assert "(sementara)" in provisional.group(1)
    row = re.search(r'<th scope="row">Indeks sementara \(evaluasi masih berjalan\)</th>(.*?)</tr>', page, flags=re.S)
    assert row is not None and re.search(r"\d,\d\d\*</td>", row.group(1))
