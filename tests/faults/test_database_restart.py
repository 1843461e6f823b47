"""PostgreSQL restarts while the portal runs: no portal restart, a clean page during the outage."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.stack import Browser, Portal, PrivatePostgres

pytestmark = pytest.mark.services

PASSWORD = "demo-spbe-2026"


@pytest.fixture
def portal(private_db: tuple[PrivatePostgres, dict[str, str]], tmp_path: Path) -> Iterator[Portal]:
    _, env = private_db
    server = Portal(env, tmp_path / "gunicorn.log")
    yield server
    server.close()


def signed_in(portal: Portal) -> Browser:
    browser = Browser(portal.base)
    browser.login("sekda.siak", PASSWORD)
    return browser


def test_a_database_restart_between_requests_is_not_noticed(
    private_db: tuple[PrivatePostgres, dict[str, str]], portal: Portal
) -> None:
    postgres, _ = private_db
    browser = signed_in(portal)
    assert browser.get("/penilaian/")[0] == 200  # the worker now holds a database connection
    postgres.restart()
    status, page, _ = browser.get("/penilaian/")
    assert status == 200, page[:1000]  # the dead connection was replaced before use
    assert portal.alive()


def test_during_an_outage_pages_say_so_cleanly_and_the_portal_recovers_by_itself(
    private_db: tuple[PrivatePostgres, dict[str, str]], portal: Portal
) -> None:
    postgres, _ = private_db
    browser = signed_in(portal)
    assert browser.get("/penilaian/")[0] == 200
    pid = portal.process.pid
    postgres.stop()
    try:
        started = time.monotonic()
        status, page, headers = browser.get("/penilaian/")
        assert time.monotonic() - started < 10
        assert status == 503, page[:1000]
        assert "Layanan sementara tidak tersedia" in page and "basis data" in page
        assert "Traceback" not in page and "OperationalError" not in page and "psycopg" not in page
        assert headers["Retry-After"] == "30"
        health = Browser(portal.base).get("/healthz")  # as a load balancer asks: no session
        assert health[0] == 503 and '"database": "down"' in health[1]
    finally:
        postgres.start()
    status, page, _ = browser.get("/penilaian/")
    assert status == 200, page[:1000]
    assert browser.get("/healthz")[0] == 200
    assert portal.alive() and portal.process.pid == pid  # same server process: it was never restarted
