"""The admin's management pages: home, OPDs, users and roles (evaluations: manage_evaluations.py).

Every view starts with an access helper: `require_capability(request, "administer")` for a list,
`opd_for` / `member_for` for one row. Anyone else, or another instansi's row, gets a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessment.access import member_for, opd_for, require_capability
from assessment.forms.manage import MemberCreateForm, MemberEditForm, OpdForm
from assessment.models import Evaluation, EvaluationStatus, Membership, Opd, Role
from assessment.services import manage
from assessment.services.manage import ManageError


def _form_data(request: HttpRequest) -> object:
    return request.POST if request.method == "POST" else None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    member = require_capability(request, "administer")
    instansi = member.instansi
    evaluations = Evaluation.objects.filter(instansi=instansi).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status=EvaluationStatus.OPEN))
    )
    members = Membership.objects.filter(instansi=instansi).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(user__is_active=True))
    )
    counts = {
        "opds": Opd.objects.filter(instansi=instansi).count(),
        "members": members["total"],
        "active_members": members["active"],
        "evaluations": evaluations["total"],
        "open_evaluations": evaluations["open"],
    }
    return render(request, "assessment/manage/home.html", {"instansi": instansi, "counts": counts})


@require_http_methods(["GET", "POST"])
def opds(request: HttpRequest) -> HttpResponse:
    member = require_capability(request, "administer")
    form = OpdForm(_form_data(request), instansi=member.instansi)
    if form.is_valid():
        try:
            opd = manage.save_opd(member.instansi, None, **form.cleaned_data)
        except ManageError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("OPD %(name)s ditambahkan.") % {"name": opd.short_name})
            return redirect("assessment:manage-opds")
    items = Opd.objects.filter(instansi=member.instansi).annotate(
        staff=Count("members", filter=Q(members__role=Role.OPD))
    )
    return render(request, "assessment/manage/opd_list.html", {"form": form, "items": items})


@require_http_methods(["GET", "POST"])
def opd_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = require_capability(request, "administer")
    opd = opd_for(member, pk)
    form = OpdForm(_form_data(request), instansi=member.instansi, opd=opd)
    if form.is_valid():
        try:
            manage.save_opd(member.instansi, opd, **form.cleaned_data)
        except ManageError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Perubahan OPD disimpan."))
            return redirect("assessment:manage-opds")
    return render(request, "assessment/manage/opd_edit.html", {"form": form, "opd": opd})


@require_GET
def users(request: HttpRequest) -> HttpResponse:
    member = require_capability(request, "administer")
    items = (
        Membership.objects.filter(instansi=member.instansi)
        .select_related("user", "opd")
        .order_by("-user__is_active", "user__username")
    )
    return render(request, "assessment/manage/user_list.html", {"items": items, "me": member})


@require_http_methods(["GET", "POST"])
def user_new(request: HttpRequest) -> HttpResponse:
    member = require_capability(request, "administer")
    form = MemberCreateForm(_form_data(request), instansi=member.instansi)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = manage.create_member(
                member.instansi,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                opd=data["opd"],
                password=data["password1"],
            )
        except ManageError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Akun %(username)s dibuat.") % {"username": created.user.username})
            return redirect("assessment:manage-users")
    return render(request, "assessment/manage/user_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    admin = require_capability(request, "administer")
    target = member_for(admin, pk)
    form = MemberEditForm(_form_data(request), instansi=admin.instansi, member=target, admin=admin)
    if form.is_valid():
        data = form.cleaned_data
        try:
            manage.update_member(
                admin,
                target,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                opd=data["opd"],
                is_active=data["is_active"],
            )
        except ManageError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Perubahan akun %(username)s disimpan.") % {"username": target.user.username})
            return redirect("assessment:manage-users")
    return render(request, "assessment/manage/user_edit.html", {"form": form, "target": target})
