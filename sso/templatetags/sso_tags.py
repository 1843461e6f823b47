from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import User

from sso import providers
from sso.models import SsoIdentity

register = template.Library()


@register.inclusion_tag("sso/buttons.html")
def sso_buttons(next_url: str = "") -> dict[str, Any]:
    """One button per configured provider, beside the password form of the login page."""
    return {"providers": providers.configured(), "next": next_url}


@register.simple_tag
def sso_identity(user: User) -> SsoIdentity | None:
    return SsoIdentity.objects.filter(user=user).first()
