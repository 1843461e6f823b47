"""Badge colours by state, one mapping for answers, evidence decisions and reviews.

Usage: ``{% load status_tags %}<span class="badge {{ answer.status|status_badge }}">…</span>``.
Bootstrap's ``text-bg-*`` pairs keep the text readable (WCAG AA) on every colour used here.
"""

from __future__ import annotations

from django import template

register = template.Library()

_CLASSES = {
    "approved": "text-bg-success",
    "returned": "text-bg-danger",
    "rejected": "text-bg-danger",
    "submitted": "text-bg-info",
}


@register.filter
def status_badge(status: str) -> str:
    """The badge class for an answer or evidence status; anything undecided is grey."""
    return _CLASSES.get(str(status), "text-bg-secondary")
