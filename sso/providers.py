"""The configured OpenID Providers (settings.SSO_PROVIDERS, from the environment) and their endpoints.

Endpoints come from the issuer's discovery document, fetched at first use and cached for an
hour; an endpoint set explicitly in the environment wins over the discovered one (for a provider
without discovery, or one that advertises an internal host name).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache

from sso.config import ENDPOINTS

REQUIRED = ENDPOINTS[:4]
DISCOVERY_SECONDS = 3600
TIMEOUT_SECONDS = 10


class ProviderUnavailableError(Exception):
    """The provider's discovery document could not be read or lacks an endpoint the flow needs."""


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    nip_claim: str
    sign_algo: str
    explicit: dict[str, str]

    def endpoints(self) -> dict[str, str]:
        """Every endpoint the flow uses; raises ProviderUnavailableError when one it needs is missing."""
        found = dict(self.explicit)
        if any(not found.get(name) for name in REQUIRED):
            found = {**_discover(self.issuer), **{k: v for k, v in found.items() if v}}
        missing = [name for name in REQUIRED if not found.get(name)]
        if missing:
            raise ProviderUnavailableError(f"{self.key}: no {', '.join(missing)}")
        return found


def _discover(issuer: str) -> dict[str, str]:
    key = f"sso:discovery:{issuer}"
    cached: dict[str, str] | None = cache.get(key)
    if cached is not None:
        return cached
    try:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        document: dict[str, Any] = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailableError(f"{issuer}: {exc}") from exc
    # The document must describe this issuer (OpenID Connect Discovery 1.0, section 4.3).
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailableError(f"{issuer}: discovery names issuer {document.get('issuer')!r}")
    found = {name: str(document[name]) for name in ENDPOINTS if document.get(name)}
    cache.set(key, found, DISCOVERY_SECONDS)
    return found


def _build(key: str, conf: dict[str, str]) -> Provider:
    return Provider(
        key=key,
        label=conf["label"],
        issuer=conf["issuer"],
        client_id=conf["client_id"],
        client_secret=conf["client_secret"],
        scopes=conf["scopes"],
        nip_claim=conf["nip_claim"],
        sign_algo=conf["sign_algo"],
        explicit={name: conf[name] for name in ENDPOINTS if conf.get(name)},
    )


def configured() -> list[Provider]:
    """The providers in the order OIDC_PROVIDERS names them (the login page's buttons)."""
    return [_build(key, conf) for key, conf in settings.SSO_PROVIDERS.items()]


def get(key: str) -> Provider | None:
    conf = settings.SSO_PROVIDERS.get(key)
    return _build(key, conf) if conf else None
