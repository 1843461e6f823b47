"""The main pages run under the strict CSP in a real browser: no violation, and the scripts still work."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import ConsoleMessage, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import Evaluation
from tests.browser.test_workflow_journeys import answer, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: LiveServer, framework59: object) -> str:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


@pytest.fixture
def violations(page: Page) -> list[str]:
    found: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            found.append(message.text)

    page.on("console", listen)
    return found


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy
    page.wait_for_load_state("networkidle")


def siak(year: int) -> Evaluation:
    return Evaluation.objects.get(instansi__slug="kabupaten-siak", year=year)


def test_opd_pages_and_autosave_run_without_a_violation(page: Page, site: str, violations: list[str]) -> None:
    visit(page, f"{site}/accounts/login/")
    login(page, site, "opd.bkpsdm.siak")
    visit(page, f"{site}/penilaian/")
    visit(page, f"{site}/penilaian/jawaban/{answer(41).pk}/")
    page.get_by_label("Tingkat", exact=True).select_option("3")
    expect(page.locator("#save-status")).to_contain_text("Tersimpan")  # htmx autosave under the CSP
    with page.expect_response(lambda r: "/simpan" in r.url or r.request.method == "POST") as saved:
        page.get_by_label("Penjelasan").fill("FAKTA: e-Kinerja dipakai semua OPD. ANALISIS: tingkat 3.")
        page.get_by_label("Penjelasan").blur()
    assert saved.value.status == 200
    assert answer(41).explanation.startswith("FAKTA: e-Kinerja")
    visit(page, f"{site}/bukti/")
    assert violations == []


def test_reviewer_pages_run_without_a_violation(page: Page, site: str, violations: list[str]) -> None:
    login(page, site, "verifikator.siak")
    visit(page, f"{site}/penilaian/periksa/")
    visit(page, f"{site}/penilaian/periksa/{answer(41).pk}/")
    visit(page, f"{site}/akun/dua-langkah/")  # the enrolment QR code is inline SVG
    expect(page.locator("svg.segno")).to_be_visible()
    assert violations == []


def test_progress_charts_and_the_simulator_run_without_a_violation(
    page: Page, site: str, violations: list[str]
) -> None:
    login(page, site, "sekda.siak")
    evaluation = siak(2022)
    visit(page, f"{site}/indeks/evaluasi/{evaluation.pk}/")
    expect(page.locator("svg.chart").first).to_be_visible()
    visit(page, f"{site}/indeks/evaluasi/{evaluation.pk}/simulasi/")
    expect(page.get_by_test_id("sim-index")).to_have_text("2,35")
    page.locator("input[data-key]").first.fill("5")
    page.locator("input[data-key]").first.press("Tab")
    expect(page.get_by_test_id("sim-index")).not_to_have_text("2,35")  # scored on the server over htmx
    visit(page, f"{site}/indeks/evaluasi/{evaluation.pk}/rencana/")
    assert violations == []
