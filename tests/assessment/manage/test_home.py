"""The admin's home: where each management page is, and how much there is of each."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import Membership, Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("scene")
def test_the_home_links_every_management_page_and_counts_what_is_there(admin_client: Client, admin: Membership) -> None:
    MembershipFactory(instansi=admin.instansi, role=Role.SEKDA, user__is_active=False)
    response = admin_client.get(reverse("assessment:manage"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kelola Kabupaten Contoh" in page
    for name in ["manage-opds", "manage-users", "manage-user-new", "manage-evaluations"]:
        assert f'href="{reverse(f"assessment:{name}")}"' in page
    counts = response.context["counts"]
    assert counts == {"opds": 1, "members": 3, "active_members": 2, "evaluations": 2, "open_evaluations": 1}
    assert "akun aktif dari 3 akun" in page
    assert "berjalan dari 2 evaluasi" in page
