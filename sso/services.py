"""Use cases of single sign-on: who a verified NIP signs in as, and unlinking.

The portal's own data decides everything: the account a NIP belongs to, whether it is active,
its instansi, role and OPD. A provider's claims only say who the person is.
"""

from __future__ import annotations

import enum
import re
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessment.models import Membership
from sso.models import NIP_PATTERN, SsoIdentity, SsoInvitation
from sso.providers import Provider


class Refusal(enum.Enum):
    UNKNOWN_NIP = "unknown"  # no account has this NIP: no account is created
    INACTIVE = "inactive"  # the account is deactivated
    FAILED = "failed"  # the protocol did not hold (state, code, nonce, signature, claims)


class RefusedError(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def nip_from_claims(provider: Provider, claims: dict[str, Any]) -> str:
    """The NIP in the provider's claim, without the spaces some systems print it with."""
    nip = re.sub(r"\s", "", str(claims.get(provider.nip_claim) or ""))
    if not re.fullmatch(NIP_PATTERN, nip):
        raise RefusedError(Refusal.UNKNOWN_NIP)
    return nip


@transaction.atomic
def sign_in(provider: Provider, subject: str, claims: dict[str, Any]) -> User:
    """The active portal account whose NIP the provider vouches for, linked and stamped."""
    nip = nip_from_claims(provider, claims)
    identity = SsoIdentity.objects.select_for_update().select_related("user").filter(nip=nip).first()
    if identity is None:
        identity = _accept_invitation(nip)
    if not identity.user.is_active:
        raise RefusedError(Refusal.INACTIVE)
    if identity.linked and identity.provider == provider.key and identity.subject != subject:
        # The same provider now names another person for this NIP: an admin must look first.
        raise RefusedError(Refusal.UNKNOWN_NIP)
    now = timezone.now()
    if not identity.linked or identity.provider != provider.key:
        identity.provider, identity.subject, identity.linked_at = provider.key, subject, now
    identity.last_used_at = now
    identity.save()
    return identity.user


def _accept_invitation(nip: str) -> SsoIdentity:
    """The account an admin's open invitation for this NIP describes, created now; else refused.
    Instansi, role and OPD come from the invitation, the user name is the NIP, no password."""
    invitation = SsoInvitation.objects.select_for_update().filter(nip=nip, accepted_by__isnull=True).first()
    if invitation is None or User.objects.filter(username=nip).exists():
        raise RefusedError(Refusal.UNKNOWN_NIP)
    user = User.objects.create_user(username=nip)  # an unusable password: SSO only, until one is set
    Membership.objects.create(user=user, instansi=invitation.instansi, role=invitation.role, opd=invitation.opd)
    invitation.accepted_by, invitation.accepted_at = user, timezone.now()
    invitation.save()
    return SsoIdentity.objects.create(user=user, nip=nip, invited_by=invitation.invited_by)


@transaction.atomic
def unlink(identity: SsoIdentity) -> None:
    """Forget the NIP and the link: the account signs in with its password only until an admin
    records the NIP again (keeping the NIP would link it again at the next SSO sign-in)."""
    identity.delete()


@transaction.atomic
def invite(user: User, nip: str, by: User | None) -> SsoIdentity:
    """Record the NIP of an existing account, so that its owner may sign in through SSO."""
    identity = SsoIdentity(user=user, nip=nip, invited_by=by)
    identity.full_clean()
    identity.save()
    return identity


@transaction.atomic
def set_nip(user: User, nip: str, by: User | None) -> SsoIdentity:
    """Record or change an account's NIP. A changed NIP drops the old link: the next SSO sign-in
    links afresh. Raises ValidationError for a malformed NIP or one another account has."""
    identity = SsoIdentity.objects.select_for_update().filter(user=user).first()
    if identity is None:
        return invite(user, nip, by)
    if identity.nip != nip:
        identity.nip, identity.invited_by = nip, by
        identity.provider, identity.subject, identity.linked_at, identity.last_used_at = "", "", None, None
        identity.full_clean()
        identity.save()
    return identity
