"""Profile one benched page in-process (cProfile), on a database seeded by bench/national.py.

    BENCH_DB=spbe_bench .venv/bin/python bench/profile_page.py dashboard [--sort tottime]

Prints the page's time split by function: the first look when a page misses its target.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.national import bench_env  # noqa: E402

os.environ.update(bench_env())

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("page")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--filter", default="", help="only functions whose path matches this regular expression")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--queries", action="store_true", help="list the queries with their times instead")
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN ANALYZE the N slowest queries")
    args = parser.parse_args()
    path, session = measure.prepare()["pages"][args.page]
    client = Client()
    client.cookies["sessionid"] = session
    for _ in range(3):
        assert client.get(path).status_code in (200, 286)
    if args.queries:
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        for query in slowest:
            print(f"{float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        for query in slowest[: args.explain]:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN ANALYZE {query['sql']}")
                print("\n" + query["sql"] + "\n" + "\n".join(row[0] for row in cursor.fetchall()))
        return
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    for _ in range(args.runs):
        client.get(path)
    profile.disable()
    print(f"{path}: {(time.perf_counter() - start) / args.runs * 1000:.1f} ms per request (profiled)")
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.filter or "", 30)


if __name__ == "__main__":
    main()
