"""Who may request and download which report.

The Sekda, admins and reviewers: every report of their instansi. OPD staff: only their own
OPD's progress report and rapor. Anyone else, and anything of another instansi: 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from assessment.capabilities import Capabilities
from assessment.models import Membership
from reports.kinds import KINDS, Scope, in_scope
from reports.models import Report

PER_OPD = [kind.key for kind in in_scope(Scope.OPD)]  # OPD staff get these, for their own OPD


def allowed_kinds(member: Membership | None) -> list[str]:
    can = Capabilities.of(member)
    if can.read_all_reports:
        return list(KINDS)
    if can.read_reports:
        return list(PER_OPD)
    return []


def reports_for(member: Membership | None) -> QuerySet[Report]:
    if member is None or not allowed_kinds(member):
        return Report.objects.none()
    reports = Report.objects.filter(evaluation__instansi=member.instansi)
    if not Capabilities.of(member).read_all_reports:  # OPD staff: their own OPD's reports
        reports = reports.filter(kind__in=PER_OPD, opd=member.opd)
    return reports


def report_for(member: Membership | None, pk: int) -> Report:
    try:
        return reports_for(member).select_related("evaluation__instansi", "opd").get(pk=pk)
    except Report.DoesNotExist:
        raise Http404 from None
