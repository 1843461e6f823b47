from __future__ import annotations

from django import template
from django.contrib.auth.models import AbstractBaseUser

from twofactor import services

register = template.Library()


@register.simple_tag
def twofactor_active(user: AbstractBaseUser) -> bool:
    return services.confirmed_device(user) is not None
