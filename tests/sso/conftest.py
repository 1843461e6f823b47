from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.oidc.provider import KEY, RunningProvider, run_provider


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[RunningProvider]:
    """The real provider, redirecting back to Django's test client (http://testserver)."""
    with run_provider(["http://testserver"]) as provider:
        yield provider


@pytest.fixture
def sso_settings(settings: Any, oidc_provider: RunningProvider) -> Any:
    settings.SSO_PROVIDERS = {KEY: oidc_provider.settings()}
    return settings
