from __future__ import annotations

from datetime import timedelta

from django import template
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.timesince import timeuntil

from twofactor import services

register = template.Library()


@register.simple_tag
def twofactor_active(user: AbstractBaseUser) -> bool:
    return services.confirmed_device(user) is not None


@register.filter
def duration_words(delta: timedelta | None) -> str:
    """A lockout's length as people say it ("15 menit", "1 jam"), not ISO 8601 ("PT15M")."""
    if not isinstance(delta, timedelta):
        return ""
    now = timezone.now()
    return timeuntil(now + delta, now)
