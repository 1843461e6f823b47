"""Who may see what. Every view reaches tenant data through these helpers.

The rule: a user sees their own instansi's work in progress; the index of a *finalised*
evaluation is a published figure that every logged-in user of the deployment may see.
Anything else answers 404, so that ids of other tenants cannot even be probed.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from assessment.models import Evaluation, EvaluationStatus, Membership


def membership_of(user: AbstractBaseUser | AnonymousUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return Membership.objects.select_related("instansi", "opd").get(user_id=user.pk)
    except Membership.DoesNotExist:
        return None


def finalised_evaluations() -> QuerySet[Evaluation]:
    """Published results: visible to every logged-in user of the deployment."""
    return Evaluation.objects.filter(status=EvaluationStatus.FINALISED).select_related("instansi", "framework")


def own_evaluations(membership: Membership | None) -> QuerySet[Evaluation]:
    """Evaluations of the user's instansi (and of instansi a provincial coordinator reads)."""
    if membership is None:
        return Evaluation.objects.none()
    scope = Q(instansi=membership.instansi)
    if membership.role == "koordinator":
        scope |= Q(instansi__coordinator=membership.instansi)
    return Evaluation.objects.filter(scope).select_related("instansi", "framework")
