"""SSO sign-in against a real OpenID Provider (oidc-provider on 127.0.0.1), driven with Django's
test client for the portal and requests for the provider's own login page.

Known NIP signs in; unknown NIP and deactivated accounts are refused with no account created;
tampered state, a replayed code, a wrong nonce and a wrong PKCE verifier are all refused.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from assessment.models import Membership, Role
from sso.models import SsoIdentity
from sso.services import invite
from tests.factories import MembershipFactory, OpdFactory
from tests.oidc.provider import KEY, USERS, RunningProvider, sign_in_at_provider

pytestmark = pytest.mark.django_db
CALLBACK = f"http://testserver/sso/{KEY}/callback/"


@pytest.fixture
def known(sso_settings: Any) -> Membership:
    del sso_settings  # requested so SSO is configured
    opd = OpdFactory()
    member: Membership = MembershipFactory(instansi=opd.instansi, opd=opd, role=Role.OPD, user__username="opd.uji")
    invite(member.user, USERS["asn.dikenal"]["nip"], None)
    return member


def code_for(client: Client, login: str) -> str:
    """Start at the portal, sign in at the provider as `login`; the callback URL with the code."""
    start = client.get(f"/sso/{KEY}/masuk/")
    assert start.status_code == 302
    return sign_in_at_provider(start["Location"], login, CALLBACK)


def signed_in_user(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_known_nip_signs_in_to_the_existing_account_and_links_it(client: Client, known: Membership) -> None:
    before = timezone.now()
    response = client.get(code_for(client, "asn.dikenal"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user(client) == known.user.pk
    identity = SsoIdentity.objects.get(user=known.user)
    assert (identity.provider, identity.subject) == (KEY, "asn.dikenal")
    assert identity.linked_at is not None and identity.last_used_at is not None and identity.linked_at >= before
    # Claims never touched the portal's own data: same instansi, role and OPD.
    membership = Membership.objects.get(user=known.user)
    assert (membership.instansi_id, membership.role, membership.opd_id) == (known.instansi_id, Role.OPD, known.opd_id)
    assert client.get("/").status_code == 200


@pytest.mark.usefixtures("known")
def test_unknown_nip_is_refused_and_no_account_is_created(client: Client) -> None:
    users = get_user_model().objects.count()
    response = client.get(code_for(client, "asn.tanpa.akun"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Akun portal untuk NIP ini belum ada" in text and "admin instansi" in text
    assert USERS["asn.tanpa.akun"]["nip"] in text
    assert get_user_model().objects.count() == users and Membership.objects.count() == 1
    assert signed_in_user(client) is None


@pytest.mark.usefixtures("sso_settings")
def test_deactivated_account_is_refused(client: Client) -> None:
    member = MembershipFactory(user__username="nonaktif", user__is_active=False)
    invite(member.user, USERS["asn.nonaktif"]["nip"], None)
    response = client.get(code_for(client, "asn.nonaktif"))
    assert response.status_code == 403 and "dinonaktifkan" in response.content.decode()
    assert signed_in_user(client) is None
    assert SsoIdentity.objects.get(user=member.user).linked_at is None


def test_tampered_state_is_refused(client: Client, known: Membership) -> None:
    callback = code_for(client, "asn.dikenal")
    tampered = callback.replace("state=", "state=x")
    response = client.get(tampered)
    assert response.status_code == 400 and "Masuk dengan SSO gagal" in response.content.decode()
    assert signed_in_user(client) is None
    assert SsoIdentity.objects.get(user=known.user).linked_at is None


@pytest.mark.usefixtures("known")
def test_a_state_is_accepted_once(client: Client) -> None:
    callback = code_for(client, "asn.dikenal")
    assert client.get(callback).status_code == 302
    client.logout()
    assert client.get(callback).status_code == 400
    assert signed_in_user(client) is None


@pytest.mark.usefixtures("known")
def test_replayed_code_is_refused_by_the_provider(client: Client) -> None:
    first = code_for(client, "asn.dikenal")
    assert client.get(first).status_code == 302
    client.logout()
    # A fresh flow in this session: its state is valid, but the code is the one already used.
    second = code_for(client, "asn.dikenal")
    fresh_state = second.split("state=")[1].split("&")[0]
    old_code = first.split("code=")[1].split("&")[0]
    response = client.get(f"{CALLBACK}?code={old_code}&state={fresh_state}")
    assert response.status_code == 400
    assert signed_in_user(client) is None


def _tamper_flow(client: Client, callback: str, field: str, value: object) -> None:
    state = callback.split("state=")[1].split("&")[0]
    session = client.session
    session["oidc_states"][state][field] = value
    session.save()


def test_wrong_nonce_is_refused(client: Client, known: Membership) -> None:
    callback = code_for(client, "asn.dikenal")
    _tamper_flow(client, callback, "nonce", "nonce-lain")
    response = client.get(callback)
    assert response.status_code == 400
    assert signed_in_user(client) is None
    assert SsoIdentity.objects.get(user=known.user).linked_at is None


@pytest.mark.usefixtures("known")
def test_wrong_pkce_verifier_is_refused_by_the_provider(client: Client) -> None:
    callback = code_for(client, "asn.dikenal")
    _tamper_flow(client, callback, "code_verifier", "v" * 64)
    assert client.get(callback).status_code == 400
    assert signed_in_user(client) is None


@pytest.mark.usefixtures("known")
def test_the_authorization_request_carries_state_nonce_and_s256_challenge(client: Client) -> None:
    location = client.get(f"/sso/{KEY}/masuk/")["Location"]
    for part in ("state=", "nonce=", "code_challenge=", "code_challenge_method=S256", "response_type=code"):
        assert part in location


@pytest.mark.usefixtures("known")
def test_callback_of_another_provider_key_is_refused(
    client: Client, oidc_provider: RunningProvider, settings: Any
) -> None:
    settings.SSO_PROVIDERS = {KEY: oidc_provider.settings(), "kedua": oidc_provider.settings("Kedua")}
    callback = code_for(client, "asn.dikenal")
    response = client.get(callback.replace(f"/sso/{KEY}/", "/sso/kedua/"))
    assert response.status_code == 400
    assert signed_in_user(client) is None


def test_a_nip_linked_to_another_subject_is_refused(client: Client, known: Membership) -> None:
    assert client.get(code_for(client, "asn.dikenal")).status_code == 302
    client.logout()
    # Another provider account now claims the same NIP: refused until an admin looks.
    response = client.get(code_for(client, "asn.lain"))
    assert response.status_code == 403
    assert signed_in_user(client) is None
    assert SsoIdentity.objects.get(user=known.user).subject == "asn.dikenal"


def test_a_session_signed_in_through_sso_ends_when_the_account_is_deactivated(
    client: Client, known: Membership
) -> None:
    client.get(code_for(client, "asn.dikenal"))
    assert client.get("/").status_code == 200
    get_user_model().objects.filter(pk=known.user.pk).update(is_active=False)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.usefixtures("known")
def test_an_attempt_left_open_too_long_is_refused(client: Client) -> None:
    callback = code_for(client, "asn.dikenal")
    _tamper_flow(client, callback, "added_on", 0)
    assert client.get(callback).status_code == 400
    assert signed_in_user(client) is None


@pytest.mark.usefixtures("sso_settings")
def test_an_invited_nip_gets_the_account_the_invitation_describes(client: Client) -> None:
    from sso.models import SsoInvitation

    opd = OpdFactory()
    nip = USERS["asn.tanpa.akun"]["nip"]
    invitation = SsoInvitation.objects.create(nip=nip, instansi=opd.instansi, role=Role.OPD, opd=opd)
    response = client.get(code_for(client, "asn.tanpa.akun"))
    assert response.status_code == 302
    user = get_user_model().objects.get(username=nip)
    assert signed_in_user(client) == user.pk and not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.instansi_id, membership.role, membership.opd_id) == (opd.instansi_id, Role.OPD, opd.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_by_id == user.pk and invitation.accepted_at is not None
    assert SsoIdentity.objects.get(user=user).subject == "asn.tanpa.akun"
    # The second sign-in finds the account; the invitation is spent and creates nothing more.
    client.logout()
    users = get_user_model().objects.count()
    assert client.get(code_for(client, "asn.tanpa.akun")).status_code == 302
    assert get_user_model().objects.count() == users and signed_in_user(client) == user.pk


@pytest.mark.usefixtures("sso_settings")
def test_a_spent_invitation_does_not_recreate_an_unlinked_account(client: Client) -> None:
    from sso.models import SsoInvitation
    from sso.services import unlink

    opd = OpdFactory()
    nip = USERS["asn.tanpa.akun"]["nip"]
    SsoInvitation.objects.create(nip=nip, instansi=opd.instansi, role=Role.SEKDA)
    client.get(code_for(client, "asn.tanpa.akun"))
    client.logout()
    unlink(SsoIdentity.objects.get(nip=nip))
    users = get_user_model().objects.count()
    assert client.get(code_for(client, "asn.tanpa.akun")).status_code == 403
    assert get_user_model().objects.count() == users
