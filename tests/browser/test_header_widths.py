"""Issue 14 item 12: the header keeps to one line on desktops and collapses behind a button on phones.

Every demo role is drawn at 1366, 1280, 768 and 390 px; a screenshot of each is kept in the test's
output directory (SCREENSHOT_DIR, or pytest's tmp_path) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["admin.siak", "sekda.siak", "verifikator.siak", "opd.bkpsdm.siak", "opd.diskominfo.siak"]
DESKTOP = [1366, 1280]
SMALL = [768, 390]


@pytest.fixture
def site(live_server: LiveServer, framework59: object) -> str:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def signed_in(browser: Browser, site: str, username: str, width: int) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID").new_page()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{site}/")
    return page


def boxes(page: Page, selector: str) -> list[dict[str, float]]:
    found: list[dict[str, float]] = page.eval_on_selector_all(
        selector,
        "els => els.filter(e => e.offsetParent !== null).map(e => {"
        " const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; })",
    )
    return found


def shot(page: Page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


@pytest.mark.parametrize("username", ROLES)
def test_the_header_is_one_line_on_desktops_and_collapses_on_phones(
    browser: Browser, site: str, username: str, tmp_path: Path
) -> None:
    for width in DESKTOP:
        page = signed_in(browser, site, username, width)
        shot(page, tmp_path, f"header-{username}-{width}")
        expect(page.get_by_role("button", name="Buka menu")).to_be_hidden()
        links = boxes(page, "nav .navbar-nav .nav-link")
        controls = boxes(page, "nav .navbar-brand, nav .navbar-nav .nav-link, nav #language, nav button")
        assert len(links) >= 3
        # One line: every item's vertical middle lies inside the brand's line, and nothing leaves the window.
        brand = boxes(page, "nav .navbar-brand")[0]
        for box in controls:
            middle = (box["top"] + box["bottom"]) / 2
            assert brand["top"] <= middle <= brand["bottom"], (username, width, box)
            assert box["left"] >= 0 and box["right"] <= width, (username, width, box)
        nav_height = page.eval_on_selector("nav.navbar", "e => e.getBoundingClientRect().height")
        assert nav_height < 70, (username, width, nav_height)
        page.context.close()
    for width in SMALL:
        page = signed_in(browser, site, username, width)
        shot(page, tmp_path, f"header-{username}-{width}")
        menu = page.get_by_role("button", name="Buka menu")
        expect(menu).to_be_visible()
        expect(page.get_by_role("link", name="Penilaian", exact=True)).to_be_hidden()
        menu.click()
        expect(page.get_by_role("link", name="Penilaian", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Keluar")).to_be_visible()
        shot(page, tmp_path, f"header-{username}-{width}-open")
        for box in boxes(page, "nav .navbar-nav .nav-link, nav #language, nav button"):
            assert box["left"] >= 0 and box["right"] <= width, (username, width, box)
        page.context.close()
