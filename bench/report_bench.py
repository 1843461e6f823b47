"""The 47-indicator "hasil" PDF on the demo data: time and memory against a static-HTML baseline.

    .venv/bin/python bench/report_bench.py

Sets up its own SQLite database in a temporary directory (migrate, load_framework, load_demo),
then, in one warm process (WeasyPrint imported, fonts loaded, as in a worker):

  * report: `reports.rendering.build("hasil", Kabupaten Siak 2022)`, end to end: queries,
    engine, charts, template, WeasyPrint; median of 5;
  * baseline: WeasyPrint alone rendering the same HTML, saved to a file beforehand, with the
    same stylesheet and URL fetcher; median of 5;
  * peak memory: tracemalloc peak of one build and of one baseline render (Python allocations,
    measured apart from the timings because tracing slows them), and the process's maximum RSS.

  * ringkasan: `build("ringkasan", …)`, the one-page summary for the Bupati, end to end.

REPORT_BENCH_RUNS=1 runs each once (a check that the script works, not a measurement).
`make bench` runs this script through bench/national.py, whose table in docs/benchmarks.md has
both figures. Writes bench/out/report_results.json. Targets: report <= 1.5x the baseline and under 3 s; the
one-page summary under 1 s.
"""

from __future__ import annotations

import io
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.TemporaryDirectory()
os.environ["DATABASE_URL"] = f"sqlite:///{TMP.name}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spbe_portal.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"  # the demo notifies

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from assessment.models import Evaluation  # noqa: E402

RUNS = int(os.environ.get("REPORT_BENCH_RUNS", "5"))  # fewer for a quick check that it works


def interleaved_medians(fns: dict[str, Callable[[], object]], runs: int = RUNS) -> dict[str, float]:
    """Median seconds of each function, the runs interleaved so that drift hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    for command in (["migrate", "-v0"], ["load_framework"], ["load_demo"]):
        call_command(*command, stdout=io.StringIO())
    from pypdf import PdfReader
    from weasyprint import CSS, HTML

    from reports.pdf import StaticFilesFetcher, stylesheet_path
    from reports.rendering import build, emblem, render_html

    evaluation = Evaluation.objects.select_related("instansi", "framework", "finalised_by").get(
        instansi__slug="kabupaten-siak", year=2022
    )
    rss_before = maxrss_mib()
    static_html = Path(TMP.name) / "hasil.html"
    static_html.write_text(render_html("hasil", evaluation), encoding="utf-8")

    def report() -> bytes:
        return build("hasil", evaluation).content

    memory = emblem(evaluation)  # the letterhead's emblem, read once: the baseline draws it too

    def baseline() -> bytes:
        # Plain WeasyPrint on the saved file with the same stylesheet: no queries, no template.
        fetcher = StaticFilesFetcher(memory=memory)
        pdf: bytes = HTML(filename=str(static_html), url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(filename=str(stylesheet_path()))]
        )
        return pdf

    def html_only() -> str:
        return render_html("hasil", evaluation)

    def summary_page() -> bytes:
        return build("ringkasan", evaluation).content

    for _ in range(2):  # warm-up: WeasyPrint import, fonts, caches, for both sides
        content = report()
        baseline()
    pages = len(PdfReader(io.BytesIO(content)).pages)
    summary_page()
    timed = interleaved_medians({"baseline": baseline, "report": report, "html": html_only, "ringkasan": summary_page})
    results = {
        "baseline_static_html_s": timed["baseline"],
        "report_hasil_s": timed["report"],
        "html_only_s": timed["html"],
        "ringkasan_one_page_s": timed["ringkasan"],
        "baseline_peak_tracemalloc_mib": peak_mib(baseline),
        "report_peak_tracemalloc_mib": peak_mib(report),
        "maxrss_before_mib": rss_before,
        "maxrss_after_mib": maxrss_mib(),
        "pdf_bytes": len(content),
        "pdf_pages": pages,
    }
    results["report_vs_baseline_ratio"] = results["report_hasil_s"] / results["baseline_static_html_s"]
    machine = f"{os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "report_results.json").write_text(json.dumps({**results, "machine": machine}, indent=2))
    print(f"hasil PDF, Kabupaten Siak 2022, 47 indicators, {pages} pages; {machine}")
    print(f"{'measure':32} {'value':>10}")
    for name, value in results.items():
        print(f"{name:32} {value:10.3f}" if isinstance(value, float) else f"{name:32} {value:10}")
    ok = results["report_vs_baseline_ratio"] <= 1.5 and results["report_hasil_s"] < 3
    print("target (<= 1.5x baseline, < 3 s):", "met" if ok else "NOT met")
    print("target (one-page summary < 1 s):", "met" if results["ringkasan_one_page_s"] < 1 else "NOT met")


if __name__ == "__main__":
    main()
