"""bench/national.py's results as markdown, and their section of docs/benchmarks.md."""

# ruff: noqa: RUF001 (the table is typeset: the multiplication sign and en dashes are meant)

from __future__ import annotations

from pathlib import Path
from typing import Any

MARK_START, MARK_END = "<!-- national-bench:start -->", "<!-- national-bench:end -->"
PAGES = {
    "baseline": "baseline: one-query page (bench/urls.py), logged in",
    "layout": "reference: the same query inside the portal's layout (not a target)",
    "worklist": "questionnaire list `/penilaian/` (OPD staff)",
    "indicator": "indicator page `/penilaian/jawaban/<id>/`, submitted answer (OPD staff)",
    "indicator_draft": "the same page for a draft, with the answer form (OPD staff)",
    "review_queue": "reviewer queue `/penilaian/periksa/` (verifikator)",
    "dashboard": "instansi dashboard `/indeks/evaluasi/<id>/` (sekda)",
    "ranking": "ranking across all instansi `/?tahun=` (sekda)",
    "report_status": "report status `/laporan/<id>/status/` (sekda)",
}
AT = ("child_rss_after_1", "child_rss_after_half", "child_rss_after_all")
LOAD = ["worklist", "indicator page", "autosave", "upload", "dashboard", "report request", "review queue",
        "review decision"]  # fmt: skip


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _n(value: float, places: int = 0) -> str:
    return f"{value:,.{places}f}"


def markdown(r: dict[str, Any]) -> str:
    m, c, args = r["machine"], r["counts"], r["args"]
    lines = [
        f"Run {m['date']}: {args['instansi']} instansi, {args['opds']} OPDs each, {args['years']} years; "
        f"{_n(c['auth_user'])} users, {_n(c['assessment_answer'])} answers, {_n(c['assessment_stagevalue'])} stage "
        f"values, {_n(c['assessment_evidence'])} evidence items, {_n(c['assessment_historicalanswer'])} answer "
        f"history rows. Machine: {m['cpus']} cores ({m['cpu']}), {m['memory_gib']} GiB, {m['os']}, Python "
        f"{m['python']}, PostgreSQL {m['postgresql']}, all on the same cores as the server and the load generator. "
        + (
            f"Seeding took {r['seed_s']:.0f} s ({r['seed_cpu_s']:.0f} s of CPU in the command; PostgreSQL's share "
            "not included)"
            if "seed_s" in r
            else "The database was seeded by an earlier run (`--reuse`)"
        )
        + f"; the whole run took {r['total_s'] / 60:.1f} min.",
        "",
        f"### Pages (gunicorn, DEBUG off; warm; interleaved; median of {args['rounds']} requests each)",
        "",
        "| page | server time | ratio | server CPU | CPU ratio | queries | target ≤ 5× (time / CPU) |",
        "|---|---|---|---|---|---|---|",
    ]
    with_cpu = all(row.get("cpu_ms") for row in r["pages"].values())
    if not with_cpu:  # results of a run before the CPU column existed
        lines[-2:] = ["| page | server time | ratio | queries | target ≤ 5× |", "|---|---|---|---|---|"]
    for name, row in r["pages"].items():
        cpu, cpu_ratio = row.get("cpu_ms", 0.0), row.get("cpu_ratio", 0.0)
        if name in {"baseline", "layout"}:
            target = ""
        else:
            target = f"{_met(row['ratio'] <= 5)} / {_met(cpu_ratio <= 5)}" if with_cpu else _met(row["ratio"] <= 5)
        cpu_cells = f"{cpu:.1f} ms | {cpu_ratio:.1f}× | " if with_cpu else ""
        lines.append(
            f"| {PAGES[name]} | {row['server_ms']:.1f} ms | {row['ratio']:.1f}× | {cpu_cells}{row['queries']} "
            f"| {target} |"
        )
    rc = r["recompute"]
    lines += [
        "",
        f"### Recomputing every instansi's index for {rc['year']} ({rc['evaluations']} evaluations, "
        f"{rc['vectors']} vectors: latest stage and self-assessment); median of 5",
        "",
        "| measure | time | ratio |",
        "|---|---|---|",
        f"| baseline: flat weighted sum over the same values in memory | {rc['baseline_tight_loop_s']:.3f} s | 1× |",
        f"| engine on the same values in memory (exact, every group, predikat) | {rc['engine_in_memory_s']:.3f} s "
        f"| {rc['engine_in_memory_s'] / rc['baseline_tight_loop_s']:.0f}× |",
        f"| `scoring.services.score_evaluations` (queries + engine) | {rc['services_s']:.3f} s | {rc['ratio']:.0f}× "
        f"— target < 1 s: {_met(rc['services_s'] < 1)} ({rc.get('services_cpu_s', 0):.3f} s of CPU in Django) |",
    ]
    p = r["pdf"]
    lines += [
        "",
        "### 47-indicator PDF (bench/report_bench.py)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| baseline: WeasyPrint on the same HTML saved as a file | {p['baseline_static_html_s']:.2f} s |",
        f"| report `hasil`, end to end | {p['report_hasil_s']:.2f} s ({p['report_vs_baseline_ratio']:.2f}×) — target "
        f"≤ 1.5×: {_met(p['report_vs_baseline_ratio'] <= 1.5)}; < 3 s: {_met(p['report_hasil_s'] < 3)} |",
        *(
            [
                f"| one-page summary `ringkasan`, end to end | {p['ringkasan_one_page_s']:.2f} s — target < 1 s: "
                f"{_met(p['ringkasan_one_page_s'] < 1)} |"
            ]
            if "ringkasan_one_page_s" in p
            else []  # results of a run before the one-page summary existed
        ),
        f"| peak Python allocations, one render (report / baseline) | {p['report_peak_tracemalloc_mib']:.1f} / "
        f"{p['baseline_peak_tracemalloc_mib']:.1f} MiB |",
        f"| process max RSS after all renders | {p['maxrss_after_mib']:.0f} MiB |",
        "",
        f"### Load (locust, {args['load_seconds']} s per run, think time 0.5–1.5 s, {args['workers']} gunicorn sync "
        "workers, one Celery worker)",
        "",
        "| users | requests | throughput | p50 | p95 | p99 | failures | slowest p95 (request) | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in r["load"]:
        total = run["by_name"]["Aggregated"]
        named = {k: v for k, v in run["by_name"].items() if k != "Aggregated"}
        slowest = max(named, key=lambda k: named[k]["p95_ms"]) if named else ""
        pages_p95 = max((v["p95_ms"] for k, v in named.items() if k not in {"upload", "autosave"}), default=0)
        if run["users"] <= 50:
            target = f"page p95 ≤ 300 ms, 0 errors: {_met(pages_p95 <= 300 and total['failures'] == 0)}"
        else:
            target = f"no errors (queueing): {_met(total['failures'] == 0)}"
        lines.append(
            f"| {run['users']} | {_n(total['requests'])} | {total['rps']:.1f} req/s | {total['p50_ms']:.0f} ms | "
            f"{total['p95_ms']:.0f} ms | {total['p99_ms']:.0f} ms | {total['failures']} | "
            f"{named.get(slowest, {}).get('p95_ms', 0):.0f} ms ({slowest}) | {target} |"
        )
    lines += ["", "p95 per request type (ms):", "", "| users | " + " | ".join(LOAD) + " |",
              "|---|" + "---|" * len(LOAD)]  # fmt: skip
    for run in r["load"]:
        cells = [f"{run['by_name'][k]['p95_ms']:.0f}" if k in run["by_name"] else "–" for k in LOAD]
        lines.append(f"| {run['users']} | " + " | ".join(cells) + " |")
    w = r["worker"]
    lines += [
        "",
        f"### One Celery worker building {w['reports']} `hasil` reports (one pool child, recycling off)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| built / failed | {w['done'] - w['failed']} / {w['failed']} in {w['seconds']:.0f} s |",
        "| child RSS after the first / half / all reports | "
        + " / ".join(f"{w[k]:.0f}" if w[k] else "not reached" for k in AT)
        + " MiB |",
        f"| child RSS peak; main process peak | {w['child_rss_peak']:.0f} MiB; {w['main_rss_peak']:.0f} MiB |",
    ]
    return "\n".join(lines) + "\n"


def write_docs(path: Path, table: str) -> None:
    """Replace the national section between its markers (appended the first time)."""
    text = path.read_text()
    section = f"{MARK_START}\n{table}{MARK_END}"
    if MARK_START in text:
        head, rest = text.split(MARK_START, 1)
        text = head + section + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## National scale (issue 7)\n\n" + section + "\n"
    path.write_text(text)
