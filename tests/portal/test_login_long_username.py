"""A user name longer than any account's is refused by the login form, never a 500.

Found by the form fuzzer on PostgreSQL: the name reached authenticate(), and django-axes' record
of the failed login (a varchar of 255) raised a DataError.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_name_too_long_for_any_account_is_refused_with_the_reason(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "x" * 400, "password": "999999999999"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "x" * 400 in page  # what the user typed stays in the form
    assert "150" in page  # the form says how long a name may be
    assert not AccessAttempt.objects.exists()  # nothing was written that could not fit
