"""The store (MEDIA_ROOT or the bucket) against the database: orphans, missing files, migration.

`audit` compares every stored name with the names the database points at (evidence versions
and built reports). An *orphan* is an object no row names, left by a crash between writing the
object and committing its row; a *missing* file is a row whose object is gone. `repair`
deletes orphans older than a grace period (a younger one may belong to an upload still in
flight) and marks built reports whose file is gone as failed, so they are asked for again;
missing evidence cannot be recreated and is only listed.

`migrate_directory` copies a deployment's files from disk into the current store, one file at
a time, skipping what the store already holds with the same SHA-256 (so it can be run again
after an interruption) and checking every copy against the source's checksum.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import EvidenceVersion
from reports.models import Report, ReportStatus
from spbe_portal import storage as stored


@dataclass
class Audit:
    orphans: list[str] = field(default_factory=list)
    missing_evidence: list[str] = field(default_factory=list)
    missing_reports: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.orphans or self.missing_evidence or self.missing_reports)


def audit(store: Storage | None = None) -> Audit:
    store = store or default_storage
    present = set(stored.walk(store))
    evidence = set(EvidenceVersion.objects.exclude(file="").values_list("file", flat=True))
    reports = set(Report.objects.filter(status=ReportStatus.DONE).exclude(file="").values_list("file", flat=True))
    # A report being rebuilt still names its file; it is no orphan either.
    named = evidence | reports | set(Report.objects.exclude(file="").values_list("file", flat=True))
    return Audit(
        orphans=sorted(present - named),
        missing_evidence=sorted(evidence - present),
        missing_reports=sorted(reports - present),
    )


@dataclass
class Repair:
    deleted: list[str] = field(default_factory=list)
    kept_young: list[str] = field(default_factory=list)
    reports_failed: int = 0


def repair(found: Audit, grace: timedelta, store: Storage | None = None) -> Repair:
    store = store or default_storage
    done = Repair()
    cutoff = timezone.now() - grace
    for name in found.orphans:
        if grace and store.get_modified_time(name) > cutoff:
            done.kept_young.append(name)
            continue
        store.delete(name)
        done.deleted.append(name)
    if found.missing_reports:
        done.reports_failed = Report.objects.filter(status=ReportStatus.DONE, file__in=found.missing_reports).update(
            status=ReportStatus.FAILED,
            file="",
            reason=_("Berkas laporan hilang dari penyimpanan; mintalah laporan ini lagi."),
        )
    return done


@dataclass
class Migration:
    copied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _file_digest(path: Path) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(stored.CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def migrate_directory(
    source: Path, store: Storage | None = None, progress: Callable[[str, str], None] | None = None
) -> Migration:
    """Copy every file under `source` to `store` under the same relative name, verified."""
    store = store or default_storage
    result = Migration()
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        sha256, size = _file_digest(path)
        if store.exists(name) and stored.digest(store, name) == (sha256, size):
            result.skipped.append(name)
            continue
        if store.exists(name):  # a partial or different copy from an interrupted run
            store.delete(name)
        with path.open("rb") as handle:
            saved = stored.save_verified(store, name, File(handle, name=path.name), sha256, size)
        if saved != name:  # the store renamed it: the rows would point at nothing
            store.delete(saved)
            raise stored.StoredFileMismatchError(f"{name}: stored as {saved}")
        result.copied.append(name)
        if progress:
            progress("copied", name)
    return result
