"""Every page carries the security headers; served evidence keeps its own sandboxing policy."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory
from tests.portal.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, str]:
    parts = [part.strip().split(" ", 1) for part in policy.split(";") if part.strip()]
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def test_pages_have_a_csp_without_inline_scripts_or_eval(client: Client) -> None:
    response = client.get("/accounts/login/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_pages_refuse_framing_sniffing_and_leak_no_referrer(client: Client) -> None:
    client.force_login(UserFactory())
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_https_responses_carry_hsts_in_production(client: Client, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


def test_production_settings_turn_on_hsts_for_a_year_with_subdomains() -> None:
    probe = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    env = {**PRODUCTION, "SECURE_SSL_REDIRECT": "1", "SECURE_COOKIES": "1"}
    run = manage("shell", "--no-imports", "-c", probe, **env)
    assert run.stdout.split() == ["31536000", "True", "True", "False"], run.stderr


def test_the_htmx_configuration_needs_neither_eval_nor_inline_styles(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert '"includeIndicatorStyles": false' in page and '"allowEval": false' in page
    assert "<script>" not in page and " style=" not in page and "hx-on" not in page


# PDF templates are rendered by WeasyPrint on the server, and the evidence package's index is a
# file inside the downloaded ZIP, opened from disk: neither is ever served as a portal page.
SERVED_TEMPLATES = [
    p for p in (settings.BASE_DIR / "templates").rglob("*.html") if not {"pdf", "package"} & set(p.parts)
]
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>"  # an inline script block
    r"|<style\b|\sstyle=|\son[a-z]+\s*=|\bhx-on|javascript:|\bhx-vals=['\"]js:",
    re.IGNORECASE,
)


@pytest.mark.parametrize("template", SERVED_TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_template_has_code_the_csp_would_block(template: Path) -> None:
    found = INLINE_CODE.findall(template.read_text())
    assert not found, f"{template.name}: {found} (move it to static/js or static/css)"


def test_no_script_writes_style_attributes_or_evaluates_strings() -> None:
    for script in (settings.BASE_DIR / "static" / "js").glob("*.js"):
        text = script.read_text()
        assert not re.search(r"setAttribute\(\s*['\"]style|\beval\(|new Function\(|innerHTML\s*=", text), script.name


def test_pages_api_answers_and_downloads_are_private_no_store_and_carry_a_permissions_policy(
    client: Client, world: Any
) -> None:
    client.force_login(world.a.users["sekda"])
    for url in ("/", "/penilaian/", "/api/v1/evaluations/", "/accounts/login/"):
        response = client.get(url)
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"], url
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_static_files_stay_cacheable(client: Client) -> None:
    response = client.get(settings.STATIC_URL + "css/portal.css")
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
