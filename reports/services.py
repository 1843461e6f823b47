"""Requesting, building and re-sending reports. The Celery task is a thin wrapper over `run`."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from assessment.capabilities import Capabilities
from assessment.models import (
    Answer,
    AnswerEvidence,
    AnswerItem,
    Evaluation,
    Evidence,
    EvidenceVersion,
    ItemEvidence,
    Letterhead,
    Membership,
    Opd,
    Review,
    StageValue,
)
from assessment.services.identity import assign_number
from reports import heartbeat, rendering
from reports.access import allowed_kinds
from reports.kinds import KINDS, Scope
from reports.models import Report, ReportStatus
from spbe_portal import storage as stored

log = logging.getLogger(__name__)


def fingerprint(evaluation: Evaluation, kind: str, opd: Opd | None, target: str = "") -> str:
    """A digest of everything a report shows; equal digests mean an existing build is current.

    Aggregates only (a constant number of queries). Renamed OPDs and users are not covered:
    a report keeps the names it was built with until any answer data changes.
    """
    answers = Answer.objects.filter(evaluation=evaluation).aggregate(
        n=Count("pk"), versions=Sum("version"), changed=Max("updated_at")
    )
    values = StageValue.objects.filter(answer__evaluation=evaluation).aggregate(
        n=Count("pk"), total=Sum("value"), changed=Max("recorded_at")
    )
    evidence = AnswerEvidence.objects.filter(answer__evaluation=evaluation).aggregate(
        n=Count("pk"), reviewed=Max("reviewed_at"), added=Max("added_at"),
        approved=Count("pk", filter=Q(status="approved")),
    )  # fmt: skip
    reviews = Review.objects.filter(answer__evaluation=evaluation).aggregate(
        n=Count("pk"), decided=Max("decided_at"), voided=Max("voided_at")
    )
    linked = Evidence.objects.filter(links__answer__evaluation=evaluation)
    files = EvidenceVersion.objects.filter(evidence__in=linked).aggregate(n=Count("pk"), last=Max("uploaded_at"))
    edits = Evidence.history.filter(id__in=linked.values("pk")).aggregate(n=Count("history_id"))
    history = Evaluation.objects.filter(instansi_id=evaluation.instansi_id, status="finalised").aggregate(
        n=Count("pk"), last=Max("finalised_at")
    )
    # Evidence items (the hand-off package): verdicts, notes and files on items, deletions included.
    items = AnswerItem.history.filter(answer__evaluation=evaluation).aggregate(
        n=Count("history_id"), last=Max("history_date")
    )
    item_files = ItemEvidence.history.filter(answer_item__answer__evaluation=evaluation).aggregate(
        n=Count("history_id"), last=Max("history_date")
    )
    # A new letterhead, emblem or signer makes a new version: every PDF prints them.
    letterhead = Letterhead.objects.filter(instansi_id=evaluation.instansi_id).values_list(
        "heading", "address", "phone", "website", "email", "emblem", "number_pattern", "place", "signer_name",
        "signer_nip",
    ).first()  # fmt: skip
    parts = [kind, opd.pk if opd else "", letterhead, evaluation.status, items, item_files, evaluation.finalised_at,
             evaluation.deadline,
             evaluation.predicate_basis, evaluation.framework.checksum, answers, values, evidence, reviews, files,
             edits, history, *([target] if target else [])]  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def broker_reachable() -> bool:
    """One quick ping, no retries: redis-py's default backoff would keep the user waiting.

    `redis` is imported with this module, not here: importing it takes about 115 ms, which the
    first report request of every web worker used to pay (gunicorn preloads the app instead).
    """
    from spbe_portal.celery import app

    if app.conf.task_always_eager or not settings.REDIS_URL:
        return True
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5, retry=Retry(NoBackoff(), 0)
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def enqueue(report_id: int) -> bool:
    """Send the build to the broker; False (and the row stays queued) when the broker is down."""
    from reports.tasks import build_report

    if not broker_reachable():
        log.warning("broker unavailable; report %s stays queued for the sweeper", report_id)
        return False
    try:
        # No publish retries: with the broker down the user must get an answer within seconds;
        # the sweeper sends queued reports again once the broker is back.
        build_report.apply_async((report_id,), retry=False)
    except Exception:  # kombu raises several types for an unreachable broker
        log.warning("broker unavailable; report %s stays queued for the sweeper", report_id, exc_info=True)
        return False
    Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(enqueued_at=timezone.now())
    return True


class KindRefused(Exception):  # noqa: N818
    """An unknown kind, or one this member may not request (the page answers 404, the API 403)."""


def request_report(
    member: Membership, evaluation: Evaluation, kind: str, opd: Opd | None = None, target: str = ""
) -> tuple[Report, bool]:
    """A member asks for a report: the current build of this data, or a new queued version.

    Returns the report and whether this request created it. `evaluation` is one the member may
    see. Per-OPD kinds are built for `opd` (None: every OPD), and OPD staff always get their own
    OPD's, whatever they asked; the other kinds ignore `opd`, and only plan kinds keep `target`.
    Raises `KindRefused`, or `rendering.ReportNotAvailable` with the reason.
    """
    entry = KINDS.get(kind)
    if entry is None or kind not in allowed_kinds(member):
        raise KindRefused(kind)
    if entry.scope is not Scope.OPD:
        opd = None
    elif not Capabilities.of(member).read_all_reports:  # OPD staff: their own OPD's
        opd = member.opd
    if opd is not None and opd.instansi_id != evaluation.instansi_id:
        raise KindRefused(kind)
    target = target.strip()[:40] if entry.scope is Scope.PLAN else ""
    reason = entry.unavailable(evaluation, target)
    if reason is not None:
        raise rendering.ReportNotAvailable(reason)
    report, created = _current_report(evaluation, kind, opd, target, member.user_id)
    if created:  # after the commit: in the embedded mode the report has been built meanwhile
        report.refresh_from_db()
    return report, created


@transaction.atomic
def _current_report(
    evaluation: Evaluation, kind: str, opd: Opd | None, target: str, user_id: int
) -> tuple[Report, bool]:
    digest = fingerprint(evaluation, kind, opd, target)
    existing = Report.objects.filter(evaluation=evaluation, kind=kind, opd=opd, target=target)
    current = existing.filter(fingerprint=digest).exclude(status=ReportStatus.FAILED).first()
    if current is not None:
        return current, False
    version = (existing.aggregate(v=Max("version"))["v"] or 0) + 1
    report = Report.objects.create(
        evaluation=evaluation,
        kind=kind,
        opd=opd,
        target=target,
        fingerprint=digest,
        version=version,
        requested_by_id=user_id,
    )
    transaction.on_commit(lambda: enqueue(report.pk), robust=True)
    return report, True


def _claim(report_id: int) -> bool:
    """Take the report for building; a finished or failed report is left alone (idempotence)."""
    return bool(
        Report.objects.filter(pk=report_id, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]).update(
            status=ReportStatus.RUNNING,
            started_at=timezone.now(),
            heartbeat_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


def run(report_id: int) -> None:
    """Build one report. Safe to run twice: a redelivered task rebuilds into the same file name."""
    if not _claim(report_id):
        return
    report = Report.objects.select_related("evaluation__framework", "evaluation__instansi", "opd").get(pk=report_id)
    try:
        with heartbeat.beating(report_id):
            document = rendering.build(
                report.kind, report.evaluation, report.opd, target=report.target, number=_numberer(report)
            )
    except rendering.ReportNotAvailable as error:
        fail(report_id, str(error))
        return
    name = f"reports/laporan-{report.pk}{document.suffix}"
    storage = report.file.storage
    # One file per report whatever happened to earlier attempts: overwrite, never add a copy.
    if storage.exists(name):
        storage.delete(name)
    sha256 = hashlib.sha256(document.content).hexdigest()
    # Checked against what the store (disk or bucket) holds; a mismatch removes the object and
    # fails the attempt, which the task records as a failed report.
    saved = stored.save_verified(storage, name, ContentFile(document.content), sha256, len(document.content))
    with transaction.atomic():
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.DONE, file=saved, size=len(document.content),
            sha256=sha256, content_type=document.content_type,
            finished_at=timezone.now(), reason="",
        )  # fmt: skip


def _numberer(report: Report) -> rendering.Numberer:
    """Numbers kept per document: a rebuild (a new version of the same report) prints the same one."""
    return lambda kind, opd: assign_number(report.evaluation, kind, opd, report.target)


def fail(report_id: int, reason: str) -> None:
    Report.objects.filter(pk=report_id).update(status=ReportStatus.FAILED, reason=reason, finished_at=timezone.now())


def sweep() -> int:
    """Send again what the broker never got (it was down) or what a dead worker left running:
    its heartbeat stopped (reports/heartbeat.py), or it ran past twice the task time limit."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.REPORT_REQUEUE_AFTER)
    stuck_cutoff = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2)
    silent_cutoff = now - timedelta(seconds=settings.REPORT_HEARTBEAT_STALE)
    waiting = Report.objects.filter(
        Q(status=ReportStatus.QUEUED, enqueued_at=None)
        | Q(status=ReportStatus.QUEUED, enqueued_at__lt=cutoff)
        | Q(status=ReportStatus.RUNNING, started_at__lt=stuck_cutoff)
        | Q(status=ReportStatus.RUNNING, heartbeat_at__lt=silent_cutoff)
    )
    sent = 0
    for report_id in waiting.values_list("pk", flat=True):
        Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(status=ReportStatus.QUEUED)
        sent += enqueue(report_id)
    return sent
