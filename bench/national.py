"""`make bench` at national scale: seed, serve with gunicorn (DEBUG off) on PostgreSQL, measure.

    .venv/bin/python bench/national.py [--instansi 700 --opds 30 --years 3] [--load-seconds 60]

Steps, each against a baseline measured in the same run (the machine is shared, so ratios are
what to compare): drop and create the database BENCH_DB (default spbe_bench), migrate, load the
framework, `manage.py seed_national`; then

  * pages: server time (Server-Timing from bench/middleware.py) and query count of six pages,
    warm, interleaved, median of --rounds, against bench/urls.py's one-query page;
  * recomputing the index of every instansi for a year through scoring.services, against a tight
    loop over the same values already in memory;
  * the 47-indicator PDF: bench/report_bench.py, run as it is;
  * locust (bench/locustfile.py) at 50 and 200 users on loopback, with a real Celery worker;
  * one Celery worker's memory while it builds --reports reports.

REDIS_URL (default redis://127.0.0.1:6379/0) names the broker; tasks go to the queue
"spbe-bench". Writes bench/out/national.json and the "National scale" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instansi", type=int, default=700)
    parser.add_argument("--opds", type=int, default=30)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=15, help="timed requests per page")
    parser.add_argument("--users", default="50,200", help="locust user counts")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_env() -> dict[str, str]:
    base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{base}/{os.environ.get('BENCH_DB', 'spbe_bench')}",
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "CELERY_QUEUE": "spbe-bench",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 30,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(ROOT / "var" / "bench" / "media"),
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": str(ROOT),
    }


def recreate_database(env: dict[str, str]) -> None:
    import psycopg2

    url, name = env["DATABASE_URL"].rsplit("/", 1)
    conn = psycopg2.connect(f"{url}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def manage(env: dict[str, str], *args: str) -> tuple[float, float]:
    """Wall seconds and CPU seconds of one management command (the CPU shows what sharing costs)."""
    import resource

    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


class Spawned:
    """A server process of the benchmark on a loopback port, answering /healthz once it is up."""

    url: str
    process: subprocess.Popen[bytes]

    def wait_healthy(self, what: str, tries: int) -> None:
        for _ in range(tries):
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2)  # noqa: S310 (our own loopback URL)
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"{what} did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Server(Spawned):
    """gunicorn as in production (sync workers, DEBUG off), on a free loopback port."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "spbe_portal.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        self.wait_healthy("gunicorn", tries=120)


def get(url: str, session: str) -> tuple[int, float, int, float, float]:
    """Status, server milliseconds, query count, client milliseconds and server CPU milliseconds of one GET."""
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})  # noqa: S310 (loopback)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
            response.read()
            status, timing = response.status, response.headers.get("Server-Timing", "")
    except urllib.error.HTTPError as error:
        status, timing = error.code, error.headers.get("Server-Timing", "")
    client = (time.perf_counter() - start) * 1000
    match = re.search(r"app;dur=([\d.]+), db;desc=(\d+), cpu;dur=([\d.]+)", timing)
    if not match:
        raise RuntimeError(f"{url}: no Server-Timing (status {status})")
    return status, float(match[1]), int(match[2]), client, float(match[3])


def measure_pages(server: Server, pages: dict[str, tuple[str, str]], rounds: int) -> dict[str, dict[str, float]]:
    for _ in range(3):  # warm every worker's caches
        for path, session in pages.values():
            get(server.url + path, session)
    samples: dict[str, list[tuple[int, float, int, float, float]]] = {name: [] for name in pages}
    for _ in range(rounds):  # interleaved, so drift hits every page alike
        for name, (path, session) in pages.items():
            samples[name].append(get(server.url + path, session))
    results = {}
    for name, rows in samples.items():
        bad = {status for status, *_ in rows if status not in (200, 286)}
        if bad:
            raise RuntimeError(f"{name}: HTTP {bad}")
        results[name] = {
            "server_ms": statistics.median(r[1] for r in rows),
            # The most common count: a worker's first request also loads per-process caches.
            "queries": statistics.mode(r[2] for r in rows),
            "queries_cold": max(r[2] for r in rows),
            "client_ms": statistics.median(r[3] for r in rows),
            "cpu_ms": statistics.median(r[4] for r in rows),
        }
    base, base_cpu = results["baseline"]["server_ms"], results["baseline"]["cpu_ms"]
    for row in results.values():
        row["ratio"] = row["server_ms"] / base
        row["cpu_ratio"] = row["cpu_ms"] / base_cpu if base_cpu else 0.0
    return results


def run_locust(
    server: Any, env: dict[str, str], users: int, seconds: int, part: tuple[int, int], label: str = ""
) -> dict[str, Any]:
    prefix = OUT / f"locust_{label}{users}"
    command = [PY, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
               "-r", str(max(10, users // 4)), "-t", f"{seconds}s", "-H", server.url, "--csv", str(prefix),
               "--only-summary", "--exit-code-on-error", "1", "--loglevel", "WARNING"]  # fmt: skip
    # Errors are recorded from the CSV, not allowed to stop the bench: hence no check=True.
    code = subprocess.run(
        command,
        cwd=ROOT,
        env={**env, "BENCH_ACTORS": str(OUT / "actors.json"), "BENCH_PART": str(part[0]), "BENCH_PARTS": str(part[1])},
    ).returncode
    import csv

    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    per_name = {}
    for row in rows:
        per_name[row["Name"]] = {
            "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]), "p99_ms": float(row["99%"]),
            "rps": float(row["Requests/s"]),
        }  # fmt: skip
    return {"users": users, "seconds": seconds, "exit_code": code, "by_name": per_name}


def main() -> None:
    args = parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = bench_env()
    results: dict[str, Any] = {"args": vars(args)}
    started = time.perf_counter()
    if not args.reuse:
        recreate_database(env)
        manage(env, "migrate", "-v0")
        manage(env, "load_framework")
        scale = [f"--instansi={args.instansi}", f"--opds={args.opds}", f"--years={args.years}"]
        results["seed_s"], results["seed_cpu_s"] = manage(env, "seed_national", *scale)
    os.environ.update(env)
    import django

    django.setup()
    from bench import measure

    scenario = measure.prepare()
    (OUT / "actors.json").write_text(json.dumps(scenario["actors"]))
    results["counts"] = measure.row_counts()
    results["recompute"] = measure.recompute()
    print("recompute:", json.dumps(results["recompute"]), flush=True)
    server = Server(env, args.workers)
    worker = measure.Worker(env)
    try:
        results["pages"] = measure_pages(server, scenario["pages"], args.rounds)
        print(json.dumps(results["pages"], indent=1), flush=True)
        counts = [int(u) for u in args.users.split(",")]
        results["load"] = [
            run_locust(server, env, u, args.load_seconds, (n, len(counts))) for n, u in enumerate(counts)
        ]
    finally:
        server.stop()
        worker.stop()
    results["worker"] = measure.worker_memory(env, args.reports)
    results["pdf"] = measure.pdf_report()
    results["total_s"] = time.perf_counter() - started
    results["machine"] = measure.machine()
    (OUT / "national.json").write_text(json.dumps(results, indent=2, default=str))
    from bench import table as tables

    table = tables.markdown(results)
    print(table)
    if not args.no_docs:
        tables.write_docs(ROOT / "docs" / "benchmarks.md", table)


if __name__ == "__main__":
    main()
