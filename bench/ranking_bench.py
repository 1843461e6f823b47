"""The ranking page with 700 instansi: server time and query count.

Seeds a temporary SQLite database (or the one DATABASE_URL names, if set to a scratch
PostgreSQL database) with 700 kabupaten, each with a finalised evaluation of one year scored at
both stages (47 indicators), then times GET /?tahun=2024 through Django's test client, warm,
median of 5, against a baseline view that runs one query. The first (cold) request is timed on
its own: where the page reads stored results, it is the one that scores and stores them.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/ranking.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spbe_portal.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

INSTANSI = 700


def seed() -> None:
    from django.contrib.auth import get_user_model

    from assessment.models import (
        Answer,
        AnswerStatus,
        Evaluation,
        Framework,
        Instansi,
        Membership,
        Role,
        Stage,
        StageValue,
    )  # fmt: skip

    call_command("migrate", verbosity=0)
    call_command("load_framework", stdout=open(os.devnull, "w"))  # noqa: SIM115
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    indicators = list(framework.indicators.order_by("number"))
    rng = random.Random(700)
    instansi = Instansi.objects.bulk_create(
        Instansi(name=f"Kabupaten Bench {n:03d}", slug=f"bench-{n:03d}", kind="kabupaten") for n in range(INSTANSI)
    )
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(instansi=i, framework=framework, year=2024, status="finalised") for i in instansi
    )
    answers = Answer.objects.bulk_create(
        Answer(evaluation=e, indicator=i, status=AnswerStatus.APPROVED) for e in evaluations for i in indicators
    )
    StageValue.objects.bulk_create(
        StageValue(answer=a, stage=stage, value=rng.randint(1, 5))
        for a in answers
        for stage in (Stage.MANDIRI, Stage.VERIFIKASI)
    )
    user = get_user_model().objects.create_user("bench")  # logged in with force_login
    Membership.objects.create(user=user, instansi=instansi[0], role=Role.SEKDA)


def timed(client: Client, path: str, runs: int = 5) -> tuple[float, int]:
    client.get(path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(times), len(queries.captured_queries)


def main() -> None:
    from django.contrib.auth import get_user_model

    seed()
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as cold:
        client.get("/?tahun=2024")
    cold_time, cold_queries = time.perf_counter() - start, len(cold.captured_queries)
    page_time, page_queries = timed(client, "/?tahun=2024")
    base_time, base_queries = timed(client, "/healthz")
    print(f"{'page':28} {'median s':>9} {'queries':>8}")
    print(f"{'ranking, first request':28} {cold_time:9.3f} {cold_queries:8d}")
    print(f"{'ranking, 700 instansi':28} {page_time:9.3f} {page_queries:8d}")
    print(f"{'baseline /healthz (1 query)':28} {base_time:9.4f} {base_queries:8d}")
    print(f"ratio {page_time / base_time:.0f}x")


if __name__ == "__main__":
    main()
