"""Record the NIPs of tests/oidc/provider.mjs's demo users on the portal's demo accounts, so that
`make run` beside `node tests/oidc/provider.mjs` shows SSO end to end (README, demo)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sso.models import SsoIdentity

# The same NIPs as demoUsers in tests/oidc/provider.mjs ("tanpa.akun" deliberately has none here).
DEMO_NIPS = {
    "admin.siak": "198001012006041001",
    "opd.bkpsdm.siak": "198502022010012002",
    "verifikator.siak": "198703032012011003",
}


class Command(BaseCommand):
    help = "Record the test provider's demo NIPs on the demo accounts (admin.siak, opd.bkpsdm.siak, verifikator.siak)."

    def handle(self, *_args: Any, **_options: Any) -> None:
        users = {user.get_username(): user for user in get_user_model().objects.filter(username__in=DEMO_NIPS)}
        if len(users) != len(DEMO_NIPS):
            raise CommandError("Load the demo first (make setup or manage.py load_demo).")
        for username, nip in DEMO_NIPS.items():
            SsoIdentity.objects.filter(nip=nip).exclude(user=users[username]).delete()
            SsoIdentity.objects.update_or_create(user=users[username], defaults={"nip": nip})
            self.stdout.write(f"{username}: NIP {nip}")
