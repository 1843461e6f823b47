"""In the browser: the simulator recomputes at once without saving, the plan's steps reach the
target there, and an import's dry run shows row errors and writes nothing."""

from __future__ import annotations

import os
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import Evaluation, StageValue
from scoring import engine
from scoring.models import IMPORTED_STAGE, Scenario, StoredResult
from scoring.services import engine_framework
from scoring.services_plan import latest_values
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)
from tests.browser.test_workflow_journeys import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def comma(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


@pytest.fixture
def siak(framework59: object) -> Evaluation:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Evaluation.objects.select_related("framework").get(instansi__slug="kabupaten-siak", year=2022)


def test_changing_a_level_updates_index_domain_and_predikat_at_once_and_saves_nothing(
    page: Page, live_server: LiveServer, siak: Evaluation
) -> None:
    values = dict(latest_values(siak))
    spec = engine_framework(siak.framework)
    # The heaviest indicator below the top level: the change shows in the index.
    key = max((k for k in spec.keys if values[k] < 5), key=spec.int_weight)
    values[key] = Decimal(5)
    expected = engine.score(spec, values)
    assert expected.index is not None
    domain = spec.ancestors(key)[-1]
    stored = list(StageValue.objects.values_list("pk", "value").order_by("pk"))

    login(page, live_server.url, "sekda.siak")
    page.goto(f"{live_server.url}/indeks/evaluasi/{siak.pk}/simulasi/")
    expect(page.get_by_test_id("sim-index")).to_have_text("2,35")
    with page.expect_request(lambda r: "/simulasi/?" in r.url and r.headers.get("hx-request") == "true"):
        page.locator(f"#sim-{key}").fill("5")
        page.locator(f"#sim-{key}").dispatch_event("change")  # what leaving the field does
    expect(page.get_by_test_id("sim-index")).to_have_text(comma(expected.index.display))
    expect(page.locator(f'[data-out="group-{domain}"]')).to_have_text(comma(expected.groups[domain].display))
    expect(page.get_by_test_id("sim-predicate")).to_have_text(expected.index.predicate or "")
    assert list(StageValue.objects.values_list("pk", "value").order_by("pk")) == stored
    assert not Scenario.objects.exists()


@pytest.mark.usefixtures("pemdi")
def test_a_pemdi_value_typed_in_hundredths_shows_its_band_and_the_engines_index(
    page: Page,
    live_server: LiveServer,
) -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115  (with Pemdi loaded: Siak 2026 is Pemdi)
    running = Evaluation.objects.select_related("framework").get(instansi__slug="kabupaten-siak", year=2026)
    assert running.framework.code == "permenpanrb-8-2026"
    values = dict(latest_values(running))
    spec = engine_framework(running.framework)
    values["1"] = Decimal("3.67")
    expected = engine.score(spec, values)
    assert expected.index is not None
    login(page, live_server.url, "sekda.siak")
    page.goto(f"{live_server.url}/indeks/evaluasi/{running.pk}/simulasi/")
    field = page.get_by_label("Nilai simulasi indikator 1", exact=True)
    assert field.get_attribute("type") == "number" and field.get_attribute("step") == "0.01"
    field.fill("3.67")
    field.press("Tab")
    expect(page.get_by_test_id("sim-band-1")).to_contain_text("Tingkat 4: 3,50–3,99")  # noqa: RUF001
    expect(page.get_by_test_id("sim-index")).to_have_text(comma(expected.index.display))
    expect(page.get_by_test_id("sim-predicate")).to_have_text(expected.index.predicate or "")


def test_the_plan_toward_baik_applied_in_the_simulator_reaches_2_60(
    page: Page, live_server: LiveServer, siak: Evaluation
) -> None:
    login(page, live_server.url, "sekda.siak")
    page.goto(f"{live_server.url}/indeks/evaluasi/{siak.pk}/rencana/?target=Baik")
    page.get_by_test_id("try-simulator").click()
    index = page.get_by_test_id("sim-index")
    expect(index).not_to_have_text("2,35")
    assert Decimal(index.inner_text().replace(",", ".")) >= Decimal("2.60")
    expect(page.get_by_test_id("sim-predicate")).to_have_text("Baik")


@pytest.mark.usefixtures("siak")
def test_an_import_dry_run_lists_row_errors_and_writes_nothing(page: Page, live_server: LiveServer) -> None:
    login(page, live_server.url, "admin.siak")
    page.get_by_role("link", name="Impor hasil resmi tahun sebelumnya").click()
    bad = (
        b"tahun;indeks;predikat;D1;D2;D3;D4\n2020;2,12;Cukup;2,50;1,80;2,10;2,20\n2021;2,12;Cukup;abc;1,80;2,10;2,20\n"
    )
    page.get_by_label("Berkas (.csv atau .xlsx)").set_input_files(
        {"name": "hasil.csv", "mimeType": "text/csv", "buffer": bad}
    )
    page.get_by_role("button", name="Periksa (pratinjau)").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("Baris 3, kolom D1: “abc” bukan angka (contoh: 2,35).")
    expect(errors).to_contain_text("tidak ada yang disimpan")
    expect(page.get_by_test_id("import-apply")).to_have_count(0)
    assert not StoredResult.objects.filter(stage=IMPORTED_STAGE).exists()

    good = bad.replace(b"abc", b"2,50")
    page.get_by_label("Berkas (.csv atau .xlsx)").set_input_files(
        {"name": "hasil.csv", "mimeType": "text/csv", "buffer": good}
    )
    page.get_by_role("button", name="Periksa (pratinjau)").click()
    page.get_by_test_id("import-apply").click()
    expect(page.get_by_text(re.compile("2 hasil resmi diimpor"))).to_be_visible()
    assert StoredResult.objects.filter(stage=IMPORTED_STAGE).count() == 2
