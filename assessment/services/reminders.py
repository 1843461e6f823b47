"""Deadline reminders: OPD staff hear 7 days and 1 day before an open evaluation's deadline.

Run daily (`manage.py send_deadline_reminders`). Running it again the same day sends nothing new:
a reminder is identified by its link and its first sentence (year, days left, deadline),
so a moved deadline earns a fresh reminder while a re-run or a changed count does not.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from assessment.models import Answer, AnswerStatus, Evaluation, EvaluationStatus, Membership, Notification, Role
from assessment.services.notifications import notify
from spbe_portal import formatting

JAKARTA = ZoneInfo("Asia/Jakarta")
DAYS_BEFORE = (7, 1)
# Answers the OPD still has to act on: never submitted, or sent back by the verifikator.
PENDING = (AnswerStatus.DRAFT, AnswerStatus.RETURNED)


def today_in_jakarta() -> date:
    return timezone.localdate(timezone=JAKARTA)


def send_deadline_reminders(today: date) -> int:
    """Notify for every open evaluation whose deadline (a WIB date) is 7 or 1 days after `today`."""
    sent = 0
    # Notifications are stored text: write them in the portal's language, not the caller's.
    with translation.override(settings.LANGUAGE_CODE):
        for days in DAYS_BEFORE:
            start = datetime.combine(today + timedelta(days=days), time.min, tzinfo=JAKARTA)
            due = Evaluation.objects.filter(
                status=EvaluationStatus.OPEN, deadline__gte=start, deadline__lt=start + timedelta(days=1)
            ).order_by("pk")
            for evaluation in due:
                sent += _remind(evaluation, days)
    return sent


def _pending_by_opd(evaluation: Evaluation) -> dict[int, set[int]]:
    """OPD id -> ids of the pending answers it leads or contributes to."""
    pending = dict(Answer.objects.filter(evaluation=evaluation, status__in=PENDING).values_list("pk", "lead_opd_id"))
    by_opd: dict[int, set[int]] = defaultdict(set)
    for answer_id, lead_id in pending.items():
        if lead_id is not None:
            by_opd[lead_id].add(answer_id)
    links = Answer.contributors.through.objects.filter(answer_id__in=list(pending)).values_list("answer_id", "opd_id")
    for answer_id, opd_id in links:
        by_opd[opd_id].add(answer_id)
    return by_opd


@transaction.atomic
def _remind(evaluation: Evaluation, days: int) -> int:
    by_opd = _pending_by_opd(evaluation)
    if not by_opd or evaluation.deadline is None:
        return 0
    # The worklist is where OPD staff act on their answers; (year, deadline) in the message already
    # tells one evaluation from another, since a user belongs to one instansi with one per year.
    url = reverse("assessment:worklist")
    deadline = formatting.wib(evaluation.deadline)  # "8 Desember 2026 14.05 WIB", as before the module
    head = ngettext(
        "Tenggat penilaian mandiri %(year)s tinggal %(days)s hari (%(deadline)s).",
        "Tenggat penilaian mandiri %(year)s tinggal %(days)s hari (%(deadline)s).",
        days,
    ) % {"year": evaluation.year, "days": days, "deadline": deadline}
    already = Notification.objects.filter(url=url, message__startswith=head).values("user_id")
    staff = (
        Membership.objects.filter(role=Role.OPD, opd_id__in=list(by_opd), user__is_active=True)
        .exclude(user_id__in=already)
        .select_related("user")
        .order_by("user_id")
    )
    sent = 0
    for member in staff:
        if member.opd_id is None:  # excluded by the role=opd constraint; narrows the type
            continue
        count = len(by_opd[member.opd_id])
        rest = ngettext(
            "Masih ada %(count)s indikator yang belum diajukan.",
            "Masih ada %(count)s indikator yang belum diajukan.",
            count,
        ) % {"count": count}
        # One call per user: each person's count differs, and no one sees colleagues' addresses.
        notify([member.user], f"{head} {rest}", url=url)
        sent += 1
    return sent
