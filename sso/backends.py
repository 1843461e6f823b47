"""The authorization-code exchange and ID token checks, per provider, on mozilla-django-oidc.

mozilla-django-oidc reads one provider from settings; this subclass is configured with one of
ours instead, and adds the checks the library leaves out: the ID token's issuer and audience.
It is listed in AUTHENTICATION_BACKENDS only so that a signed-in session finds its user again;
Django's authenticate() never reaches it (sso.views calls it with the provider).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from sso.providers import TIMEOUT_SECONDS, Provider


class OidcBackend(OIDCAuthenticationBackend):
    def __init__(self, provider: Provider | None = None, endpoints: dict[str, str] | None = None) -> None:
        # The library's __init__ reads single-provider settings; ours come from the provider.
        self.UserModel = get_user_model()
        self.provider = provider
        if provider is not None and endpoints is not None:
            self.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
            self.OIDC_OP_USER_ENDPOINT = endpoints["userinfo_endpoint"]
            self.OIDC_OP_JWKS_ENDPOINT = endpoints["jwks_uri"]
            self.OIDC_RP_CLIENT_ID = provider.client_id
            self.OIDC_RP_CLIENT_SECRET = provider.client_secret
            self.OIDC_RP_SIGN_ALGO = provider.sign_algo
            self.OIDC_RP_IDP_SIGN_KEY = None

    def _configured(self) -> Provider:
        if self.provider is None:
            raise SuspiciousOperation("OidcBackend used without a provider")
        return self.provider

    def get_settings(self, attr: str, *args: Any) -> Any:
        fixed = {
            "OIDC_USE_NONCE": True,
            "OIDC_VERIFY_SSL": True,
            "OIDC_TIMEOUT": TIMEOUT_SECONDS,
            "OIDC_PROXY": None,
            "OIDC_TOKEN_USE_BASIC_AUTH": False,
            "OIDC_ALLOW_UNSECURED_JWT": False,  # never accept alg "none"
            "OIDC_RP_SCOPES": self.provider.scopes if self.provider else "openid",
        }
        if attr in fixed:
            return fixed[attr]
        return args[0] if args else None

    def authenticate(self, _request: HttpRequest | None, **_credentials: Any) -> AbstractBaseUser | None:
        return None  # only sso.views signs in through SSO, with exchange() below

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        # The library's get_user ignores is_active; Django's ModelBackend does not: a session
        # signed in through SSO stops working the moment the account is deactivated.
        user: AbstractBaseUser | None = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def exchange(self, request: HttpRequest, code: str, redirect_uri: str, nonce: str, verifier: str) -> dict[str, Any]:
        """Trade the code (with its PKCE verifier) for tokens, check the ID token, read the claims.

        Raises SuspiciousOperation or requests' HTTPError when anything does not hold; the token
        endpoint itself refuses a used code or a wrong verifier.
        """
        self.request = request
        provider = self._configured()
        tokens = self.get_token(
            {
                "client_id": provider.client_id,
                "client_secret": provider.client_secret,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            }
        )
        id_token = tokens.get("id_token")
        if not id_token:
            raise SuspiciousOperation("no id_token")
        payload = self.verify_token(id_token, nonce=nonce)
        claims = dict(self.get_userinfo(tokens.get("access_token"), id_token, payload))
        if claims.get("sub") != payload.get("sub"):  # OpenID Connect Core 5.3.2
            raise SuspiciousOperation("userinfo sub differs from the ID token's")
        return {"id_token": id_token, "sub": str(payload["sub"]), "claims": {**payload, **claims}}

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        provider = self._configured()
        if str(payload.get("iss", "")).rstrip("/") != provider.issuer:
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if provider.client_id not in audiences:
            raise SuspiciousOperation("ID token for another client")
        if len(audiences) > 1 and payload.get("azp") != provider.client_id:
            raise SuspiciousOperation("ID token authorised for another party")
        if not payload.get("sub"):
            raise SuspiciousOperation("ID token without subject")
        return payload
