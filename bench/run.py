"""make bench: measure, print a table, and write bench/out/results.json.

Benchmarks so far (issue 2):
  * spbe_index CLI on a batch of 2,000 random level vectors, end to end (process start,
    framework load, JSON in and out), median of 5 runs;
  * the engine alone on the same vectors, against a baseline: a tight loop computing the
    flat weighted sum with integers over the same data already in memory.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spbe_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from assessment.catalog import read_framework_file  # noqa: E402
from scoring import engine  # noqa: E402
from scoring.services import framework_from_definition  # noqa: E402

RUNS = 5
BATCH = 2000


def vectors(n: int, keys: tuple[str, ...]) -> list[dict[str, int]]:
    rng = random.Random(2026)
    return [{k: rng.randint(1, 5) for k in keys} for _ in range(n)]


def median_seconds(fn, runs: int = RUNS) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    spec = framework_from_definition(read_framework_file(ROOT / "frameworks" / "permenpanrb-59-2020.json"))
    batch = vectors(BATCH, spec.keys)
    weights = {i.key: int(i.weight * 100) for i in spec.indicators}

    def baseline() -> None:
        for values in batch:
            sum(values[k] * weights[k] for k in values)

    def engine_only() -> None:
        for values in batch:
            engine.score(spec, values)

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "DEBUG": "1"}
        for command in (["migrate", "-v0"], ["load_framework"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
        payload = json.dumps([{"id": i, "levels": v} for i, v in enumerate(batch)])

        def cli() -> None:
            subprocess.run(
                [sys.executable, "manage.py", "spbe_index"], cwd=ROOT, env=env, input=payload,
                capture_output=True, text=True, check=True,
            )  # fmt: skip

        def cli_startup() -> None:
            subprocess.run(
                [sys.executable, "manage.py", "spbe_index"], cwd=ROOT, env=env, input="[]",
                capture_output=True, text=True, check=True,
            )  # fmt: skip

        results = {
            "baseline_tight_loop_2000_s": median_seconds(baseline),
            "engine_2000_s": median_seconds(engine_only),
            "cli_empty_batch_s": median_seconds(cli_startup),
            "cli_2000_s": median_seconds(cli),
        }
    results["engine_vs_baseline_ratio"] = results["engine_2000_s"] / results["baseline_tight_loop_2000_s"]
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2))
    print(f"{'measure':34} {'median':>10}")
    for name, value in results.items():
        print(f"{name:34} {value:10.4f}")


if __name__ == "__main__":
    main()
