"""`Authorization: Token <key>` (or `Bearer <key>`) against the hashed API tokens."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from api import tokens
from assessment import access
from spbe_portal import formatting

SCHEMES = {b"token", b"bearer"}


class HashedTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in SCHEMES:
            return None  # not ours: the session (or nothing) decides
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization harus berbentuk 'Token <kunci>'."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token tidak valid.")) from None
        token = tokens.unrevoked_token(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Token tidak valid atau sudah dicabut."))
        if token.is_expired:
            when = formatting.wib(token.expires_at)  # "1 Desember 2026 14.05 WIB" / "... 14:05 WIB"
            raise exceptions.AuthenticationFailed(
                _("Token kedaluwarsa sejak %(when)s. Buat token baru di halaman Token API portal.") % {"when": when}
            )
        if not access.assessor_in_force(token.user):
            raise exceptions.AuthenticationFailed(_("Masa penugasan asesor untuk akun ini sudah berakhir."))
        return token.user, token

    def authenticate_header(self, _request: Request) -> str:
        # Makes an unauthenticated request a 401 (with this challenge) rather than a 403.
        return "Token"
