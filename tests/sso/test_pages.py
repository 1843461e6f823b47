"""The SSO pages around the protocol: login buttons, refusals, logout, the second step, the
admin's view and unlink action, and configuration from the environment (SIASN preset)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]

from assessment.models import Membership, Role
from sso.models import SsoIdentity
from sso.services import invite
from tests.factories import MembershipFactory, UserFactory
from tests.oidc.provider import KEY, USERS, RunningProvider, sign_in_at_provider
from tests.portal.test_settings import manage

pytestmark = pytest.mark.django_db
CALLBACK = f"http://testserver/sso/{KEY}/callback/"


@pytest.fixture
def known(sso_settings: Any) -> Membership:
    del sso_settings  # requested so SSO is configured
    member: Membership = MembershipFactory(role=Role.SEKDA, user__username="sekda.sso")
    invite(member.user, USERS["asn.dikenal"]["nip"], None)
    return member


def sso_sign_in(client: Client, login: str = "asn.dikenal") -> Any:
    start = client.get(f"/sso/{KEY}/masuk/?next=/kelola/")
    return client.get(sign_in_at_provider(start["Location"], login, CALLBACK))


def test_the_login_page_has_one_button_per_provider_and_keeps_the_password_form(
    client: Client, oidc_provider: RunningProvider, settings: Any
) -> None:
    settings.SSO_PROVIDERS = {"siasn": oidc_provider.settings("SSO SIASN (BKN)"),
                              "kominfo": oidc_provider.settings("Keycloak Diskominfo")}  # fmt: skip
    text = client.get("/accounts/login/?next=/kelola/").content.decode()
    assert 'href="/sso/siasn/masuk/?next=/kelola/"' in text and "Masuk dengan SSO SIASN (BKN)" in text
    assert 'href="/sso/kominfo/masuk/?next=/kelola/"' in text and "Masuk dengan Keycloak Diskominfo" in text
    assert 'name="password"' in text


def test_without_providers_the_login_page_has_no_sso_section(client: Client, settings: Any) -> None:
    settings.SSO_PROVIDERS = {}
    assert "Masuk dengan" not in client.get("/accounts/login/").content.decode()


@pytest.mark.usefixtures("sso_settings")
def test_an_unknown_provider_key_is_404(client: Client) -> None:
    assert client.get("/sso/tidakada/masuk/").status_code == 404
    assert client.get("/sso/tidakada/callback/?code=x&state=y").status_code == 404


def test_an_unreachable_provider_answers_an_indonesian_page(client: Client, oidc_provider: RunningProvider,
                                                            settings: Any) -> None:  # fmt: skip
    conf = {**oidc_provider.settings(), "issuer": "http://127.0.0.1:9"}  # nothing listens on port 9
    settings.SSO_PROVIDERS = {KEY: conf}
    response = client.get(f"/sso/{KEY}/masuk/")
    assert response.status_code == 503 and "Layanan SSO tidak dapat dihubungi" in response.content.decode()


@pytest.mark.usefixtures("known")
def test_sign_in_follows_next_and_a_foreign_next_is_dropped(client: Client) -> None:
    assert sso_sign_in(client)["Location"] == "/kelola/"
    client.logout()
    start = client.get(f"/sso/{KEY}/masuk/?next=https://evil.example/")
    response = client.get(sign_in_at_provider(start["Location"], "asn.dikenal", CALLBACK))
    assert response["Location"] == "/"


@pytest.mark.usefixtures("known")
def test_logout_after_sso_ends_the_provider_session_too(client: Client,
                                                        oidc_provider: RunningProvider) -> None:  # fmt: skip
    sso_sign_in(client)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{oidc_provider.issuer}/session/end?id_token_hint=")
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Faccounts%2Flogin%2F" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_logout_after_a_password_login_stays_in_the_portal(client: Client, known: Membership) -> None:
    client.force_login(known.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("sso_settings")
def test_sso_does_not_skip_the_second_step(client: Client) -> None:
    member = MembershipFactory(role=Role.VERIFIKATOR, user__username="verif.sso")
    invite(member.user, USERS["asn.dikenal"]["nip"], None)
    TOTPDevice.objects.create(user=member.user, name="default", confirmed=True)
    response = sso_sign_in(client)
    assert response["Location"] == "/akun/masuk/kode/"
    assert "_auth_user_id" not in client.session


def test_admin_sees_link_state_and_unlinks(client: Client, known: Membership) -> None:
    sso_sign_in(client)
    client.logout()
    admin = UserFactory(username="operator", is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/sso/ssoidentity/").content.decode()
    assert "sekda.sso" in listing and USERS["asn.dikenal"]["nip"] in listing and "icon-yes" in listing
    identity = SsoIdentity.objects.get(user=known.user)
    response = client.post("/admin/sso/ssoidentity/",
                           {"action": "unlink", "_selected_action": [identity.pk]})  # fmt: skip
    assert response.status_code == 302
    assert not SsoIdentity.objects.filter(user=known.user).exists()
    client.logout()
    # Unlinked: the same person is now refused until an admin records the NIP again.
    assert sso_sign_in(client).status_code == 403


@pytest.mark.usefixtures("known")
def test_invite_refuses_a_malformed_or_taken_nip() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        invite(UserFactory(), "12345", None)
    with pytest.raises(ValidationError):
        invite(UserFactory(), USERS["asn.dikenal"]["nip"], None)
    assert get_user_model().objects.filter(sso_identity__isnull=False).count() == 1


PROBE = "from django.conf import settings as s; import json; print(json.dumps([s.SSO_PROVIDERS, " \
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]))"  # fmt: skip


def test_providers_come_from_the_environment_with_the_siasn_preset() -> None:
    run = manage("shell", "--no-imports", "-c", PROBE, DEBUG="1", OIDC_PROVIDERS="siasn,kominfo",
                 OIDC_SIASN_PRESET="siasn", OIDC_SIASN_CLIENT_ID="portal-spbe", OIDC_SIASN_CLIENT_SECRET="r",
                 OIDC_KOMINFO_ISSUER="https://sso.kominfo.example.go.id/realms/pemda/",
                 OIDC_KOMINFO_CLIENT_ID="spbe", OIDC_KOMINFO_CLIENT_SECRET="s", OIDC_KOMINFO_NIP_CLAIM="nip_asn",
                 OIDC_KOMINFO_LABEL="SSO Pemda")  # fmt: skip
    assert run.returncode == 0, run.stderr
    providers, form_action = json.loads(run.stdout)
    assert list(providers) == ["siasn", "kominfo"]
    siasn = providers["siasn"]
    assert siasn["issuer"] == "https://sso-siasn.bkn.go.id/auth/realms/public-siasn"
    assert (siasn["nip_claim"], siasn["scopes"], siasn["label"]) == ("preferred_username", "openid profile",
                                                                     "SSO SIASN (BKN)")  # fmt: skip
    kominfo = providers["kominfo"]
    assert (kominfo["issuer"], kominfo["nip_claim"], kominfo["label"]) == (
        "https://sso.kominfo.example.go.id/realms/pemda", "nip_asn", "SSO Pemda")  # fmt: skip
    assert form_action == ["'self'", "https://sso-siasn.bkn.go.id", "https://sso.kominfo.example.go.id"]


def test_a_provider_without_its_secret_refuses_to_start() -> None:
    run = manage("check", DEBUG="1", OIDC_PROVIDERS="siasn", OIDC_SIASN_PRESET="siasn", OIDC_SIASN_CLIENT_ID="x")
    assert run.returncode != 0 and "OIDC_SIASN_CLIENT_SECRET is not set" in run.stderr


def test_refusal_pages_switch_to_english(client: Client, oidc_provider: RunningProvider, settings: Any) -> None:
    settings.SSO_PROVIDERS = {KEY: {**oidc_provider.settings(), "issuer": "http://127.0.0.1:9"}}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "The SSO service cannot be reached" in client.get(f"/sso/{KEY}/masuk/").content.decode()


def test_sso_demo_records_the_provider_demo_nips_on_the_demo_accounts() -> None:
    from django.core.management import call_command

    from sso.management.commands.sso_demo import DEMO_NIPS

    for username in DEMO_NIPS:
        UserFactory(username=username)
    call_command("sso_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("sso_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115  (safe to rerun)
    assert dict(SsoIdentity.objects.values_list("user__username", "nip")) == DEMO_NIPS
    provider_script = (Path(__file__).parents[1] / "oidc" / "provider.mjs").read_text()
    for nip in DEMO_NIPS.values():
        assert nip in provider_script


@pytest.mark.usefixtures("sso_settings")
def test_discovery_is_fetched_once_and_cached(client: Client,
                                             oidc_provider: RunningProvider) -> None:  # fmt: skip
    from django.core.cache import cache

    key = f"sso:discovery:{oidc_provider.issuer}"
    cache.delete(key)
    client.get(f"/sso/{KEY}/masuk/")
    cached = cache.get(key)
    assert cached["authorization_endpoint"] == f"{oidc_provider.issuer}/auth"
    assert cached["end_session_endpoint"] == f"{oidc_provider.issuer}/session/end"


def test_explicit_endpoints_work_without_discovery(client: Client, oidc_provider: RunningProvider,
                                                   settings: Any) -> None:  # fmt: skip
    import requests

    document = requests.get(f"{oidc_provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    # The issuer's own address answers nothing here: only the explicit endpoints can be used.
    conf = {**oidc_provider.settings(), **{name: document[name] for name in (
        "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint")}}  # fmt: skip
    settings.SSO_PROVIDERS = {KEY: {**conf, "issuer": oidc_provider.issuer}}
    from django.core.cache import cache

    cache.set(f"sso:discovery:{oidc_provider.issuer}", {"authorization_endpoint": "http://127.0.0.1:9/x"})
    member = MembershipFactory(user__username="eksplisit")
    invite(member.user, USERS["asn.dikenal"]["nip"], None)
    try:
        response = sso_sign_in(client)
    finally:
        cache.delete(f"sso:discovery:{oidc_provider.issuer}")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(member.user.pk)


def test_an_invitation_follows_the_membership_rule_for_opds() -> None:
    from django.core.exceptions import ValidationError

    from sso.models import SsoInvitation
    from tests.factories import OpdFactory

    opd, elsewhere = OpdFactory(), OpdFactory()
    with pytest.raises(ValidationError):
        SsoInvitation(nip="199001012015031001", instansi=opd.instansi, role=Role.OPD).full_clean()
    with pytest.raises(ValidationError):
        SsoInvitation(nip="199001012015031001", instansi=opd.instansi, role=Role.OPD, opd=elsewhere).full_clean()
    SsoInvitation(nip="199001012015031001", instansi=opd.instansi, role=Role.OPD, opd=opd).full_clean()
