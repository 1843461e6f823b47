"""Each user lists their own notifications and marks them read, all or one at a time."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Membership, Notification, Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

READ = "/notifikasi/baca/"


@pytest.fixture
def member(db: None) -> Membership:
    del db  # requested for database access
    return MembershipFactory(role=Role.VERIFIKATOR)


@pytest.fixture
def logged_in(client: Client, member: Membership) -> Client:
    client.force_login(member.user)
    return client


def notes(user: AbstractBaseUser, count: int, prefix: str = "Jawaban indikator") -> list[Notification]:
    return Notification.objects.bulk_create(
        Notification(user_id=user.pk, message=f"{prefix} {n} menunggu diperiksa", url=f"/penilaian/jawaban/{n}/")
        for n in range(1, count + 1)
    )


def test_the_notification_urls_are_where_the_header_expects_them() -> None:
    assert reverse("assessment:notifications") == "/notifikasi/"
    assert reverse("assessment:notifications-read") == READ


def test_the_list_shows_only_the_users_own_notifications(logged_in: Client, member: Membership) -> None:
    notes(member.user, 2)
    notes(MembershipFactory().user, 1, prefix="Rahasia tetangga")
    page = logged_in.get("/notifikasi/").content.decode()
    assert "Jawaban indikator 1 menunggu diperiksa" in page
    assert "Rahasia tetangga" not in page
    assert "Tandai semua sudah dibaca" in page


def test_marking_all_read_clears_the_unread_count(logged_in: Client, member: Membership) -> None:
    notes(member.user, 3)
    theirs = notes(MembershipFactory().user, 1)[0]

    response = logged_in.post(READ)

    assert response.status_code == 302
    assert response["Location"] == "/notifikasi/"
    assert not Notification.objects.filter(user=member.user, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None  # someone else's stays unread
    assert "Tandai semua sudah dibaca" not in logged_in.get("/notifikasi/").content.decode()


def test_marking_one_read_leaves_the_others_unread(logged_in: Client, member: Membership) -> None:
    first, second = notes(member.user, 2)
    logged_in.post(f"{READ}?id={first.pk}")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_another_users_notification_id_changes_nothing(logged_in: Client) -> None:
    theirs = notes(MembershipFactory().user, 1)[0]
    assert logged_in.post(f"{READ}?id={theirs.pk}").status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_malformed_id_is_a_404_not_a_500(logged_in: Client, member: Membership) -> None:
    note = notes(member.user, 1)[0]
    assert logged_in.post(f"{READ}?id=abc").status_code == 404
    assert logged_in.post(READ, {"id": "1;DROP"}).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_marking_read_needs_a_post(logged_in: Client, member: Membership) -> None:
    note = notes(member.user, 1)[0]
    assert logged_in.get(READ).status_code == 405
    note.refresh_from_db()
    assert note.read_at is None
    assert logged_in.post("/notifikasi/").status_code == 405


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client) -> None:
    response = client.post(READ)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_and_marking_read_cost_the_same_queries_for_2_and_60_notifications(
    logged_in: Client, member: Membership
) -> None:
    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as listing:
            assert logged_in.get("/notifikasi/").status_code == 200
        with CaptureQueriesContext(connection) as marking:
            assert logged_in.post(READ).status_code == 302
        return len(listing), len(marking)

    notes(member.user, 2)
    few = queries()
    notes(member.user, 60)
    assert queries() == few
