"""Redis dies while the portal runs: pages and saves keep working, and answer at once."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from tests.conftest import require_service
from tests.faults.stack import Browser, Portal, PrivatePostgres, field, free_port, wait_until

pytestmark = pytest.mark.services

PASSWORD = "demo-spbe-2026"
# Not a speed target (that lives in `make bench`): a request that waits on broker retries takes
# tens of seconds (kombu/redis-py back off and retry), one that does not is well under this even on a
# loaded two-core CI machine running two test workers.
NO_RETRY_WAIT = 10.0


class PrivateRedis:
    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.answers, 20, "private redis-server")

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=15)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[PrivateRedis]:
    require_service(shutil.which("redis-server") is not None, "redis-server")
    server = PrivateRedis(tmp_path)
    yield server
    if server.process.poll() is None:
        server.kill()


def one(dsn: str, sql: str, *params: object) -> object:
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    connection.close()
    assert row is not None
    return row[0]


def timed(call: object) -> tuple[float, tuple[int, str, object]]:
    started = time.monotonic()
    result = call()  # type: ignore[operator]
    return time.monotonic() - started, result


def test_with_redis_gone_pages_and_autosave_work_and_reports_wait(
    private_db: tuple[PrivatePostgres, dict[str, str]], broker: PrivateRedis, tmp_path: Path
) -> None:
    postgres, env = private_db
    dsn = postgres.url("spbe").replace("postgres://", "postgresql://")
    portal = Portal({**env, "REDIS_URL": f"redis://127.0.0.1:{broker.port}/0"}, tmp_path / "gunicorn.log")
    try:
        assert '"broker": "ok"' in Browser(portal.base).get("/healthz")[1]
        broker.kill()
        assert '"broker": "down"' in Browser(portal.base).get("/healthz")[1]  # and still 200
        assert Browser(portal.base).get("/healthz")[0] == 200

        staff = Browser(portal.base)
        staff.login("opd.bkpsdm.sumedang", PASSWORD)
        answer_id = one(dsn, "SELECT a.id FROM assessment_answer a JOIN assessment_evaluation e ON e.id = a.evaluation_id "
                        "JOIN assessment_instansi s ON s.id = e.instansi_id JOIN assessment_indicator i ON i.id = a.indicator_id "
                        "WHERE s.slug = 'kabupaten-sumedang' AND e.year = 2026 AND i.number = 41")  # fmt: skip
        for path in ("/", "/penilaian/", "/bukti/", f"/penilaian/jawaban/{answer_id}/"):
            seconds, (status, page, _) = timed(lambda path=path: staff.get(path))
            assert status == 200 and seconds < NO_RETRY_WAIT, f"{path}: {status} in {seconds:.2f} s\n{page[:500]}"
        version = field(page, "version")
        text = "FAKTA: SOP kepegawaian berlaku. ANALISIS: tersimpan walau Redis mati."
        seconds, (status, fragment, _) = timed(lambda: staff.post(
            f"/penilaian/jawaban/{answer_id}/simpan/", {"explanation": text, "version": version, "value": "3"},
            headers={"HX-Request": "true"},
        ))  # fmt: skip
        assert status == 200 and seconds < NO_RETRY_WAIT, f"autosave: {status} in {seconds:.2f} s\n{fragment[:500]}"
        assert one(dsn, "SELECT explanation FROM assessment_answer WHERE id = %s", answer_id) == text

        sekda = Browser(portal.base)
        sekda.login("sekda.siak", PASSWORD)
        evaluation_id = one(dsn, "SELECT e.id FROM assessment_evaluation e JOIN assessment_instansi s ON s.id = e.instansi_id "
                            "WHERE s.slug = 'kabupaten-siak' AND e.year = 2022")  # fmt: skip
        seconds, (status, page, _) = timed(
            lambda: sekda.post(f"/laporan/evaluasi/{evaluation_id}/minta/", {"kind": "csv"})
        )
        assert status == 200 and seconds < NO_RETRY_WAIT, f"report request: {status} in {seconds:.2f} s"
        assert "akan dicoba lagi otomatis" in page
        queued = one(dsn, "SELECT count(*) FROM reports_report WHERE status = 'queued' AND enqueued_at IS NULL")
        assert queued == 1  # kept for the sweeper, which sends it once Redis is back
    finally:
        portal.close()
