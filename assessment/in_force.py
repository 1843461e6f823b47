"""Which framework is in force for an evaluation year, read from the framework files.

A file may say ``"in_force": {"from_year": 2026, "revoked_by": "<code>"}``: the first evaluation
year it applies to, and the code of the framework that replaces it. A framework is revoked for a
year once its replacement is loaded and in force that year. Nothing here names a framework.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessment.models import Framework


@dataclass(frozen=True)
class InForce:
    from_year: int | None
    revoked_by: str | None


def in_force(framework: Framework) -> InForce:
    data = (framework.meta or {}).get("in_force") or {}
    return InForce(data.get("from_year"), data.get("revoked_by"))


def replacement(framework: Framework, year: int, frameworks: Sequence[Framework]) -> Framework | None:
    """The loaded framework that revokes `framework` for `year`, if any."""
    code = in_force(framework).revoked_by
    for other in frameworks:
        if code and other.code == code and _started(other, year):
            return other
    return None


def _started(framework: Framework, year: int) -> bool:
    start = in_force(framework).from_year
    return start is None or start <= year


def applies(framework: Framework, year: int, frameworks: Sequence[Framework]) -> bool:
    """Whether `framework` is the law for `year`: started, and not revoked by a loaded successor."""
    return _started(framework, year) and replacement(framework, year, frameworks) is None


def default_for(year: int, frameworks: Sequence[Framework]) -> Framework | None:
    """The framework a new evaluation of `year` should use: the most recent one in force."""
    candidates = [f for f in frameworks if applies(f, year, frameworks)]
    return max(candidates, key=lambda f: in_force(f).from_year or 0, default=None)


def warning(framework: Framework, year: int, frameworks: Sequence[Framework]) -> str | None:
    """Why using `framework` for `year` needs the admin's confirmation, or None when it is in force."""
    successor = replacement(framework, year, frameworks)
    if successor is not None:
        return _("%(name)s sudah dicabut untuk tahun %(year)s dan diganti %(successor)s.") % {
            "name": framework.short_name, "year": year, "successor": successor.short_name,
        }  # fmt: skip
    if not _started(framework, year):
        return _("%(name)s baru berlaku mulai tahun %(start)s.") % {
            "name": framework.short_name, "start": in_force(framework).from_year,
        }  # fmt: skip
    return None
