"""The axe-core scan (issue 14): every page each demo role reaches, WCAG 2.1 A and AA, no violation.

axe-core comes from the npm registry, pinned in tests/browser/axe/package-lock.json and installed
by scripts/system-deps.sh (npm ci). Playwright injects it into Chromium; the context bypasses the
portal's CSP, which would otherwise block the injected script. Each role starts at `/` and follows
every same-site link; addresses that differ only in their ids count as one page (one answer page
stands for all 47). Downloads, logout and the admin site are not followed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from assessment.demo import DEMO_PASSWORD
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SKIP = re.compile(
    r"^/api/|/(unduh|pratinjau|keluar|logout|admin|templat[^/]*)/|\.(csv|xlsx|zip|pdf)$|/i18n/|/accounts/logout"
)
ROLES = ["admin.siak", "sekda.siak", "verifikator.siak", "opd.bkpsdm.siak", "opd.diskominfo.siak", "sekda.sumedang"]
MAX_PAGES = 60  # per role; the demo has fewer distinct pages than this


@pytest.fixture
def site(live_server: LiveServer, pemdi: Any) -> str:  # noqa: F811
    del pemdi  # requested so the framework is loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def scan(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS
    )
    return [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def crawl(browser: Browser, site: str, username: str) -> tuple[list[str], list[dict[str, Any]]]:
    context = browser.new_context(bypass_csp=True, locale="id-ID", timezone_id="Asia/Jakarta")
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    found = [{"page": "/accounts/login/", **v} for v in scan(page)]
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{site}/")
    queue, seen, scanned = ["/"], {shape("/")}, list[str]()
    while queue and len(scanned) < MAX_PAGES:
        path = queue.pop(0)
        response = page.goto(site + path)
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state("networkidle")
        scanned.append(path)
        found += [{"page": path, **v} for v in scan(page)]
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            url = urlsplit(urldefrag(href)[0])
            if f"{url.scheme}://{url.netloc}" != site or SKIP.search(url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if shape(url.path) not in seen:
                seen.add(shape(url.path))
                queue.append(target)
    context.close()
    return scanned, found


def test_every_page_of_every_role_passes_wcag_2_1_aa(browser: Browser, site: str, tmp_path: Path) -> None:
    assert AXE.exists(), "run scripts/system-deps.sh (npm ci in tests/browser/axe)"
    summary: dict[str, Any] = {"pages": {}, "violations": []}
    for username in ROLES:
        scanned, found = crawl(browser, site, username)
        summary["pages"][username] = scanned
        summary["violations"] += [{"role": username, **v} for v in found]
    total = sum(len(pages) for pages in summary["pages"].values()) + len(ROLES)  # + the login page
    out = Path(os.environ.get("AXE_REPORT") or tmp_path / "axe.json")
    out.write_text(json.dumps({"pages_scanned": total, **summary}, indent=1))
    assert all(len(pages) >= 5 for pages in summary["pages"].values()), summary["pages"]
    assert summary["violations"] == [], json.dumps(summary["violations"], indent=1)
