"""SSO in Chromium through the real provider's own login page (oidc-provider on 127.0.0.1):
a known NIP lands in its own instansi and logs out of both; an unknown NIP is refused with no
account created; a deactivated account is refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import Membership, Role
from sso.services import invite
from tests.factories import MembershipFactory, OpdFactory
from tests.oidc.provider import KEY, USERS, RunningProvider, run_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def live_provider(live_server: LiveServer) -> Iterator[RunningProvider]:
    with run_provider([live_server.url]) as provider:
        yield provider


@pytest.fixture
def site(live_server: LiveServer, live_provider: RunningProvider, settings: Any) -> str:
    settings.SSO_PROVIDERS = {KEY: live_provider.settings()}
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    # As spbe_portal.settings does for a configured provider: logout may lead to its origin.
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "form-action": [*directives["form-action"], live_provider.issuer]}
    }
    return live_server.url


def sign_in_at_provider(page: Page, site: str, login: str) -> None:
    page.goto(f"{site}/accounts/login/")
    expect(page.get_by_label("Nama pengguna")).to_be_visible()  # the password form stays
    page.get_by_role("link", name="Masuk dengan SSO Uji").click()
    page.locator("input[name=login]").fill(login)  # the provider's own page
    page.locator("input[name=password]").fill("sandi-di-penyedia")
    page.get_by_role("button", name="Sign-in").click()


def test_known_nip_lands_in_its_own_instansi_and_logs_out_of_both(page: Page, site: str) -> None:
    own = OpdFactory(short_name="Diskominfo Uji")
    OpdFactory(short_name="OPD Tetangga")  # another instansi's
    member: Membership = MembershipFactory(instansi=own.instansi, role=Role.ADMIN, user__username="admin.sso")
    invite(member.user, USERS["asn.dikenal"]["nip"], None)

    sign_in_at_provider(page, site, "asn.dikenal")
    expect(page).to_have_url(f"{site}/")
    expect(page.get_by_role("button", name="admin.sso")).to_be_visible()
    page.goto(f"{site}/kelola/opd/")
    expect(page.get_by_role("main")).to_contain_text("Diskominfo Uji")
    expect(page.get_by_role("main")).not_to_contain_text("OPD Tetangga")

    page.get_by_role("button", name="Keluar").click()
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider's end-session page
    expect(page).to_have_url(f"{site}/accounts/login/")
    # The provider's session ended too: SSO asks for the login again.
    page.get_by_role("link", name="Masuk dengan SSO Uji").click()
    expect(page.locator("input[name=login]")).to_be_visible()


def test_unknown_nip_is_refused_and_no_account_is_created(page: Page, site: str) -> None:
    MembershipFactory(user__username="orang.lain")
    users = get_user_model().objects.count()
    sign_in_at_provider(page, site, "asn.tanpa.akun")
    expect(page.get_by_role("heading", name="Akun portal untuk NIP ini belum ada")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Hubungi admin instansi Anda")
    expect(page.get_by_role("main")).to_contain_text(USERS["asn.tanpa.akun"]["nip"])
    expect(page.get_by_role("button", name="Keluar")).to_have_count(0)
    assert get_user_model().objects.count() == users


def test_deactivated_account_is_refused(page: Page, site: str) -> None:
    member = MembershipFactory(user__username="sudah.nonaktif", user__is_active=False)
    invite(member.user, USERS["asn.nonaktif"]["nip"], None)
    sign_in_at_provider(page, site, "asn.nonaktif")
    expect(page.get_by_role("heading", name="Akun portal Anda dinonaktifkan")).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_have_count(0)
