"""What a notification says, kept as a key and parameters so each reader gets their own language.

The in-app list renders `NOTICES[key] % params` in the reader's active language when the page is
drawn; the e-mail copy is rendered in the portal's default language (Bahasa Indonesia). Adding a
notice: add a key here (its text marked with gettext_noop) and call `notify` with `Notice(key, ...)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop

NOTICES: dict[str, str] = {
    "answer_submitted": gettext_noop(
        "%(instansi)s: jawaban indikator %(number)s (%(indicator)s) dari %(opd)s diajukan untuk diperiksa."
    ),
    "answer_approved": gettext_noop("%(instansi)s: jawaban indikator %(number)s (%(indicator)s) disetujui."),
    "answer_returned": gettext_noop(
        "%(instansi)s: jawaban indikator %(number)s (%(indicator)s) dikembalikan untuk perbaikan."
    ),
}
REASON = gettext_noop("Alasan: %(reason)s")


@dataclass(frozen=True)
class Notice:
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in NOTICES:
            raise KeyError(f"unknown notice {self.key!r}")


def render(key: str, params: dict[str, Any], fallback: str = "") -> str:
    """The notice in the active language; `fallback` (the stored text) for an unknown key or old row."""
    if key not in NOTICES:
        return fallback
    try:
        text = gettext(NOTICES[key]) % params
        if params.get("reason"):
            text = f"{text} {gettext(REASON) % {'reason': params['reason']}}"
    except (KeyError, TypeError, ValueError):
        return fallback
    return text
