"""Who may see what. Every view reaches tenant data through these helpers.

The rules:
* a user sees their own instansi's work; OPD staff see only the answers their OPD leads or
  contributes to, and evidence of their own OPD or attached to those answers;
* a provincial coordinator reads (never writes) the instansi it coordinates;
* an external assessor (asesor) reads only the evaluations assigned to them, only between the
  assignment's start and end dates, whatever their membership's instansi; out of that period
  every page answers 404 (`assessor_gate` in `spbe_portal/middleware.py`, and the API's token
  authentication);
* another OPD's values (every stage) and notes are not OPD staff's business until that OPD hands
  the answer in: in the instansi-wide tools (simulator, improvement plan) OPD staff see the
  values of answers their OPD leads or contributes to, and of other answers only once submitted
  or approved; a draft or returned answer of another OPD counts as not assessed there
  (`values_visible`). The instansi's index itself stays instansi-wide;
* the index of a *finalised* evaluation is a published figure that every logged-in user of the
  deployment may see (the ranking); nothing else crosses instansi lines.
Anything out of scope answers 404 (`Http404`), so ids of other tenants cannot even be probed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from assessment.capabilities import Capabilities, Capability
from assessment.models import (
    Answer,
    AnswerEvidence,
    AnswerStatus,
    AssessorAssignment,
    Evaluation,
    EvaluationStatus,
    Evidence,
    EvidenceVersion,
    Instansi,
    Membership,
    Opd,
    Role,
)


def membership_of(user: object) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return Membership.objects.select_related("instansi", "opd").get(user_id=user.pk)  # type: ignore[attr-defined]
    except Membership.DoesNotExist:
        return None


def membership(request: HttpRequest) -> Membership | None:
    """The requesting user's membership, looked up once per request.

    Cached with the user it belongs to: DRF's request reads attributes through to Django's, whose
    session user (anonymous for a token call) is not the API's authenticated user.
    """
    user = request.user
    cached: tuple[object, Membership | None] | None = getattr(request, "_membership", None)
    if cached is None or cached[0] is not user:
        cached = (user, membership_of(user))
        request._membership = cached  # type: ignore[attr-defined]
    return cached[1]


def capabilities(request: HttpRequest) -> Capabilities:
    """What the requesting user may do (`assessment.capabilities`), derived once per request, no query."""
    member = membership(request)
    cached: tuple[Membership | None, Capabilities] | None = getattr(request, "_capabilities", None)
    if cached is None or cached[0] is not member:
        cached = (member, Capabilities.of(member, request.user))
        request._capabilities = cached  # type: ignore[attr-defined]
    return cached[1]


def require_membership(request: HttpRequest) -> Membership:
    """The membership; 404 without one."""
    member = membership(request)
    if member is None:
        raise Http404
    return member


def refuse_unless(allowed: bool) -> None:
    """403 for an action refused on an object the user sees (the object itself was found in scope)."""
    if not allowed:
        raise PermissionDenied


def require_capability(request: HttpRequest, capability: Capability) -> Membership:
    """The membership, when it may do `capability` (a field of `Capabilities`); otherwise 404."""
    member = require_membership(request)
    if not getattr(capabilities(request), capability):
        raise Http404
    return member


def assignments_in_force(user_id: int) -> QuerySet[AssessorAssignment]:
    """An assessor's assignments whose period includes today (in WIB, the portal's time zone)."""
    today = timezone.localdate()
    return AssessorAssignment.objects.filter(assessor_id=user_id, starts_on__lte=today, ends_on__gte=today)


def is_assessor(member: Membership | None) -> bool:
    return member is not None and member.role == Role.ASESOR


def assessor_in_force(user: object) -> bool:
    """False for an assessor with no assignment in force today: their session and tokens stop working."""
    member = membership_of(user)
    return not is_assessor(member) or assignments_in_force(member.user_id).exists()  # type: ignore[union-attr]


def _assessed(member: Membership) -> QuerySet[AssessorAssignment]:
    return assignments_in_force(member.user_id)


def finalised_evaluations() -> QuerySet[Evaluation]:
    """Published results: visible to every logged-in user of the deployment."""
    return Evaluation.objects.filter(status=EvaluationStatus.FINALISED).select_related("instansi", "framework")


def _readable_instansi(member: Membership) -> Q:
    if is_assessor(member):  # never the home instansi: only what is assigned
        return Q(pk__in=[])
    scope = Q(instansi=member.instansi)
    if member.role == Role.KOORDINATOR:
        scope |= Q(instansi__coordinator=member.instansi)
    return scope


def reads_instansi(member: Membership | None, instansi_id: int) -> bool:
    """Whether the member sees the instansi's unpublished figures (its own, or one it coordinates)."""
    if member is None or is_assessor(member):
        return False
    return Instansi.objects.filter(
        Q(pk=member.instansi_id)
        | (Q(coordinator=member.instansi) if member.role == Role.KOORDINATOR else Q(pk__in=[])),
        pk=instansi_id,
    ).exists()


def own_evaluations(member: Membership | None) -> QuerySet[Evaluation]:
    """Evaluations of the user's instansi (and of instansi a provincial coordinator reads)."""
    if member is None:
        return Evaluation.objects.none()
    if is_assessor(member):
        return Evaluation.objects.filter(pk__in=_assessed(member).values("evaluation_id")).select_related(
            "instansi", "framework"
        )
    return Evaluation.objects.filter(_readable_instansi(member)).select_related("instansi", "framework")


def evaluation_for(member: Membership | None, pk: int) -> Evaluation:
    try:
        return own_evaluations(member).get(pk=pk)
    except Evaluation.DoesNotExist:
        raise Http404 from None


def answers_for(member: Membership | None) -> QuerySet[Answer]:
    """The answers a member may read: their instansi's, narrowed to their OPD for OPD staff."""
    if member is None:
        return Answer.objects.none()
    if is_assessor(member):
        return Answer.objects.filter(evaluation_id__in=_assessed(member).values("evaluation_id"))
    answers = Answer.objects.filter(
        Q(evaluation__instansi=member.instansi)
        | (Q(evaluation__instansi__coordinator=member.instansi) if member.role == Role.KOORDINATOR else Q(pk__in=[]))
    )
    if member.role == Role.OPD:
        answers = answers.filter(led_or_contributed(member.opd_id))
    return answers


def led_or_contributed(opd_id: int | None) -> Q:
    """Answers that the OPD leads or contributes to.

    EXISTS, not a join with DISTINCT: the DISTINCT over every selected column made PostgreSQL
    spend 7 ms planning the indicator page's one-row query (1.5 ms this way).
    """
    # An OPD account without an OPD (None) keeps its old scope: answers without a lead OPD.
    contributing = Answer.contributors.through.objects.filter(answer=OuterRef("pk"), opd_id__in=[opd_id])
    return Q(lead_opd_id=opd_id) | Q(Exists(contributing))


# Once handed in, another OPD's value is the instansi's shared work in progress; before that (draft)
# or when sent back for correction (returned) it is still that OPD's own, unfinished business.
SHARED_ANSWER_STATUSES = (AnswerStatus.SUBMITTED, AnswerStatus.APPROVED)


def values_visible(member: Membership | None) -> Q | None:
    """A filter on Answer: the answers whose stage values the member may see in instansi-wide tools.

    Reviewers, admins, the Sekda, coordinators and assessors: every answer they can read (None:
    no filter).
    OPD staff: their own OPD's answers (lead or contributor) in any status, others' once
    submitted or approved. The one rule for the simulator (page and htmx), its saved scenarios,
    and the improvement plan; answer pages and OPD exports are narrower still (`answers_for`,
    `reports.access`).
    """
    if member is not None and member.role == Role.OPD:
        return led_or_contributed(member.opd_id) | Q(status__in=SHARED_ANSWER_STATUSES)
    return None


def is_answerer(member: Membership | None, answer: Answer) -> bool:
    """OPD staff of the answer's lead or a contributing OPD: the people who write it."""
    if member is None or member.role != Role.OPD or member.opd_id is None:
        return False
    if member.instansi_id != answer.evaluation.instansi_id:
        return False
    return answer.lead_opd_id == member.opd_id or answer.contributors.filter(pk=member.opd_id).exists()


def answer_for(member: Membership | None, pk: int) -> Answer:
    try:
        return (
            answers_for(member)
            .select_related(
                "evaluation__instansi",
                "evaluation__framework",
                "indicator__group__parent",
                "indicator__scale",
                "lead_opd",
            )
            .get(pk=pk)
        )
    except Answer.DoesNotExist:
        raise Http404 from None


def answer_to_write(member: Membership | None, pk: int) -> Answer:
    """An answer the member writes: OPD staff of its lead or a contributing OPD.

    The one denial rule for writing an answer (its value, its evidence, items, cited figures, the
    approval withdrawal), on every entry point (page, htmx, API, Excel import): an answer the member
    cannot see answers 404; one they see but do not write (a reviewer, the Sekda) answers 403.
    """
    answer = answer_for(member, pk)
    refuse_unless(is_answerer(member, answer))
    return answer


def evidence_for_member(member: Membership | None) -> QuerySet[Evidence]:
    """Evidence a member may read: their instansi's; for OPD staff, their OPD's or on their answers."""
    if member is None:
        return Evidence.objects.none()
    if is_assessor(member):  # what the assigned evaluations' answers cite
        cited = AnswerEvidence.objects.filter(evidence=OuterRef("pk"), answer__in=answers_for(member).values("pk"))
        return Evidence.objects.filter(Exists(cited))
    evidence = Evidence.objects.filter(_readable_instansi(member))
    if member.role == Role.OPD:
        visible_answers = answers_for(member).values("pk")
        linked = AnswerEvidence.objects.filter(evidence=OuterRef("pk"), answer__in=visible_answers)
        evidence = evidence.filter(Q(opd=member.opd) | Q(Exists(linked)))  # EXISTS: no DISTINCT, as above
    return evidence


def evidence_for(member: Membership | None, pk: int) -> Evidence:
    try:
        return evidence_for_member(member).get(pk=pk)
    except Evidence.DoesNotExist:
        raise Http404 from None


def evidence_version_for(member: Membership | None, pk: int) -> EvidenceVersion:
    try:
        return EvidenceVersion.objects.select_related("evidence").get(
            pk=pk, evidence__in=evidence_for_member(member).values("pk")
        )
    except EvidenceVersion.DoesNotExist:
        raise Http404 from None


def opd_for(member: Membership | None, pk: int) -> Opd:
    """An OPD of the admin's own instansi (management pages)."""
    if member is None or not Capabilities.of(member).administer:
        raise Http404
    try:
        return Opd.objects.get(pk=pk, instansi=member.instansi)
    except Opd.DoesNotExist:
        raise Http404 from None


def member_for(admin: Membership | None, pk: int) -> Membership:
    """A membership of the admin's own instansi (user management)."""
    if admin is None or not Capabilities.of(admin).administer:
        raise Http404
    try:
        return Membership.objects.select_related("user", "opd").get(pk=pk, instansi=admin.instansi)
    except Membership.DoesNotExist:
        raise Http404 from None


def coordinated_evaluations(member: Membership | None) -> QuerySet[Evaluation]:
    """Evaluations a provincial coordinator may assign assessors to: of the kabupaten it coordinates."""
    if member is None or member.role != Role.KOORDINATOR:
        return Evaluation.objects.none()
    return Evaluation.objects.filter(instansi__coordinator=member.instansi).select_related("instansi")


def assignment_for(member: Membership | None, pk: int) -> AssessorAssignment:
    """An assessor assignment of an evaluation the requesting coordinator coordinates."""
    evaluations = coordinated_evaluations(member).values("pk")
    try:
        return AssessorAssignment.objects.select_related("evaluation__instansi").get(pk=pk, evaluation__in=evaluations)
    except AssessorAssignment.DoesNotExist:
        raise Http404 from None


# The pages and API routes an assessor may use (URL names); everything else answers them 404.
# Each of these still scopes its objects through the helpers above.
ASSESSOR_ROUTES = frozenset(
    {
        "assessment:assessor-home",
        "assessment:answer",
        "assessment:stage-record",
        "assessment:stage-item-record",
        "assessment:evidence-detail",
        "assessment:evidence-download",
        "assessment:evidence-preview",
        "scoring:evaluation",
        "exchange:tokens",
        "exchange:token-revoke",
        "api:framework-list",
        "api:framework-detail",
        "api:framework-indicators",
        "api:evaluation-list",
        "api:evaluation-detail",
        "api:evaluation-index",
        "api:evaluation-answers",
        "api:answer-detail",
        "api:schema",
        "api:docs",
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "set_language",
        "twofactor:verify",
    }
)
# Still reachable once the period is over, so the assessor can sign out or switch language.
ASSESSOR_ALWAYS = frozenset({"login", "logout", "set_language"})
