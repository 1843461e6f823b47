"""The OpenID Providers named in the environment, read once by spbe_portal/settings.py.

OIDC_PROVIDERS=siasn,kominfo names the providers; each reads OIDC_<NAME>_PRESET, _LABEL,
_ISSUER, _CLIENT_ID, _CLIENT_SECRET (or _CLIENT_SECRET_FILE), _SCOPES, _NIP_CLAIM, _SIGN_ALGO
and, only for a provider without discovery, the endpoints (_AUTHORIZATION_ENDPOINT, ...).
This module must not import Django's settings: it runs while they are being built.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from spbe_portal.env import env_list, env_secret, env_str

ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint")

PRESETS = {
    # BKN's SSO SIASN (Keycloak realm public-siasn). Its user name is the NIP, which public
    # integrations read from preferred_username; set OIDC_SIASN_NIP_CLAIM if a realm maps `nip`.
    "siasn": {
        "label": "SSO SIASN (BKN)",
        "issuer": "https://sso-siasn.bkn.go.id/auth/realms/public-siasn",
        "scopes": "openid profile",
        "nip_claim": "preferred_username",
    },
}


def _provider(key: str) -> dict[str, str]:
    prefix = f"OIDC_{key.upper()}_"
    preset = PRESETS.get(env_str(prefix + "PRESET").lower(), {})

    def value(name: str, default: str = "") -> str:
        return env_str(prefix + name.upper(), preset.get(name, default))

    conf = {
        "label": value("label", key),
        "issuer": value("issuer").rstrip("/"),
        "client_id": value("client_id"),
        "client_secret": env_secret(prefix + "CLIENT_SECRET"),
        "scopes": value("scopes", "openid profile"),
        "nip_claim": value("nip_claim", "nip"),
        "sign_algo": value("sign_algo", "RS256"),
        **{name: value(name) for name in ENDPOINTS},
    }
    missing = [prefix + name.upper() for name in ("issuer", "client_id", "client_secret") if not conf[name]]
    if missing:
        raise ImproperlyConfigured(f"OIDC_PROVIDERS names {key!r} but {', '.join(missing)} is not set.")
    if "openid" not in conf["scopes"].split():
        raise ImproperlyConfigured(f"{prefix}SCOPES must include openid.")
    return conf


def providers_from_env() -> dict[str, dict[str, str]]:
    """SSO_PROVIDERS: each provider named in OIDC_PROVIDERS, by its lower-case key; refuses a bad one."""
    providers: dict[str, dict[str, str]] = {}
    for key in env_list("OIDC_PROVIDERS"):
        if not key.isalnum() or not key.isascii():
            raise ImproperlyConfigured(f"OIDC_PROVIDERS: {key!r} must be letters and digits only.")
        providers[key.lower()] = _provider(key)
    return providers


def form_action_origins(providers: dict[str, dict[str, str]]) -> list[str]:
    """The providers' origins a logout form's redirect may reach (Chromium applies CSP form-action there)."""
    origins: list[str] = []
    for conf in providers.values():
        for url in (conf["issuer"], conf["end_session_endpoint"]):
            origin = "/".join(url.split("/")[:3]) if url else ""
            if origin and origin not in origins:
                origins.append(origin)
    return origins
