"""A new user opens the demo in a browser, logs in as the Sekda, and reads the ranking."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import Framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server: LiveServer, framework59: Framework) -> str:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def test_sekda_logs_in_and_sees_siak_2_35_and_sumedang_3_87(page: Page, demo_site: str) -> None:
    page.goto(demo_site + "/")
    expect(page).to_have_url(f"{demo_site}/accounts/login/?next=/")
    page.get_by_label("Nama pengguna").fill("sekda.siak")
    page.get_by_label("Kata sandi").fill("demo-spbe-2026")
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("heading", name="Peringkat hasil evaluasi yang telah final")).to_be_visible()
    expect(page.get_by_test_id("index-kabupaten-siak-2022")).to_have_text("2,35")
    expect(page.get_by_test_id("index-kabupaten-sumedang-2022")).to_have_text("3,87")
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text("Kabupaten Sumedang")
    expect(rows.first).to_contain_text("Sangat Baik")

    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("button", name="Ganti").click()
    expect(page.get_by_role("heading", name="Ranking of finalised evaluations")).to_be_visible()
    expect(page.get_by_test_id("index-kabupaten-siak-2022")).to_have_text("2.35")


def test_a_wrong_password_keeps_the_username_and_explains(page: Page, demo_site: str) -> None:
    page.goto(demo_site + "/accounts/login/")
    page.get_by_label("Nama pengguna").fill("verifikator.sumedang")
    page.get_by_label("Kata sandi").fill("bukan-sandinya")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("Nama pengguna atau kata sandi salah")).to_be_visible()
    expect(page.get_by_label("Nama pengguna")).to_have_value("verifikator.sumedang")
