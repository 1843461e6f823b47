"""The audit timeline of one answer, built from simple-history rows and review rounds.

Five queries whatever the length of the history: the answer's history, its stage values',
its evidence links', the evidence titles, and the reviews.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from assessment.models import Answer, AnswerEvidence, AnswerStatus, Evidence, Review, Stage, StageValue
from spbe_portal import formatting

STATUS = dict(AnswerStatus.choices)
STAGES = dict(Stage.choices)


@dataclass(frozen=True)
class Event:
    when: datetime
    who: str
    what: str
    detail: str = ""


def _who(user: Any) -> str:
    if user is None:
        return _("sistem")
    return str(user.get_full_name() or user.username)


def _answer_events(answer: Answer) -> list[Event]:
    events = []
    previous = None
    for row in answer.history.select_related("history_user").order_by("history_date", "history_id"):
        changes = []
        if previous is None:
            changes.append(_("Jawaban dibuat"))
        else:
            if row.status != previous.status:
                changes.append(
                    _("Status: %(old)s → %(new)s") % {"old": STATUS[previous.status], "new": STATUS[row.status]}
                )
            if row.explanation != previous.explanation:
                changes.append(_("Penjelasan diubah"))
            if row.lead_opd_id != previous.lead_opd_id:
                changes.append(_("OPD penanggung jawab diubah"))
        if previous is not None and previous.status == AnswerStatus.APPROVED and row.history_change_reason:
            changes.insert(0, _("Persetujuan ditarik"))  # `withdraw_approval`: the reason is the detail
        if changes:
            detail = row.explanation if previous is not None and row.explanation != previous.explanation else ""
            if row.history_change_reason:
                detail = _("Alasan: %(reason)s") % {"reason": row.history_change_reason}
            events.append(Event(row.history_date, _who(row.history_user), "; ".join(changes), detail[:500]))
        previous = row
    return events


def _value_events(answer: Answer) -> list[Event]:
    events = []
    last: dict[str, Any] = {}
    rows = StageValue.history.filter(answer_id=answer.pk).select_related("history_user").order_by("history_date")
    for row in rows:
        before = last.get(row.stage)
        if row.history_type == "-":
            what = _("Nilai %(stage)s dihapus") % {"stage": STAGES[row.stage]}
        elif before is None:
            what = _("Nilai %(stage)s: %(new)s") % {"stage": STAGES[row.stage], "new": row.value.normalize()}
        elif before != row.value:
            what = _("Nilai %(stage)s: %(old)s → %(new)s") % {
                "stage": STAGES[row.stage], "old": before.normalize(), "new": row.value.normalize()
            }  # fmt: skip
        else:
            continue
        last[row.stage] = row.value
        detail = row.note
        if row.source_value is not None:  # an externally fed value: the agency's figure it came from
            source = formatting.number(row.source_value.normalize())
            detail = " ".join([_("dikonversi dari angka sumber %(value)s") % {"value": source}, detail]).strip()
        events.append(Event(row.history_date, _who(row.history_user), what, detail))
    return events


def _evidence_events(answer: Answer) -> list[Event]:
    rows = list(
        AnswerEvidence.history.filter(answer_id=answer.pk).select_related("history_user").order_by("history_date")
    )
    titles = dict(Evidence.objects.filter(pk__in={r.evidence_id for r in rows}).values_list("pk", "title"))
    events = []
    for row in rows:
        title = titles.get(row.evidence_id, "?")
        if row.history_type == "+":
            what = _("Bukti dukung dilampirkan: %(title)s") % {"title": title}
        elif row.history_type == "-":
            what = _("Bukti dukung dilepas: %(title)s") % {"title": title}
        elif row.reviewed_at and row.status != "pending":
            what = _("Bukti dukung %(title)s: %(status)s") % {"title": title, "status": row.get_status_display()}
        else:
            continue
        events.append(Event(row.history_date, _who(row.history_user), what, row.comment))
    return events


def _review_events(answer: Answer) -> list[Event]:
    events = []
    for review in Review.objects.filter(answer=answer).select_related("reviewer"):
        what = _("Putaran %(round)s: %(decision)s") % {"round": review.round, "decision": review.get_decision_display()}
        if review.verified_value is not None:
            what += _(" (tingkat terverifikasi %(value)s)") % {"value": review.verified_value.normalize()}
        if review.voided_at:
            what += _(" — dibatalkan (persetujuan ditarik)")
        events.append(Event(review.decided_at, _who(review.reviewer), what, review.reason))
    return events


def timeline(answer: Answer) -> list[Event]:
    events = _answer_events(answer) + _value_events(answer) + _evidence_events(answer) + _review_events(answer)
    return sorted(events, key=lambda e: e.when, reverse=True)
