"""Creating, finding and revoking API tokens (the use cases behind the token page and command)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken

KEY_PREFIX = "spbe_"
PREFIX_SHOWN = len(KEY_PREFIX) + 6
DEFAULT_DAYS = 90
LIFETIME_CHOICES = (30, 90, 180, 365)  # days; the token page offers these
# last_used_at is written at most this often, so a busy integration does not write per request.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once to the owner, never stored


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue(user: AbstractBaseUser, name: str, days: int = DEFAULT_DAYS) -> IssuedToken:
    if days < 1:
        raise ValueError("a token lives at least one day")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user_id=user.pk,
        name=name.strip()[:80],
        prefix=key[:PREFIX_SHOWN],
        digest=digest(key),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return IssuedToken(token, key)


def unrevoked_token(key: str) -> ApiToken | None:
    """The token with this key (its user loaded) unless revoked or unknown; it may have expired,
    which the caller tells the client. Its last use is recorded only while it is valid."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(key), revoked_at=None).first()
    if token is None or token.is_expired:
        return token
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def revoke(token: ApiToken) -> ApiToken:
    """Revoked at once for every later request; the row stays as a record."""
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token
