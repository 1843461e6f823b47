"""The what-if simulator on the demo: server time and queries of the page and of one htmx change.

Siak's 2026 evaluation (Pemdi 8/2026, 20 decimal indicators) and Sumedang's (59/2020, 47 levels),
each as its Sekda sees it. Uses the configured database (make setup's demo; loaded here when
missing, idempotently) and Django's test client in-process, so the figure is server time alone.
Target: under 300 ms per request (issue 14 item 15). Run: .venv/bin/python bench/simulator_bench.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spbe_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assessment.models import Evaluation  # noqa: E402

ROUNDS = 15
TARGET_MS = 300


def measure(client: Client, url: str, params: dict[str, str], htmx: bool) -> dict[str, float]:
    headers = {"HX-Request": "true"} if htmx else {}
    client.get(url, params, headers=headers)  # warm the engine cache, as the page view before it does
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url, params, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params, headers=headers)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "queries": len(queries)}


def main() -> None:
    if not Evaluation.objects.filter(instansi__slug="kabupaten-siak", year=2026).exists():
        call_command("load_framework")
        call_command("load_demo")
    results = {}
    for slug, change in (("kabupaten-siak", "2.37"), ("kabupaten-sumedang", "4")):
        evaluation = Evaluation.objects.select_related("framework").get(instansi__slug=slug, year=2026)
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(username=f"sekda.{slug.removeprefix('kabupaten-')}"))
        url = f"/indeks/evaluasi/{evaluation.pk}/simulasi/"
        name = f"{slug} {evaluation.framework.code}"
        results[f"{name}: page"] = measure(client, url, {}, htmx=False)
        results[f"{name}: one change (htmx)"] = measure(client, url, {"i1": change}, htmx=True)
    print(json.dumps(results, indent=1))
    missed = [name for name, row in results.items() if row["median_ms"] >= TARGET_MS]
    print(f"target < {TARGET_MS} ms median: {'missed by ' + ', '.join(missed) if missed else 'met'}")


if __name__ == "__main__":
    main()
