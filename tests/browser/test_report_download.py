"""The Sekda downloads the Siak 2022 report in a browser and it reads 2,35 (Cukup)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from tests.browser.test_workflow_journeys import login

# No worker runs beside the browser tests; the worker path is covered in tests/reports_flow.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


@pytest.mark.usefixtures("framework59")
def test_the_sekda_downloads_the_siak_2022_report(page: Page, live_server: LiveServer,
                                                  tmp_path: Path) -> None:  # fmt: skip
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    site = live_server.url
    login(page, site, "sekda.siak")
    page.get_by_role("row", name="Kabupaten Siak").first.get_by_role("link", name="Laporan").click()
    page.get_by_label("Jenis laporan").select_option("hasil")
    page.get_by_role("button", name="Buat laporan").click()
    expect(page.get_by_role("link", name="Unduh")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "hasil-kabupaten-siak-2022-v1.pdf"
    text = "".join(p.extract_text() for p in PdfReader(saved).pages)
    assert "2,35" in text and "Cukup" in text and "Halaman 1 dari" in text
