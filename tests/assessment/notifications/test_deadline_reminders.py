"""send_deadline_reminders: OPD staff hear 7 days and 1 day before the deadline, once, in WIB dates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from assessment.models import (
    Answer,
    AnswerStatus,
    Evaluation,
    EvaluationStatus,
    Framework,
    Indicator,
    Membership,
    Notification,
    Opd,
    Role,
)
from spbe_portal import formatting
from tests.factories import EvaluationFactory, InstansiFactory, MembershipFactory, OpdFactory

# The e-mail copies go out from a task; run it in-process so mail.outbox sees them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

JAKARTA = ZoneInfo("Asia/Jakarta")
DEADLINE = datetime(2026, 12, 31, 23, 59, tzinfo=JAKARTA)


@dataclass
class Setting:
    evaluation: Evaluation
    bkpsdm_staff: Membership
    diskominfo_staff: Membership
    dinkes_staff: Membership
    verifikator: Membership


def answer(evaluation: Evaluation, number: int, lead: Opd, status: str, contributors: list[Opd] | None = None) -> None:
    indicator = Indicator.objects.get(framework=evaluation.framework, number=number)
    row = Answer.objects.create(evaluation=evaluation, indicator=indicator, lead_opd=lead, status=status)
    row.contributors.set(contributors or [])


@pytest.fixture
def setting(framework59: Framework) -> Setting:
    instansi = InstansiFactory(name="Kabupaten Pengingat")
    bkpsdm, diskominfo, dinkes = (OpdFactory(instansi=instansi, code=c) for c in ("bkpsdm", "diskominfo", "dinkes"))
    evaluation = EvaluationFactory(instansi=instansi, framework=framework59, year=2026, deadline=DEADLINE)
    answer(evaluation, 36, bkpsdm, AnswerStatus.DRAFT)
    answer(evaluation, 41, bkpsdm, AnswerStatus.RETURNED)
    answer(evaluation, 25, bkpsdm, AnswerStatus.SUBMITTED)  # already with the verifikator
    answer(evaluation, 1, diskominfo, AnswerStatus.DRAFT, contributors=[bkpsdm])
    answer(evaluation, 47, dinkes, AnswerStatus.APPROVED)

    def staff(opd: Opd, name: str, **user: object) -> Membership:
        return MembershipFactory(
            instansi=instansi, role=Role.OPD, opd=opd, user__username=name, user__email=f"{name}@contoh.go.id", **user
        )

    setting = Setting(
        evaluation=evaluation,
        bkpsdm_staff=staff(bkpsdm, "yusuf"),
        diskominfo_staff=staff(diskominfo, "nur"),
        dinkes_staff=staff(dinkes, "dewi"),
        verifikator=MembershipFactory(instansi=instansi, role=Role.VERIFIKATOR, user__email="v@contoh.go.id"),
    )
    staff(bkpsdm, "pensiun", user__is_active=False)
    return setting


def run(date: str | None = None) -> str:
    out = StringIO()
    call_command("send_deadline_reminders", *(["--date", date] if date else []), stdout=out)
    return out.getvalue()


def messages_of(member: Membership) -> list[str]:
    return list(Notification.objects.filter(user=member.user).values_list("message", flat=True))


def test_seven_days_ahead_each_opds_staff_hear_how_many_indicators_they_still_owe(
    setting: Setting, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        output = run("2026-12-24")

    assert output.strip() == "2 deadline reminder(s) sent for 2026-12-24."
    assert messages_of(setting.bkpsdm_staff) == [
        "Tenggat penilaian mandiri 2026 tinggal 7 hari (31 Desember 2026 23.59 WIB). "
        "Masih ada 3 indikator yang belum diajukan."  # two it leads (draft, returned), one it contributes to
    ]
    assert messages_of(setting.diskominfo_staff) == [
        "Tenggat penilaian mandiri 2026 tinggal 7 hari (31 Desember 2026 23.59 WIB). "
        "Masih ada 1 indikator yang belum diajukan."
    ]
    assert messages_of(setting.dinkes_staff) == []  # nothing pending
    assert messages_of(setting.verifikator) == []  # only OPD staff
    assert Notification.objects.count() == 2  # not the deactivated account either
    assert Notification.objects.filter(url="/penilaian/").count() == 2  # the worklist, where they act
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "nur@contoh.go.id",
        "yusuf@contoh.go.id",
    ]
    assert all("Tenggat penilaian mandiri 2026" in message.subject for message in mail.outbox)


def test_one_day_ahead_they_hear_again(setting: Setting) -> None:
    run("2026-12-24")
    assert run("2026-12-30").strip() == "2 deadline reminder(s) sent for 2026-12-30."
    assert messages_of(setting.bkpsdm_staff)[0].startswith(
        "Tenggat penilaian mandiri 2026 tinggal 1 hari (31 Desember 2026 23.59 WIB)."
    )
    assert len(messages_of(setting.bkpsdm_staff)) == 2


@pytest.mark.parametrize("date", ["2026-12-25", "2026-12-23", "2026-12-31", "2027-01-01"])
@pytest.mark.usefixtures("setting")
def test_other_days_send_nothing(date: str) -> None:
    assert run(date).startswith("0 deadline reminder(s)")
    assert not Notification.objects.exists()


def test_running_twice_the_same_day_sends_nothing_new(
    setting: Setting, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    run("2026-12-24")
    Answer.objects.filter(evaluation=setting.evaluation, indicator__number=36).update(status=AnswerStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        assert run("2026-12-24").startswith("0 deadline reminder(s)")
    assert Notification.objects.count() == 2
    assert mail.outbox == []


def test_a_moved_deadline_earns_a_fresh_reminder(setting: Setting) -> None:
    run("2026-12-24")
    Evaluation.objects.filter(pk=setting.evaluation.pk).update(deadline=DEADLINE - timedelta(hours=12))
    assert run("2026-12-24").startswith("2 ")
    assert "(31 Desember 2026 11.59 WIB)" in messages_of(setting.bkpsdm_staff)[0]


def test_a_finalised_evaluation_sends_nothing(setting: Setting) -> None:
    Evaluation.objects.filter(pk=setting.evaluation.pk).update(status=EvaluationStatus.FINALISED)
    assert run("2026-12-24").startswith("0 ")
    assert run("2026-12-30").startswith("0 ")


def test_days_are_counted_in_wib_not_utc(setting: Setting) -> None:
    # 1 January 00.30 WIB is still 31 December in UTC; in Jakarta it is 7 days after 25 December.
    just_after_midnight = datetime(2027, 1, 1, 0, 30, tzinfo=JAKARTA)
    Evaluation.objects.filter(pk=setting.evaluation.pk).update(deadline=just_after_midnight)
    assert run("2026-12-24").startswith("0 ")
    assert run("2026-12-25").startswith("2 ")
    assert "(1 Januari 2027 00.30 WIB)" in messages_of(setting.bkpsdm_staff)[0]


def test_without_a_date_it_acts_for_today_in_jakarta(setting: Setting) -> None:
    today = timezone.localdate(timezone=JAKARTA)
    deadline = datetime.combine(today + timedelta(days=7), datetime.min.time(), tzinfo=JAKARTA) + timedelta(hours=16)
    Evaluation.objects.filter(pk=setting.evaluation.pk).update(deadline=deadline)
    assert run() == f"2 deadline reminder(s) sent for {today.isoformat()}.\n"


@pytest.mark.parametrize("date", ["24-12-2026", "2026-02-30", "besok"])
def test_a_malformed_date_is_refused(date: str) -> None:
    with pytest.raises(CommandError, match="expected a date as YYYY-MM-DD"):
        run(date)


@pytest.mark.usefixtures("setting")
def test_the_reminder_mail_writes_the_deadline_as_the_formatting_module_does(
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    """Even when the job runs in an English session, the stored text and its e-mail are Indonesian."""
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        run("2026-12-24")
    deadline = formatting.wib(DEADLINE, language="id")
    assert deadline == "31 Desember 2026 23.59 WIB"
    [to_yusuf] = [m for m in mail.outbox if m.to == ["yusuf@contoh.go.id"]]
    assert f"tinggal 7 hari ({deadline}). Masih ada 3 indikator" in to_yusuf.body
    assert "23:59" not in to_yusuf.body and "December" not in to_yusuf.body
