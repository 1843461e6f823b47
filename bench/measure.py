"""The in-process parts of bench/national.py: the scenario, recomputation, the worker, the table.

Imported after django.setup() with bench.settings and the bench database.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.utils import timezone

from assessment.models import STAGE_ORDER, Answer, Evaluation, Instansi, Membership, StageValue

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable


def _session(user_id: int) -> str:
    user = get_user_model().objects.get(pk=user_id)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def _member(instansi: Instansi, role: str) -> Membership:
    return Membership.objects.filter(instansi=instansi, role=role).order_by("pk").first()  # type: ignore[return-value]


def prepare() -> dict[str, Any]:
    """One finished report per instansi, logged-in sessions, the pages to time and the load's actors."""
    from reports.models import Report

    year = timezone.localdate().year
    if not Report.objects.exists():
        Report.objects.bulk_create(
            Report(
                evaluation=e,
                kind="hasil",
                status="done",
                fingerprint="seed",
                requested_by_id=e.finalised_by_id,
                file=f"evidence/nasional/{e.instansi.slug}/dokumen.pdf",
                size=1,
                content_type="application/pdf",
                finished_at=e.finalised_at,
            )
            for e in Evaluation.objects.filter(year=year - 1, status="finalised").select_related("instansi")
        )
    instansi = list(Instansi.objects.filter(slug__startswith="nasional-").order_by("slug"))
    target = [i for i in instansi if i.kind == "kabupaten"][len(instansi) // 3]
    current = Evaluation.objects.get(instansi=target, year=year)
    operator = Membership.objects.filter(instansi=target, role="opd").order_by("pk").first()
    assert operator is not None
    answer = Answer.objects.filter(evaluation=current, lead_opd=operator.opd, status="submitted").first() or (
        Answer.objects.filter(evaluation=current, lead_opd=operator.opd).first()
    )
    assert answer is not None
    # The page as its OPD staff mostly see it: a draft they can still edit (the form is rendered).
    draft = Answer.objects.filter(evaluation=current, lead_opd=operator.opd, status="draft").first() or answer
    report = Report.objects.filter(evaluation__instansi=target).first()
    assert report is not None
    opd, sekda, reviewer = (_session(operator.user_id), _session(_member(target, "sekda").user_id),
                            _session(_member(target, "verifikator").user_id))  # fmt: skip
    pages = {
        "baseline": ("/bench/baseline/", sekda),
        "layout": ("/bench/baseline-layout/", sekda),
        "worklist": ("/penilaian/", opd),
        "indicator": (f"/penilaian/jawaban/{answer.pk}/", opd),
        "indicator_draft": (f"/penilaian/jawaban/{draft.pk}/", opd),
        "review_queue": ("/penilaian/periksa/", reviewer),
        "dashboard": (f"/indeks/evaluasi/{current.pk}/", sekda),
        "ranking": (f"/?tahun={year - 1}", sekda),
        "report_status": (f"/laporan/{report.pk}/status/", sekda),
    }
    return {"pages": pages, "actors": _actors([i for i in instansi if i != target][:80], year)}


def _actors(instansi: list[Instansi], year: int) -> dict[str, list[dict[str, Any]]]:
    """Distinct people for the load test, each with their own answers, so they never collide."""
    evaluations = {e.instansi_id: e for e in Evaluation.objects.filter(instansi__in=instansi, year__in=[year, year - 1])
                   .order_by("year")}  # fmt: skip
    opd: list[dict[str, Any]] = []
    sekda: list[dict[str, Any]] = []
    reviewers: list[dict[str, Any]] = []
    editable = Answer.objects.filter(evaluation__year=year, evaluation__instansi__in=instansi,
                                     status__in=["draft", "returned"]).values_list("pk", "lead_opd_id")  # fmt: skip
    by_opd: dict[int, list[int]] = {}
    for pk, opd_id in editable:
        by_opd.setdefault(opd_id, []).append(pk)
    for member in Membership.objects.filter(opd_id__in=list(by_opd), role="opd").order_by("pk")[:160]:
        opd.append({"session": _session(member.user_id), "answers": by_opd[member.opd_id]})  # type: ignore[index]
    claims = dict(StageValue.objects.filter(answer__evaluation__year=year, answer__evaluation__instansi__in=instansi,
                                            answer__status="submitted", stage=STAGE_ORDER[0])
                  .values_list("answer_id", "value"))  # fmt: skip
    submitted: dict[int, list[list[Any]]] = {}
    for pk, instansi_id, version in Answer.objects.filter(pk__in=list(claims)).values_list(
        "pk", "evaluation__instansi_id", "version"
    ):
        submitted.setdefault(instansi_id, []).append([pk, version, str(claims[pk].normalize())])
    for place in instansi:
        previous = Evaluation.objects.filter(instansi=place, year=year - 1).values_list("pk", flat=True).first()
        sekda.append({"session": _session(_member(place, "sekda").user_id), "evaluation": evaluations[place.pk].pk,
                      "finalised": previous})  # fmt: skip
        if len(reviewers) < 40:
            reviewers.append({"session": _session(_member(place, "verifikator").user_id),
                              "answers": submitted.get(place.pk, [])})  # fmt: skip
    return {"opd": opd, "sekda": sekda, "reviewer": reviewers}


def row_counts() -> dict[str, int]:
    tables = ["assessment_instansi", "assessment_opd", "auth_user", "assessment_evaluation", "assessment_answer",
              "assessment_stagevalue", "assessment_evidence", "assessment_answerevidence", "assessment_review",
              "assessment_historicalanswer", "assessment_historicalevidence"]  # fmt: skip
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed names above)
            counts[table] = cursor.fetchone()[0]
    return counts


def _median(fn: Any, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def recompute() -> dict[str, Any]:
    """Every instansi's index for one year through the services, against loops over data in memory."""
    from scoring import engine
    from scoring.services import engine_framework, score_evaluations, values_at_stages

    year = timezone.localdate().year - 1
    evaluations = Evaluation.objects.filter(year=year, status="finalised").select_related("framework", "instansi")
    loaded = list(evaluations)
    stages = [STAGE_ORDER[-1], STAGE_ORDER[0]]
    values = values_at_stages([e.pk for e in loaded], stages)
    spec = engine_framework(loaded[0].framework)
    # Exact like the engine: stored values may be fractions (7/6), and Fraction * Decimal is a TypeError.
    weights = {i.key: Fraction(i.weight) for i in spec.indicators}

    def services() -> object:
        return score_evaluations(evaluations.all())

    def engine_only() -> object:
        return [engine.score(spec, values[s].get(e.pk, {})) for e in loaded for s in stages]

    def baseline() -> object:
        return [sum((Fraction(v) * weights[k] for k, v in values[s].get(e.pk, {}).items()), Fraction(0))
                for e in loaded for s in stages]  # fmt: skip

    by_services = {s.evaluation.pk: s.result.index for s in score_evaluations(evaluations.all())}
    assert all(by_services[e.pk] == engine.score(spec, values[stages[0]][e.pk]).index for e in loaded)
    cpu_start = time.process_time()
    for _ in range(5):
        services()
    # This process's CPU seconds (PostgreSQL's excluded): steadier than wall time on a shared machine.
    services_cpu = (time.process_time() - cpu_start) / 5
    timed = {"services_s": _median(services), "engine_in_memory_s": _median(engine_only),
             "baseline_tight_loop_s": _median(baseline)}  # fmt: skip
    return {"year": year, "evaluations": len(loaded), "vectors": 2 * len(loaded), **timed,
            "services_cpu_s": services_cpu,
            "ratio": timed["services_s"] / timed["baseline_tight_loop_s"]}  # fmt: skip


class Worker:
    """A real Celery worker on the bench queue (REDIS_URL), one process building reports."""

    def __init__(self, env: dict[str, str], **extra: str) -> None:
        celery = [PY, "-m", "celery", "-A", "spbe_portal"]
        subprocess.run([*celery, "purge", "-f", "-Q", env["CELERY_QUEUE"]], cwd=ROOT, env=env, capture_output=True)
        # At a lower CPU priority, as deployed (docker-compose.yml: cpu_shares), so that report
        # builds yield the cores to interactive requests.
        self.process = subprocess.Popen(
            ["nice", "-n", "10", *celery, "worker", "-Q", env["CELERY_QUEUE"], "--concurrency", "1", "-l", "WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env={**env, **extra},
        )  # fmt: skip

    def rss_mib(self) -> tuple[float, float]:
        """Resident memory of the main process and of its (pool) children, in MiB."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return _rss(pid), sum(_rss(int(c)) for c in children)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def _rss(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def worker_memory(env: dict[str, str], count: int) -> dict[str, Any]:
    """`count` reports of distinct evaluations through request_report, one worker child building all."""
    from reports import services
    from reports.models import Report

    year = timezone.localdate().year - 2
    # Evaluations without a report yet, so that every request builds (a rerun with --reuse picks others).
    unreported = Evaluation.objects.filter(year=year, status="finalised", reports__isnull=True)
    evaluations = list(unreported.select_related("instansi", "framework").order_by("instansi__slug")[:count])
    worker = Worker(env, CELERY_MAX_TASKS_PER_CHILD="100000")  # recycling off: show growth, if any
    time.sleep(3)
    ids, samples = [], []
    start = time.perf_counter()
    try:
        for evaluation in evaluations:
            with transaction.atomic():
                sekda = Membership.objects.get(user=evaluation.finalised_by)
                ids.append(services.request_report(sekda, evaluation, "hasil")[0].pk)
        while time.perf_counter() - start < 1800:  # 100 reports take about 2 minutes on an idle machine
            finished = Report.objects.filter(pk__in=ids, status__in=["done", "failed"]).count()
            samples.append((time.perf_counter() - start, finished, *worker.rss_mib()))
            if finished == len(ids):
                break
            time.sleep(0.5)
    finally:
        worker.stop()
    failed = Report.objects.filter(pk__in=ids, status="failed").count()
    done = samples[-1][1] if samples else 0

    def child_at(n: int) -> float:
        return next((s[3] for s in samples if s[1] >= n), 0.0)

    return {"reports": len(ids), "done": done, "failed": failed, "seconds": samples[-1][0] if samples else 0,
            "child_rss_after_1": child_at(1), "child_rss_after_half": child_at(len(ids) // 2),
            "child_rss_after_all": child_at(len(ids)), "child_rss_peak": max((s[3] for s in samples), default=0),
            "main_rss_peak": max((s[2] for s in samples), default=0)}  # fmt: skip


def pdf_report() -> dict[str, Any]:
    """bench/report_bench.py as it is (its own SQLite demo database), in a clean environment."""
    keep = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MEDIA_ROOT"}}
    env = {**keep, "DEBUG": "1", "REDIS_URL": ""}
    subprocess.run([PY, "bench/report_bench.py"], cwd=ROOT, env=env, check=True)
    return dict(json.loads((OUT / "report_results.json").read_text()))


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {"date": timezone.localdate().isoformat(), "cpus": str(os.cpu_count()), "cpu": cpu,
            "memory_gib": f"{int(memory) / 2**20:.0f}", "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "postgresql": postgres}  # fmt: skip
