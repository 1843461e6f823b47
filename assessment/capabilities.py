"""What a membership may do: the one place that maps a role to its capabilities.

Views (`access.require_capability`), services and templates (`{% if can.review %}`) ask this
object, never a role string. It is derived from the membership the request already loaded, so it
costs no query; *which* objects a capability applies to is still decided by `assessment.access`
(scope: own instansi, own OPD, assigned evaluations), and out of scope stays 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assessment.models import Membership, Role

_REVIEWERS = frozenset({Role.VERIFIKATOR, Role.ADMIN})
_PLANNERS = frozenset({Role.ADMIN, Role.SEKDA, Role.VERIFIKATOR})


@dataclass(frozen=True)
class Capabilities:
    answer: bool = False  # write answers, their evidence, items and cited figures (OPD staff)
    review: bool = False  # decide on answers and judge items; carry evidence over (verifikator, admin)
    follow_reviews: bool = False  # read the review queue (reviewers and the Sekda, who does not decide)
    finalise: bool = False  # close an evaluation (the Sekda)
    read_reports: bool = False  # request and download reports (all kinds, or the own OPD's)
    read_all_reports: bool = False  # every report kind of the instansi, for any OPD
    simulate: bool = False  # the what-if simulator and the improvement plan (not the external assessor)
    plan: bool = False  # save scenarios, turn plan steps into follow-ups
    follow_up: bool = False  # update follow-up items (planners; OPD staff for their own OPD's)
    record_stages: bool = False  # record the official stages' values and item findings
    administer: bool = False  # the instansi's management pages (OPDs, users, evaluations, identity)
    import_results: bool = False  # import last year's official results (admin, or a superuser)
    carry_over: bool = False  # carry last year's evidence into an open evaluation
    use_library: bool = False  # upload evidence to the library
    curate_library: bool = False  # new versions and access notes of any evidence of the instansi
    assign_assessors: bool = False  # the provincial coordinator's assessor assignments
    assess: bool = False  # an external assessor: only assigned evaluations, only in their period
    second_factor: bool = False  # may (and must, when required) enrol an authenticator

    @classmethod
    def of(cls, member: Membership | None, user: object = None) -> Capabilities:
        superuser = bool(getattr(user, "is_superuser", False))
        if member is None:
            return cls(import_results=superuser)
        role = member.role
        return cls(
            answer=role == Role.OPD,
            review=role in _REVIEWERS,
            follow_reviews=role in _REVIEWERS or role == Role.SEKDA,
            finalise=role == Role.SEKDA,
            read_reports=role in _PLANNERS or role == Role.OPD,
            read_all_reports=role in _PLANNERS,
            simulate=role != Role.ASESOR,
            plan=role in _PLANNERS,
            follow_up=role in _PLANNERS or role == Role.OPD,
            record_stages=role in _REVIEWERS or role == Role.ASESOR,
            administer=role == Role.ADMIN,
            import_results=superuser or role == Role.ADMIN,
            carry_over=role in _REVIEWERS,
            use_library=role in _REVIEWERS or role == Role.OPD,
            curate_library=role in _REVIEWERS,
            assign_assessors=role == Role.KOORDINATOR,
            assess=role == Role.ASESOR,
            second_factor=role in _REVIEWERS,
        )


# For `access.require_capability(request, "review")`: a misspelt name fails mypy, not at run time.
Capability = Literal[
    "answer", "review", "follow_reviews", "finalise", "read_reports", "read_all_reports", "simulate", "plan",
    "follow_up", "record_stages", "administer", "import_results", "carry_over", "use_library", "curate_library",
    "assign_assessors", "assess", "second_factor",
]  # fmt: skip
