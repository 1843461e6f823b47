"""Optional TOTP second factor for reviewers and admins: enrol, log in with a code, disable, reset."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP  # type: ignore[import-untyped]
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]

from assessment.models import Membership
from tests.factories import PASSWORD
from tests.world import World
from twofactor import services
from twofactor.models import RecoveryCode

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice) -> str:
    """The code the phone shows now. Each code works once, so a test using two marks the step as
    unused first, as if the next 30-second window had come."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time()
    return f"{totp.token():06d}"


def enrol(client: Client, world: World, role: str = "verifikator") -> TOTPDevice:
    client.force_login(world.a.users[role])
    page = client.get(reverse("twofactor:setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=world.a.users[role])
    assert "<svg" in page.content.decode() and "otpauth://totp/" in page.content.decode()
    response = client.post(reverse("twofactor:setup"), {"code": code(device)})
    assert response.status_code == 302
    client.logout()
    return TOTPDevice.objects.get(pk=device.pk)


def password_step(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_reviewer_enrols_by_confirming_a_code(client: Client, world: World) -> None:
    device = enrol(client, world)
    assert device.confirmed
    assert "Portal%20SPBE" in device.config_url


def test_enrolment_needs_the_right_code(client: Client, world: World) -> None:
    client.force_login(world.a.users["verifikator"])
    client.get(reverse("twofactor:setup"))
    response = client.post(reverse("twofactor:setup"), {"code": "000000"})
    assert "Kode salah atau sudah dipakai" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_login_then_asks_for_the_code_before_any_session_exists(client: Client, world: World) -> None:
    device = enrol(client, world)
    response = password_step(client, "verifikator.a")
    assert response.status_code == 302 and response["Location"] == reverse("twofactor:verify")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("assessment:review-queue")).status_code == 302  # still anonymous
    response = client.post(reverse("twofactor:verify"), {"code": code(device)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.a.users["verifikator"].pk)
    assert client.get(reverse("assessment:review-queue")).status_code == 200


def test_a_wrong_code_is_refused_in_indonesian(client: Client, world: World) -> None:
    enrol(client, world)
    password_step(client, "verifikator.a")
    response = client.post(reverse("twofactor:verify"), {"code": "123456"})
    assert response.status_code == 200
    assert "Kode salah atau sudah dipakai" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "6 angka" in client.post(reverse("twofactor:verify"), {"code": "abc"}).content.decode()


def test_the_code_step_cannot_be_reached_without_the_password(client: Client, world: World) -> None:
    device = enrol(client, world)
    response = client.post(reverse("twofactor:verify"), {"code": code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_code_step_expires_after_five_minutes(client: Client, world: World) -> None:
    device = enrol(client, world)
    password_step(client, "verifikator.a")
    session = client.session
    session["twofactor_pending"]["at"] -= 301
    session.save()
    response = client.post(reverse("twofactor:verify"), {"code": code(device)})
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_wrong_codes_count_toward_the_lockout_like_wrong_passwords(client: Client, world: World) -> None:
    enrol(client, world)
    password_step(client, "verifikator.a")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("twofactor:verify"), {"code": "000000"})
    response = client.post(reverse("twofactor:verify"), {"code": "000000"})
    assert response.status_code == 429
    assert AccessAttempt.objects.get().username == "verifikator.a"
    # The right password is now refused too, from this address.
    assert password_step(client, "verifikator.a").status_code == 429


def test_wrong_passwords_are_still_counted_for_enrolled_users(client: Client, world: World) -> None:
    enrol(client, world)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = password_step(client, "verifikator.a", "bukan-kata-sandinya")
    assert response.status_code == 429


def test_other_roles_log_in_with_the_password_alone_and_cannot_enrol(client: Client, world: World) -> None:
    enrol(client, world)  # a reviewer's device changes nothing for others
    response = password_step(client, "opd.bkpsdm.a")
    assert response.status_code == 302 and response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.session["_auth_user_id"] == str(world.a.users["opd.bkpsdm"].pk)
    assert client.get(reverse("twofactor:setup")).status_code == 403
    assert not TOTPDevice.objects.filter(user=world.a.users["opd.bkpsdm"]).exists()


def test_disabling_needs_a_current_code(client: Client, world: World) -> None:
    device = enrol(client, world)
    client.force_login(world.a.users["verifikator"])
    response = client.post(reverse("twofactor:setup"), {"code": "000000"})
    assert "Kode salah atau sudah dipakai" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    # Right after a wrong code django-otp refuses even a right one for a second, and says so.
    response = client.post(reverse("twofactor:setup"), {"code": code(device)})
    assert "Tunggu beberapa detik" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    TOTPDevice.objects.filter(pk=device.pk).update(  # as if two seconds had passed
        throttling_failure_timestamp=F("throttling_failure_timestamp") - timedelta(seconds=2)
    )
    client.post(reverse("twofactor:setup"), {"code": code(device)})
    assert not TOTPDevice.objects.exists()
    client.logout()
    assert password_step(client, "verifikator.a")["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_the_admin_resets_a_lost_phone(client: Client, world: World) -> None:
    enrol(client, world)
    client.force_login(world.a.users["admin"])
    member = Membership.objects.get(user=world.a.users["verifikator"])
    page = client.get(reverse("assessment:manage-user", args=[member.pk])).content.decode()
    assert "Reset verifikasi dua langkah" in page
    response = client.post(reverse("twofactor:reset", args=[member.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists()


def test_an_admin_of_another_instansi_cannot_reset(client: Client, world: World) -> None:
    enrol(client, world)
    client.force_login(world.b.users["admin"])
    member = Membership.objects.get(user=world.a.users["verifikator"])
    assert client.post(reverse("twofactor:reset", args=[member.pk])).status_code == 404
    assert TOTPDevice.objects.filter(confirmed=True).exists()


def test_the_admin_sites_login_cannot_skip_the_code(client: Client, world: World) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next=/admin/"
    user = world.a.users["admin"]
    user.is_staff = True
    user.save()
    enrol(client, world, "admin")
    client.post("/admin/login/?next=/admin/", {"username": "admin.a", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


# --- Recovery codes ---------------------------------------------------------------------------


def enrol_with_codes(client: Client, world: World) -> tuple[TOTPDevice, list[str]]:
    """Enrol, then read the ten codes from the one page that shows them."""
    client.force_login(world.a.users["verifikator"])
    client.get(reverse("twofactor:setup"))
    device = TOTPDevice.objects.get(user=world.a.users["verifikator"])
    client.post(reverse("twofactor:setup"), {"code": code(device)})
    page = client.get(reverse("twofactor:setup")).content.decode()
    codes = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", page)
    client.logout()
    return device, codes


def test_enrolment_shows_ten_recovery_codes_once_and_stores_only_digests(client: Client, world: World) -> None:
    _, codes = enrol_with_codes(client, world)
    assert len(codes) == 10 and len(set(codes)) == 10
    rows = RecoveryCode.objects.filter(user=world.a.users["verifikator"])
    assert rows.count() == 10
    assert not {row.digest for row in rows} & set(codes)
    client.force_login(world.a.users["verifikator"])
    page = client.get(reverse("twofactor:setup")).content.decode()
    assert not any(c in page for c in codes)  # never shown again
    assert "10 kode pemulihan belum dipakai" in page


def test_each_recovery_code_signs_in_once_and_its_use_is_recorded(client: Client, world: World) -> None:
    _, codes = enrol_with_codes(client, world)
    password_step(client, "verifikator.a")
    response = client.post(reverse("twofactor:verify"), {"code": codes[3].upper()}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.a.users["verifikator"].pk)
    used = RecoveryCode.objects.get(used_at__isnull=False)
    assert used.used_from == "10.1.2.3"
    page = client.get(reverse("twofactor:setup")).content.decode()
    assert "9 kode pemulihan belum dipakai" in page and "dari alamat 10.1.2.3" in page
    client.logout()
    password_step(client, "verifikator.a")
    again = client.post(reverse("twofactor:verify"), {"code": codes[3]})
    assert again.status_code == 200 and "Kode salah atau sudah dipakai" in again.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.post(reverse("twofactor:verify"), {"code": codes[4]}).status_code == 302  # another one works


def test_regenerating_needs_a_current_code_and_voids_the_unused_codes(client: Client, world: World) -> None:
    device, codes = enrol_with_codes(client, world)
    client.force_login(world.a.users["verifikator"])
    client.post(reverse("twofactor:recovery-codes"), {"r-code": code(device)})
    fresh = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", client.get(reverse("twofactor:setup")).content.decode())
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    refused = client.post(reverse("twofactor:recovery-codes"), {"r-code": "000000"}, follow=True)
    assert "Kode salah atau sudah dipakai" in refused.content.decode()
    assert RecoveryCode.objects.filter(used_at=None).count() == 10  # a wrong code changes nothing
    client.logout()
    password_step(client, "verifikator.a")
    assert client.post(reverse("twofactor:verify"), {"code": codes[0]}).status_code == 200  # old: refused
    assert client.post(reverse("twofactor:verify"), {"code": fresh[0]}).status_code == 302


def test_a_recovery_code_does_not_work_once_two_factor_is_reset(client: Client, world: World) -> None:
    _, codes = enrol_with_codes(client, world)
    client.force_login(world.a.users["admin"])
    member = Membership.objects.get(user=world.a.users["verifikator"])
    client.post(reverse("twofactor:reset", args=[member.pk]))
    assert not RecoveryCode.objects.filter(used_at=None).exists()
    assert not services.use_recovery_code(world.a.users["verifikator"], codes[0], None)
