"""Who may see which saved scenario and follow-up item: like `assessment.access`, helpers take a
membership (or an evaluation already scoped by it) and answer 404 for what is out of scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from assessment.capabilities import Capabilities
from assessment.models import Evaluation, Membership, Role
from scoring.models import FollowUp, Scenario
from spbe_portal.numbers import parse_int


def scenario_for(evaluation: Evaluation, pk: str | None) -> Scenario | None:
    """A saved scenario of this evaluation (already scoped through `evaluation_for`); 404 otherwise."""
    if not pk:
        return None
    scenario_pk = parse_int(pk)
    if scenario_pk is None:
        raise Http404
    try:
        return Scenario.objects.get(pk=scenario_pk, evaluation=evaluation)
    except Scenario.DoesNotExist:
        raise Http404 from None


def followups_for(member: Membership | None) -> QuerySet[FollowUp]:
    """The instansi's follow-up items; OPD staff see their own OPD's."""
    if member is None:
        return FollowUp.objects.none()
    items = FollowUp.objects.filter(instansi=member.instansi)
    if member.role == Role.OPD:
        items = items.filter(owner_opd=member.opd)
    return items


def followup_for(member: Membership | None, pk: int) -> FollowUp:
    try:
        return followups_for(member).select_related("evaluation", "indicator").get(pk=pk)
    except FollowUp.DoesNotExist:
        raise Http404 from None


def may_edit_followup(member: Membership | None, item: FollowUp) -> bool:
    """Planners any item of their instansi (already scoped); OPD staff their own OPD's."""
    can = Capabilities.of(member)
    if not can.follow_up:
        return False
    return can.plan or (member is not None and member.opd_id is not None and member.opd_id == item.owner_opd_id)
