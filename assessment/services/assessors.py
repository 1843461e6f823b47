"""Assigning external assessors (asesor) to evaluations, for a period.

A superuser assigns anyone; a provincial coordinator assigns only to evaluations of instansi it
coordinates. The assigned account must be an assessor: claims, groups or anything else never
turn another account into one. Rows are kept (with their history) as the record of who assessed
what; ending an assignment early moves its end date to yesterday.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.access import membership_of
from assessment.capabilities import Capabilities
from assessment.models import AssessorAssignment, Evaluation
from assessment.services.evaluations import WorkflowError


def may_assign(by: AbstractBaseUser, evaluation: Evaluation) -> bool:
    if getattr(by, "is_superuser", False):
        return True
    member = membership_of(by)
    return (
        member is not None
        and Capabilities.of(member).assign_assessors
        and evaluation.instansi.coordinator_id == member.instansi_id
    )


@transaction.atomic
def assign(
    by: AbstractBaseUser, assessor: AbstractBaseUser, evaluation: Evaluation, starts_on: date, ends_on: date
) -> AssessorAssignment:
    """Create or update (same assessor and evaluation) the assignment."""
    if not may_assign(by, evaluation):
        raise WorkflowError(_("Anda tidak berwenang menugaskan asesor untuk evaluasi ini."))
    target = membership_of(assessor)
    if not Capabilities.of(target).assess or not assessor.is_active:
        raise WorkflowError(_("Akun ini bukan akun asesor yang aktif."))
    if ends_on < starts_on:
        raise WorkflowError(_("Tanggal berakhir tidak boleh sebelum tanggal mulai."))
    found = AssessorAssignment.objects.select_for_update().filter(assessor_id=assessor.pk, evaluation=evaluation)
    row = found.first() or AssessorAssignment(assessor_id=assessor.pk, evaluation=evaluation)
    row.starts_on, row.ends_on, row.assigned_by_id = starts_on, ends_on, by.pk
    row._history_user = by  # type: ignore[attr-defined]
    row.save()
    return row


@transaction.atomic
def end_now(by: AbstractBaseUser, row: AssessorAssignment) -> AssessorAssignment:
    """Access ends at once (the next request is a 404); the row stays as the record."""
    if not may_assign(by, row.evaluation):
        raise WorkflowError(_("Anda tidak berwenang menugaskan asesor untuk evaluasi ini."))
    yesterday = timezone.localdate() - timedelta(days=1)
    row.ends_on = yesterday
    row.starts_on = min(row.starts_on, yesterday)  # the check constraint: an end never before the start
    row._history_user = by  # type: ignore[attr-defined]
    row.save()
    return row
