"""Throughput and p95 with one web node and with two, at 50 and 200 users (issue 18).

    .venv/bin/python bench/nodes_bench.py [--users 50,200] [--load-seconds 60] [--workers 4]
                                          [--instansi N]

Runs on the database bench/national.py seeded (BENCH_DB, default spbe_bench; `make bench` runs
this after it), or seeds one with `--instansi N` first. A node is a gunicorn as in production
(`--workers` sync workers, DEBUG off); both node counts are measured behind the same nginx
(round-robin upstream), so the proxy is in both figures. Same load as national.py
(bench/locustfile.py, think time 0.5-1.5 s, a real Celery worker). Both nodes share this
machine's cores, PostgreSQL, Redis and MEDIA_ROOT: the ratio shows what a second process on the
same cores buys, not what a second machine would. Writes bench/out/nodes.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import national  # noqa: E402

OUT = national.OUT


class Nginx(national.Spawned):
    """nginx on a free loopback port, round-robin over the nodes' ports."""

    def __init__(self, ports: list[int], folder: Path) -> None:
        self.port = national.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        servers = "".join(f"  server 127.0.0.1:{port};\n" for port in ports)
        user = "user root root;\n" if os.geteuid() == 0 else ""
        temp = " ".join(f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                            "scgi"))  # fmt: skip
        (folder / "nginx.conf").write_text(
            f"daemon off;\n{user}pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
            "worker_processes 1;\nevents { worker_connections 1024; }\n"
            f"http {{\n access_log off;\n {temp}\n client_max_body_size 25m;\n"
            f" upstream portal {{\n{servers} keepalive 32;\n }}\n"
            f" server {{\n  listen 127.0.0.1:{self.port};\n  location / {{\n   proxy_pass http://portal;\n"
            '   proxy_http_version 1.1;\n   proxy_set_header Connection "";\n   proxy_set_header Host $host;\n'
            "   proxy_read_timeout 120s;\n  }\n }\n}\n"
        )
        self.process = subprocess.Popen(["nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder)])
        self.wait_healthy("nginx", tries=60)


def summary(run: dict[str, Any], nodes: int) -> dict[str, Any]:
    total = run["by_name"]["Aggregated"]
    return {"nodes": nodes, "users": run["users"], "seconds": run["seconds"], "requests": total["requests"],
            "failures": total["failures"], "rps": total["rps"], "p50_ms": total["p50_ms"], "p95_ms": total["p95_ms"],
            "rps_per_core": total["rps"] / (os.cpu_count() or 1)}  # fmt: skip


def markdown(rows: list[dict[str, Any]], workers: int) -> str:
    cores = os.cpu_count() or 1
    lines = [f"{cores} cores shared by nginx, the nodes ({workers} gunicorn sync workers each), PostgreSQL, Redis, "
             "one Celery worker and locust.", "",
             "| nodes | users | requests | throughput | per core | p50 | p95 | failures | vs one node |",
             "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    one = {row["users"]: row["rps"] for row in rows if row["nodes"] == 1}
    for row in rows:
        ratio = f"{row['rps'] / one[row['users']]:.2f}\u00d7" if one.get(row["users"]) else ""
        lines.append(
            f"| {row['nodes']} | {row['users']} | {row['requests']:,} | {row['rps']:.1f} req/s | "
            f"{row['rps_per_core']:.1f} req/s | {row['p50_ms']:.0f} ms | {row['p95_ms']:.0f} ms | {row['failures']} | "
            f"{ratio} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="50,200", help="locust user counts")
    parser.add_argument("--nodes", default="1,2", help="web node counts")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per node")
    parser.add_argument("--instansi", type=int, default=0, help="seed a fresh database of this size first")
    args = parser.parse_args()
    if shutil.which("nginx") is None:
        raise SystemExit("nginx is needed (apt-get install nginx-light)")
    OUT.mkdir(parents=True, exist_ok=True)
    env = national.bench_env()
    if args.instansi:
        national.recreate_database(env)
        national.manage(env, "migrate", "-v0")
        national.manage(env, "load_framework")
        national.manage(env, "seed_national", f"--instansi={args.instansi}", "--opds=10", "--years=2")
    os.environ.update(env)
    import django

    django.setup()
    from bench import measure

    (OUT / "actors.json").write_text(json.dumps(measure.prepare()["actors"]))
    runs = [(int(n), int(u)) for n in args.nodes.split(",") for u in args.users.split(",")]
    rows = []
    worker = measure.Worker(env)
    try:
        for index, (nodes, users) in enumerate(runs):
            servers = [national.Server(env, args.workers) for _ in range(nodes)]
            with tempfile.TemporaryDirectory(prefix="spbe-nodes-") as folder:
                proxy = Nginx([server.port for server in servers], Path(folder))
                try:
                    run = national.run_locust(proxy, env, users, args.load_seconds, (index, len(runs)),
                                              label=f"nodes{nodes}_")  # fmt: skip
                finally:
                    proxy.stop()
                    for server in servers:
                        server.stop()
            rows.append(summary(run, nodes))
            print(json.dumps(rows[-1]), flush=True)
    finally:
        worker.stop()
    result = {"args": vars(args), "runs": rows, "machine": measure.machine()}
    (OUT / "nodes.json").write_text(json.dumps(result, indent=2, default=str))
    print(markdown(rows, args.workers))


if __name__ == "__main__":
    main()
