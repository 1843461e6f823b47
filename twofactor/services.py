"""Optional TOTP second factor for reviewers and admins, on django-otp's TOTP devices.

A user has at most one device. It is created unconfirmed when enrolment starts and counts only
once the user has typed a code from it; until then the login asks for the password alone.
Confirming it issues ten single-use recovery codes, shown once (`RecoveryCode`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import segno
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]

from assessment.access import membership_of
from assessment.capabilities import Capabilities
from twofactor.models import RecoveryCode

DEVICE_NAME = "Aplikasi autentikator"


def eligible(user: object) -> bool:
    return Capabilities.of(membership_of(user)).second_factor


def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


@transaction.atomic
def enrolment_device(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed device being set up (one per user; a fresh secret only when none exists)."""
    device = TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm(user: AbstractBaseUser, code: str) -> bool:
    device = TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=False).first()
    if device is None or not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def check(user: AbstractBaseUser, code: str) -> bool:
    """Whether `code` is valid now for the user's confirmed device (each code works once)."""
    device = confirmed_device(user)
    return device is not None and bool(device.verify_token(code))


def throttled(user: AbstractBaseUser) -> bool:
    """django-otp refuses every code for 2^(n-1) seconds after n wrong ones, even a right one."""
    device = TOTPDevice.objects.filter(user_id=user.pk).order_by("-confirmed").first()
    return device is not None and not device.verify_is_allowed()[0]


@transaction.atomic
def disable(user: AbstractBaseUser, code: str) -> bool:
    """Turn the second factor off; it takes a valid code, so a borrowed session cannot do it."""
    if not check(user, code):
        return False
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    RecoveryCode.objects.filter(user_id=user.pk, used_at=None).delete()
    return True


def reset(user: AbstractBaseUser) -> int:
    """The admin's way out for a lost phone: remove every device; the next login is password only."""
    deleted, _ = TOTPDevice.objects.filter(user_id=user.pk).delete()
    RecoveryCode.objects.filter(user_id=user.pk, used_at=None).delete()
    return int(deleted)


def secret_base32(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// URI as an inline SVG QR code (drawn with attributes only: CSP-safe)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title="Kode QR")
    return mark_safe(svg)  # noqa: S308  (segno's own markup; the URI is encoded as modules, not text)


# --- Recovery codes -------------------------------------------------------------------------
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper and typed again


def _normalised(code: str) -> str:
    return "".join(code.lower().split()).replace("-", "")


def _digest(code: str) -> str:
    return hashlib.sha256(_normalised(code).encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    plain = _normalised(code)
    return len(plain) == 10 and all(ch in RECOVERY_ALPHABET for ch in plain)


@transaction.atomic
def issue_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Ten new codes, returned once in plain text; the unused old ones stop working, used ones stay
    as the record of their use."""
    RecoveryCode.objects.filter(user_id=user.pk, used_at=None).delete()
    codes = []
    for _ in range(RECOVERY_CODES):
        plain = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{plain[:5]}-{plain[5:]}")
    RecoveryCode.objects.bulk_create(RecoveryCode(user_id=user.pk, digest=_digest(code)) for code in codes)
    return codes


@transaction.atomic
def use_recovery_code(user: AbstractBaseUser, code: str, address: str | None) -> bool:
    """Whether `code` is one of the user's unused codes; it is spent (time and address recorded)."""
    if confirmed_device(user) is None or not looks_like_recovery_code(code):
        return False
    row = RecoveryCode.objects.select_for_update().filter(user_id=user.pk, digest=_digest(code), used_at=None).first()
    if row is None:
        return False
    row.used_at = timezone.now()
    row.used_from = address
    row.save(update_fields=["used_at", "used_from"])
    return True


@dataclass(frozen=True)
class RecoveryState:
    left: int
    used: list[RecoveryCode]


def recovery_state(user: AbstractBaseUser) -> RecoveryState:
    rows = list(RecoveryCode.objects.filter(user_id=user.pk))
    return RecoveryState(
        left=sum(1 for row in rows if row.used_at is None),
        used=sorted((row for row in rows if row.used_at), key=lambda row: row.used_at or row.created_at),
    )
