"""/healthz answers JSON about the database and the broker; 503 when the database is down."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROBE = """
import django, json, os
django.setup()
from django.db import connection
from django.test import Client
client = Client()
if os.environ.get("PROBE_SESSION"):
    client.cookies["sessionid"] = os.environ["PROBE_SESSION"]  # a browser that was signed in
r = client.get("/healthz")
print(json.dumps({"status": r.status_code, "body": json.loads(r.content)}))
"""


def probe(**env: str) -> dict[str, object]:
    """Ask /healthz from a fresh process configured with `env` (a real, unreachable service)."""
    run = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env={**os.environ, **env},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(run.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_healthz_is_public_json_and_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == ("ok" if settings.REDIS_URL else "in-process")
    assert "database_engine" not in body  # anonymous callers are not told which engine runs


def test_staff_are_told_the_database_engine(client: Client) -> None:
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/healthz").json()["database_engine"] == connection.vendor


def test_healthz_returns_503_when_the_sqlite_file_cannot_be_opened() -> None:
    result = probe(DATABASE_URL="sqlite:////nonexistent-dir/spbe.sqlite3", REDIS_URL="")
    assert result == {
        "status": 503,
        "body": {"status": "error", "database": "down", "broker": "in-process"},
    }


def test_healthz_returns_503_when_postgresql_is_unreachable() -> None:
    result = probe(DATABASE_URL="postgres://postgres@127.0.0.1:9/spbe", REDIS_URL="")
    assert result["status"] == 503
    assert result["body"] == {
        "status": "error",
        "database": "down",
        "broker": "in-process",
    }


def test_a_broker_outage_is_reported_but_pages_keep_working() -> None:
    result = probe(DATABASE_URL="sqlite:////tmp/spbe-healthz-probe.sqlite3", REDIS_URL="redis://127.0.0.1:9/0")
    assert result["status"] == 200
    assert result["body"] == {"status": "ok", "database": "ok", "broker": "down"}


@pytest.mark.parametrize("url", ["postgres://postgres@127.0.0.1:9/spbe", "sqlite:////nonexistent-dir/spbe.sqlite3"])
def test_healthz_answers_json_in_an_outage_even_with_a_session_cookie(url: str) -> None:
    """A signed-in browser's cookie would make the session and user lookups hit the dead database
    before the view: /healthz must still answer its own JSON, not the HTML outage page."""
    result = probe(DATABASE_URL=url, REDIS_URL="", PROBE_SESSION="k" * 32)
    assert result["status"] == 503
    assert result["body"]["database"] == "down"  # type: ignore[index]
