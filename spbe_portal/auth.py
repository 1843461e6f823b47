"""Login: the form, the client address that lockouts are keyed on, and the password length cap."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms import CharField
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class LoginForm(AuthenticationForm):
    # Django's own Indonesian text repeats the field name ("nama pengguna nama pengguna").
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Nama pengguna atau kata sandi salah. Periksa kembali; huruf besar dan kecil dibedakan."
        ),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["password"].label = gettext_lazy("Kata sandi")
        # Django sets the username's max_length after the field is built, so only the HTML
        # attribute says it: a longer name reached authenticate(), and django-axes' record of the
        # failure (varchar 255) ended in a 500 on PostgreSQL. The field now refuses it itself.
        username = self.fields["username"]
        if isinstance(username, CharField) and username.max_length:
            username.validators.append(MaxLengthValidator(username.max_length))


def client_ip(request: HttpRequest) -> str:
    """The address of the browser, as far as the proxies we run can vouch for it.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so with N of them the
    client is the N-th entry from the right; everything left of it was written by the client and
    is ignored. Without a configured proxy the header is not read at all: anyone can send one,
    and trusting it would let an attacker pick a fresh "address" for every guess.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
    if len(hops) < count:  # the request did not come through all our proxies
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class MaximumLengthValidator:
    """Refuse passwords longer than `max_length` characters (ASVS 6.2.9 asks to allow at least 64).

    A cap keeps hashing cost bounded; it is the only rule besides the minimum length and the
    common-password list, since composition rules make passwords weaker in practice (NIST 800-63B).
    """

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, _user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("Kata sandi terlalu panjang: paling banyak %(max_length)d karakter."),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return _("Kata sandi paling banyak %(max_length)d karakter.") % {"max_length": self.max_length}
