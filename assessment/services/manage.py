"""The admin's management use cases: OPDs, users and roles, evaluation periods, assignments.

Each use case is one transaction. Rules the forms already check (a duplicate code or year, the
admin's own account) are checked again here, because two admins can submit at the same moment
and the form's check ran before either saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Evaluation, Framework, Instansi, Membership, Opd, Role
from assessment.services.carryover import carry_over
from assessment.services.evaluations import WorkflowError, create_evaluation


class ManageError(WorkflowError):
    """A change refused; `field` names the form field the message belongs to (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def duplicate_code_message(code: str) -> str:
    return _("Kode “%(code)s” sudah dipakai OPD lain di instansi ini.") % {"code": code}


def duplicate_username_message(username: str) -> str:
    return _("Nama pengguna “%(username)s” sudah dipakai.") % {"username": username}


def duplicate_year_message(year: int) -> str:
    return _("Evaluasi tahun %(year)s sudah ada untuk instansi ini.") % {"year": year}


def finalised_message() -> str:
    return _("Evaluasi ini sudah final; buka kembali terlebih dahulu untuk mengubahnya.")


# --- OPDs -------------------------------------------------------------------------------------


@transaction.atomic
def save_opd(instansi: Instansi, opd: Opd | None, *, code: str, short_name: str, name: str) -> Opd:
    """Create an OPD of `instansi` (opd=None) or change one of its OPDs."""
    opd = opd or Opd(instansi=instansi)
    if opd.instansi_id != instansi.pk:
        raise ManageError(_("OPD ini bukan milik instansi Anda."))
    if Opd.objects.filter(instansi=instansi, code=code).exclude(pk=opd.pk).exists():
        raise ManageError(duplicate_code_message(code), field="code")
    opd.code, opd.short_name, opd.name = code, short_name, name
    try:
        with transaction.atomic():
            opd.save()
    except IntegrityError:  # a concurrent admin took the code between the check and the save
        raise ManageError(duplicate_code_message(code), field="code") from None
    return opd


# --- Users and roles --------------------------------------------------------------------------


def _checked_opd(instansi: Instansi, role: str, opd: Opd | None) -> Opd | None:
    # Only OPD staff belong to an OPD; keeping one on another role would widen nothing but confuse.
    if role != Role.OPD:
        return None
    if opd is None:
        raise ManageError(_("Pilih OPD untuk Operator OPD."), field="opd")
    if opd.instansi_id != instansi.pk:
        raise ManageError(_("OPD ini bukan milik instansi Anda."), field="opd")
    return opd


@transaction.atomic
def create_member(
    instansi: Instansi,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    opd: Opd | None,
    password: str,
) -> Membership:
    """A new account with its one membership in `instansi`."""
    opd = _checked_opd(instansi, role, opd)
    user_model = get_user_model()
    # Case-insensitive: "Budi" and "budi" as two accounts would only cause wrong logins.
    if user_model.objects.filter(username__iexact=username).exists():
        raise ManageError(duplicate_username_message(username), field="username")
    user = user_model(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ManageError(duplicate_username_message(username), field="username") from None
    return Membership.objects.create(user=user, instansi=instansi, role=role, opd=opd)


@transaction.atomic
def update_member(
    admin: Membership,
    member: Membership,
    *,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    opd: Opd | None,
    is_active: bool,
) -> Membership:
    """Change a member's name, e-mail, role, OPD and active flag; deactivating ends their sessions."""
    member = Membership.objects.select_for_update().select_related("user").get(pk=member.pk)
    if member.instansi_id != admin.instansi_id:
        raise ManageError(_("Pengguna ini bukan anggota instansi Anda."))
    # Otherwise an admin could lock the instansi out of its own management pages.
    if member.pk == admin.pk and not is_active:
        raise ManageError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."), field="is_active")
    if member.pk == admin.pk and role != Role.ADMIN:
        raise ManageError(_("Anda tidak dapat melepas peran admin dari akun Anda sendiri."), field="role")
    opd = _checked_opd(admin.instansi, role, opd)
    user: User = member.user
    was_active = user.is_active
    user.first_name, user.last_name, user.email, user.is_active = first_name, last_name, email, is_active
    user.save(update_fields=["first_name", "last_name", "email", "is_active"])
    member.role, member.opd = role, opd
    member.save(update_fields=["role", "opd"])
    if was_active and not is_active:
        end_sessions(user.pk)
    return member


def end_sessions(user_id: int) -> int:
    """Delete every stored session of the user, so a deactivated account is logged out at once.

    Sessions are rows (database backend), keyed by session key, not by user, so each live one is
    decoded; deactivation is rare and a regional government has hundreds of users, not millions.
    Deleting through the session store also clears a cache copy when the cached_db backend is used.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    wanted = str(user_id)
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY, "")) == wanted
    ]
    for key in keys:
        store().delete(key)
    return len(keys)


# --- Evaluation periods -----------------------------------------------------------------------


@transaction.atomic
def open_evaluation(
    instansi: Instansi,
    *,
    year: int,
    framework: Framework,
    deadline: datetime | None,
    predicate_basis: str,
    carry_over_by: AbstractBaseUser | None = None,
) -> Evaluation:
    """A new evaluation period with one answer per indicator (see services.evaluations).

    With `carry_over_by`, drafts are seeded from the last evaluation on a linked framework
    (services.carryover); nothing is submitted or approved by it.
    """
    if not framework.is_current:
        raise ManageError(_("Kerangka ini bukan versi yang berlaku."), field="framework")
    if Evaluation.objects.filter(instansi=instansi, year=year).exists():
        raise ManageError(duplicate_year_message(year), field="year")
    try:
        with transaction.atomic():
            evaluation = create_evaluation(instansi, framework, year, deadline, predicate_basis)
    except IntegrityError:
        raise ManageError(duplicate_year_message(year), field="year") from None
    if carry_over_by is not None:
        carry_over(evaluation, carry_over_by)
    return evaluation


@transaction.atomic
def update_evaluation(evaluation: Evaluation, *, deadline: datetime | None, predicate_basis: str) -> bool:
    """Change the deadline and predicate basis (simple-history audits it); False when nothing changed."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    # A finalised index is published; its basis and deadline change only after a recorded reopen.
    if evaluation.is_finalised:
        raise ManageError(finalised_message())
    if evaluation.deadline == deadline and evaluation.predicate_basis == predicate_basis:
        return False  # no audit row for a save that changes nothing
    evaluation.deadline, evaluation.predicate_basis = deadline, predicate_basis
    evaluation.save(update_fields=["deadline", "predicate_basis"])
    return True


# --- Assignments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    lead_opd_id: int | None
    contributor_ids: frozenset[int]


def _locked_open(evaluation: Evaluation) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.is_finalised:
        raise ManageError(_("Penugasan tidak dapat diubah karena evaluasi sudah final."))
    return evaluation


@transaction.atomic
def save_assignments(evaluation: Evaluation, changes: Mapping[int, Assignment]) -> int:
    """Apply the changed rows (answer id -> assignment); returns how many answers changed.

    Each answer is saved through the model so that simple-history records the lead OPD and the
    contributors (its m2m history). Contributors are set before the save, so the answer's last
    history row holds the whole new assignment.
    """
    evaluation = _locked_open(evaluation)
    own_opds = set(Opd.objects.filter(instansi_id=evaluation.instansi_id).values_list("pk", flat=True))
    answers = evaluation.answers.filter(pk__in=list(changes)).select_for_update().prefetch_related("contributors")
    saved = 0
    for answer in answers:
        wanted = changes[answer.pk]
        lead = wanted.lead_opd_id
        # The lead OPD already answers the indicator; listing it as a contributor adds nothing.
        contributors = set(wanted.contributor_ids) - {lead} if lead else set(wanted.contributor_ids)
        if (lead is not None and lead not in own_opds) or not contributors <= own_opds:
            raise ManageError(_("OPD yang dipilih bukan milik instansi Anda."))
        current = {opd.pk for opd in answer.contributors.all()}
        if answer.lead_opd_id == lead and current == contributors:
            continue
        if current != contributors:
            answer.contributors.set(contributors)
        if answer.lead_opd_id != lead:
            answer.lead_opd_id = lead
            answer.save(update_fields=["lead_opd", "updated_at"])
        saved += 1
    return saved


@transaction.atomic
def apply_default_assignments(evaluation: Evaluation) -> int:
    """Give each answer without a lead OPD the instansi's OPD whose code the framework suggests."""
    evaluation = _locked_open(evaluation)
    opds = {opd.code: opd for opd in Opd.objects.filter(instansi_id=evaluation.instansi_id)}
    assigned = 0
    unassigned = (
        evaluation.answers.filter(lead_opd__isnull=True).select_related("indicator").select_for_update(of=("self",))
    )
    for answer in unassigned:
        extra = answer.indicator.extra if isinstance(answer.indicator.extra, dict) else {}
        opd = opds.get(str(extra.get("suggested_opd", "")))
        if opd is None:
            continue
        answer.lead_opd = opd
        answer.save(update_fields=["lead_opd", "updated_at"])  # through the model: history records it
        assigned += 1
    return assigned
