"""Evidence on the answer page (and anywhere else an answer is shown).

Usage::

    {% load evidence_tags %}
    {% answer_evidence answer can_edit claimed_level %}

* ``answer``: the Answer shown.
* ``can_edit``: whether this user may change the answer's evidence now, i.e. OPD staff of the
  lead or a contributing OPD and ``edit_blocker(answer)`` is None
  (``assessment.access.is_answerer`` decides the first half).
* ``claimed_level``: the OPD's claimed level (Decimal or None); from level 4 up, evidence dated
  more than two years ago gets a warning badge. Optional.

The tag renders ``assessment/evidence/_answer_evidence.html`` with ``links`` (the answer's
evidence, latest versions prefetched), ``library`` (the user's other evidence of the same
instansi, for the "attach from the library" select, only when ``can_edit``) and ``today``.
It runs three queries (links, versions, library), whatever the number of items, and needs
``request`` in the context (the request context processor).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.http import HttpRequest
from django.utils import timezone

from assessment.access import evidence_for_member, membership
from assessment.models import Answer, AnswerEvidence, Evidence, EvidenceVersion, Membership
from assessment.services.evidence import can_read_access_note, is_stale, latest_version
from assessment.uploads import INLINE_TYPES

register = template.Library()


@register.inclusion_tag("assessment/evidence/_answer_evidence.html", takes_context=True)
def answer_evidence(
    context: template.Context, answer: Answer, can_edit: bool = False, claimed_level: Decimal | None = None
) -> dict[str, Any]:
    request: HttpRequest | None = context.get("request")
    member = membership(request) if request is not None else None
    links = list(
        AnswerEvidence.objects.filter(answer=answer)
        .select_related("evidence")
        .prefetch_related("evidence__versions")
        .order_by("added_at", "pk")
    )
    library: list[Evidence] = []
    if can_edit and member is not None:
        library = list(
            evidence_for_member(member)
            .filter(instansi__evaluations=answer.evaluation_id)  # no query for the evaluation
            .exclude(pk__in=[link.evidence_id for link in links])
            .only("pk", "title", "document_date")
            .order_by("title")
        )
    return {
        "answer": answer,
        "links": links,
        "library": library,
        "can_edit": can_edit,
        "claimed_level": claimed_level,
        "today": timezone.localdate(),
        "member": member,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.filter
def latest(evidence: Evidence) -> EvidenceVersion | None:
    return latest_version(evidence)


@register.filter
def stale_on(evidence: Evidence, today: date) -> bool:
    return is_stale(evidence, today)


@register.filter
def previewable(version: EvidenceVersion | None) -> bool:
    return version is not None and version.content_type in INLINE_TYPES


@register.filter
def access_note_for(evidence: Evidence, member: object) -> str:
    """The access note when this member may read it (reviewers, the owning OPD); else empty."""
    return evidence.access_note if isinstance(member, Membership) and can_read_access_note(member, evidence) else ""


@register.filter
def http_url(url: str) -> str:
    """The URL when it is http(s); rows made outside the form (admin, imports) may hold javascript:."""
    return url if url.lower().startswith(("https://", "http://")) else ""
