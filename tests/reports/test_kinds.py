"""The report-kind registry: one entry per kind, and every entry point asks it (issue 16 items 5 and 7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from assessment.models import Membership
from reports import services
from reports.access import allowed_kinds
from reports.kinds import KINDS, Scope, kind_of
from reports.models import Report, ReportKind
from reports.rendering import ReportNotAvailable, build
from tests.world import World

pytestmark = pytest.mark.django_db


def member(world: World, name: str) -> Membership:
    return Membership.objects.select_related("opd").get(user=world.a.users[name])


def test_every_stored_kind_has_one_entry_in_the_model_s_order() -> None:
    assert list(KINDS) == list(ReportKind.values)
    with pytest.raises(ValueError, match="unknown report kind"):
        kind_of("laporan")


def test_the_entries_say_scope_file_and_numbering() -> None:
    scopes = {key: kind.scope for key, kind in KINDS.items()}
    assert [k for k, s in scopes.items() if s is Scope.OPD] == ["opd", "rapor"]
    assert [k for k, s in scopes.items() if s is Scope.PLAN] == ["rencana", "rencana-xlsx"]
    assert [k for k, s in scopes.items() if s is Scope.ROWS] == ["xlsx", "csv"]
    assert [k for k, kind in KINDS.items() if kind.numbered] == ["hasil", "berita-acara", "ringkasan", "rapor"]
    assert {k: kind.file.suffix for k, kind in KINDS.items()} == {
        "hasil": ".pdf", "berita-acara": ".pdf", "opd": ".pdf", "xlsx": ".xlsx", "csv": ".csv", "rencana": ".pdf",
        "rencana-xlsx": ".xlsx", "bukti": ".zip", "serah-terima": ".zip", "ringkasan": ".pdf", "rapor": ".pdf",
    }  # fmt: skip
    assert KINDS["rapor"].file_for(None).suffix == ".zip"  # every OPD's rapor, in one ZIP
    assert all(kind.html is not None for kind in KINDS.values() if kind.file.name == "PDF")


def test_only_the_results_report_names_the_evaluation_s_framework() -> None:
    assert KINDS["hasil"].title("Indeks Pemdi") == "Laporan Hasil Penilaian Mandiri Pemdi"
    assert KINDS["hasil"].title("Indeks SPBE") == "Laporan Hasil Penilaian Mandiri SPBE"
    assert KINDS["csv"].title("Indeks Pemdi") == "CSV"


def test_opd_staff_may_request_the_per_opd_kinds_only(world: World) -> None:
    assert allowed_kinds(member(world, "opd.bkpsdm")) == ["opd", "rapor"]
    assert allowed_kinds(member(world, "sekda")) == list(KINDS)


def test_the_berita_acara_refusal_is_one_message_in_the_active_language(world: World) -> None:
    """Issue 16: the check existed twice, once untranslated (the worker's and the command's)."""
    sekda = member(world, "sekda")
    with translation.override("en"):
        with pytest.raises(ReportNotAvailable) as built:
            build("berita-acara", world.evaluation)
        with pytest.raises(ReportNotAvailable) as requested:
            services.request_report(sekda, world.evaluation, "berita-acara")
    assert str(built.value) == str(requested.value)
    assert str(built.value).startswith("The Berita Acara is available once the self-assessment has been finalised")
    assert "Kabupaten A" in str(built.value) and "2026" in str(built.value)
    with translation.override("id"):
        reason = KINDS["berita-acara"].unavailable(world.evaluation, "")
    assert reason is not None and reason.startswith("Berita Acara tersedia setelah penilaian mandiri difinalkan")
    assert not Report.objects.exists()


def test_a_request_says_whether_it_made_the_report(world: World, django_capture_on_commit_callbacks: Any) -> None:
    sekda = member(world, "sekda")
    with django_capture_on_commit_callbacks(execute=False):
        first, created = services.request_report(sekda, world.evaluation, "csv")
    again, created_again = services.request_report(sekda, world.evaluation, "csv")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert first.requested_by_id == world.a.users["sekda"].pk


def test_the_request_refuses_an_unknown_kind_and_a_kind_the_role_may_not_have(world: World) -> None:
    with pytest.raises(services.KindRefused):
        services.request_report(member(world, "sekda"), world.evaluation, "laporan")
    with pytest.raises(services.KindRefused):
        services.request_report(member(world, "opd.bkpsdm"), world.evaluation, "hasil")
    with pytest.raises(services.KindRefused):
        services.request_report(member(world, "koordinator"), world.evaluation, "opd")
    assert not Report.objects.exists()


def test_per_opd_kinds_go_to_the_opd_asked_and_opd_staff_always_get_their_own(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        theirs, _ = services.request_report(member(world, "sekda"), world.evaluation, "rapor", world.a.diskominfo)
        own, _ = services.request_report(member(world, "opd.bkpsdm"), world.evaluation, "rapor", world.a.diskominfo)
        wide, _ = services.request_report(member(world, "sekda"), world.evaluation, "csv", world.a.diskominfo)
    assert (theirs.opd, own.opd, wide.opd) == (world.a.diskominfo, world.a.bkpsdm, None)
    with pytest.raises(services.KindRefused):  # an OPD of another instansi
        services.request_report(member(world, "sekda"), world.evaluation, "opd", world.b.bkpsdm)
