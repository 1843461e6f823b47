"""The evidence library: adding files, links and versions, attaching them to answers, carry-over.

Who may *see* what is decided in `assessment.access`; the predicates here say who may *change*
evidence, and every use case re-checks the state it depends on inside its transaction.
Files are written only after `assessment.uploads.check_upload` accepted them, and a use case
that fails after writing removes what it wrote, so a failure leaves nothing in the store
(MEDIA_ROOT or the bucket).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessment.capabilities import Capabilities
from assessment.models import (
    Answer,
    AnswerEvidence,
    AnswerStatus,
    Evaluation,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    EvidenceVersion,
    Instansi,
    Membership,
    Opd,
)
from assessment.services.answers import edit_blocker, evidence_changed
from assessment.services.evaluations import WorkflowError
from assessment.uploads import CheckedUpload
from spbe_portal import storage

RECENCY_YEARS = 2


# --- Who may change what ------------------------------------------------------------------


def can_upload(member: Membership) -> bool:
    return Capabilities.of(member).use_library


def can_add_version(member: Membership, evidence: Evidence) -> bool:
    """Diskominfo and the admin for their instansi; OPD staff for their own OPD's evidence."""
    if evidence.kind != EvidenceKind.FILE or member.instansi_id != evidence.instansi_id:
        return False
    return _curates(member, evidence)


def can_read_access_note(member: Membership, evidence: Evidence) -> bool:
    """Demo accounts are for reviewers, and for the OPD that wrote them down."""
    return _curates(member, evidence)


def _curates(member: Membership, evidence: Evidence) -> bool:
    can = Capabilities.of(member)
    return can.curate_library or (can.answer and member.opd_id == evidence.opd_id)


# --- Recency ------------------------------------------------------------------------------


def recency_cutoff(today: date) -> date:
    """The same day two years earlier (29 February becomes 28 February)."""
    try:
        return today.replace(year=today.year - RECENCY_YEARS)
    except ValueError:
        return today.replace(year=today.year - RECENCY_YEARS, day=28)


def is_stale(evidence: Evidence, today: date) -> bool:
    """Dated more than two years before `today`; undated evidence (a link) is never stale."""
    return evidence.document_date is not None and evidence.document_date < recency_cutoff(today)


def latest_version(evidence: Evidence) -> EvidenceVersion | None:
    """The newest version, from the prefetched `versions` (ordered newest first) when there are."""
    versions = list(evidence.versions.all())
    return versions[0] if versions else None


# --- Use cases ----------------------------------------------------------------------------


@contextmanager
def _removing_on_failure(written: list[str]) -> Iterator[None]:
    """Delete the files named in `written` when the block fails (its transaction rolled back)."""
    try:
        yield
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def _store_version(
    evidence: Evidence, number: int, upload: CheckedUpload, user: AbstractBaseUser, written: list[str]
) -> EvidenceVersion:
    version = EvidenceVersion(
        evidence=evidence,
        number=number,
        original_name=upload.original_name,
        size=upload.size,
        sha256=upload.sha256,
        content_type=upload.content_type,
        flag=upload.flag,
        uploaded_by_id=user.pk,
    )
    # The name only carries the suffix; `evidence_path` generates the stored name. The checked
    # file is copied in chunks (a temporary file on disk for anything large), never loaded whole.
    upload.file.seek(0)
    version.file.save(f"bukti{upload.suffix}", File(upload.file), save=False)
    written.append(version.file.name or "")
    try:
        # Read back from the store (disk or bucket): it must hold exactly the bytes we hashed.
        storage.verify(version.file.storage, version.file.name or "", upload.sha256, upload.size)
    except storage.StoredFileMismatchError:
        raise WorkflowError(_("Berkas tidak tersimpan utuh di penyimpanan; silakan unggah lagi.")) from None
    version.save()
    return version


def _attach(answer: Answer, evidence: Evidence, user: AbstractBaseUser) -> AnswerEvidence:
    locked = Answer.objects.select_for_update().select_related("evaluation").get(pk=answer.pk)
    blocker = edit_blocker(locked)
    if blocker:
        raise WorkflowError(blocker)
    if evidence.instansi_id != locked.evaluation.instansi_id:
        raise WorkflowError(_("Bukti ini milik instansi lain."))
    link, created = AnswerEvidence.objects.get_or_create(
        answer=locked, evidence=evidence, defaults={"added_by_id": user.pk}
    )
    if created:
        evidence_changed(locked, user)
    return link


def add_file(
    *,
    instansi: Instansi,
    opd: Opd | None,
    user: AbstractBaseUser,
    title: str,
    document_date: date | None,
    upload: CheckedUpload,
    answer: Answer | None = None,
) -> Evidence:
    """A new library item with version 1; attached to `answer` too when given (all or nothing)."""
    written: list[str] = []
    with _removing_on_failure(written), transaction.atomic():
        evidence = Evidence.objects.create(
            instansi=instansi,
            opd=opd,
            kind=EvidenceKind.FILE,
            title=title,
            document_date=document_date,
            created_by_id=user.pk,
        )
        _store_version(evidence, 1, upload, user, written)
        if answer is not None:
            _attach(answer, evidence, user)
    return evidence


@transaction.atomic
def add_link(
    *,
    instansi: Instansi,
    opd: Opd | None,
    user: AbstractBaseUser,
    title: str,
    url: str,
    access_note: str,
    document_date: date | None,
    answer: Answer | None = None,
) -> Evidence:
    """A service URL (with an access note such as a demo account) as a library item."""
    evidence = Evidence.objects.create(
        instansi=instansi,
        opd=opd,
        kind=EvidenceKind.LINK,
        title=title,
        url=url,
        access_note=access_note,
        document_date=document_date,
        created_by_id=user.pk,
    )
    if answer is not None:
        _attach(answer, evidence, user)
    return evidence


def add_version(
    evidence: Evidence, user: AbstractBaseUser, upload: CheckedUpload, document_date: date | None = None
) -> EvidenceVersion:
    """Replace the file by a new version; every earlier version is kept."""
    written: list[str] = []
    with _removing_on_failure(written), transaction.atomic():
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if evidence.kind != EvidenceKind.FILE:
            raise WorkflowError(_("Bukti berupa tautan tidak memiliki versi berkas."))
        # A reviewer decides on the exact files of a submitted answer; they must not change underfoot.
        if evidence.links.filter(answer__status=AnswerStatus.SUBMITTED).exists():
            raise WorkflowError(_("Bukti ini dipakai jawaban yang sedang diperiksa verifikator; tunggu keputusannya."))
        number = (evidence.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = _store_version(evidence, number, upload, user, written)
        if document_date is not None:
            evidence.document_date = document_date
            evidence.save(update_fields=["document_date"])
    return version


@transaction.atomic
def attach(answer: Answer, evidence: Evidence, user: AbstractBaseUser) -> AnswerEvidence:
    """Attach a library item to an answer; attaching it twice is harmless."""
    return _attach(answer, evidence, user)


@transaction.atomic
def detach(link: AnswerEvidence, user: AbstractBaseUser) -> None:
    """Remove the link; the evidence stays in the library."""
    answer = Answer.objects.select_for_update().select_related("evaluation").get(pk=link.answer_id)
    blocker = edit_blocker(answer)
    if blocker:
        raise WorkflowError(blocker)
    AnswerEvidence.objects.filter(pk=link.pk).delete()
    evidence_changed(answer, user)


def previous_evaluation(evaluation: Evaluation) -> Evaluation | None:
    """The same instansi's most recent earlier evaluation (normally last year's)."""
    return (
        Evaluation.objects.filter(instansi_id=evaluation.instansi_id, year__lt=evaluation.year)
        .order_by("-year")
        .first()
    )


@transaction.atomic
def carry_over(previous_evaluation: Evaluation, new_evaluation: Evaluation, user: AbstractBaseUser) -> int:
    """Re-attach last year's evidence to this year's answers; returns how many links were added.

    For each indicator number present in both evaluations, every evidence link of the previous
    answer that was not rejected is attached to the new answer, except evidence dated more than
    two years ago and answers that cannot be edited now (`edit_blocker`). Running it again adds
    nothing. A constant number of queries whatever the number of answers.
    """
    # The row lock queues two concurrent carry-overs of the same evaluation.
    new = Evaluation.objects.select_for_update().get(pk=new_evaluation.pk)
    if new.is_finalised:
        raise WorkflowError(_("Evaluasi ini sudah final dan terkunci."))
    if previous_evaluation.instansi_id != new.instansi_id or previous_evaluation.year >= new.year:
        raise WorkflowError(_("Bukti hanya dapat dibawa dari evaluasi tahun sebelumnya pada instansi yang sama."))
    sources = (
        AnswerEvidence.objects.filter(answer__evaluation=previous_evaluation)
        .exclude(status=EvidenceStatus.REJECTED)
        .exclude(evidence__document_date__lt=recency_cutoff(timezone.localdate()))
        .values_list("answer__indicator__number", "evidence_id")
        .order_by("answer__indicator__number", "added_at")
    )
    targets: dict[int, Answer] = {}
    for answer in new.answers.select_related("indicator"):
        answer.evaluation = new  # edit_blocker reads it; no query per answer
        if edit_blocker(answer) is None:
            targets[answer.indicator.number] = answer
    present = set(AnswerEvidence.objects.filter(answer__evaluation=new).values_list("answer_id", "evidence_id"))
    added: list[AnswerEvidence] = []
    for number, evidence_id in sources:
        target = targets.get(number)
        if target is None or (target.pk, evidence_id) in present:
            continue
        present.add((target.pk, evidence_id))
        added.append(AnswerEvidence(answer=target, evidence_id=evidence_id, added_by_id=user.pk))
    bulk_create_with_history(added, AnswerEvidence, default_user=user)
    return len(added)
