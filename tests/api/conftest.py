"""API test helpers: a DRF client authenticated by a real token issued through the service."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from api import tokens


def token_client(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user, 'test').key}")
    return client


@pytest.fixture
def api_as() -> Any:
    return token_client
