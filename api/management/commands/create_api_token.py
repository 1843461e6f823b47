"""manage.py create_api_token USERNAME [--name NAME]: issue an API token and print its key once.

For the demo and for service accounts; people create their own under Token API in the portal.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api import tokens


class Command(BaseCommand):
    help = "Issue an API token for a user and print the key (it is not stored and cannot be shown again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="manage.py create_api_token", help="what the token is for")
        parser.add_argument("--days", type=int, default=tokens.DEFAULT_DAYS, help="days until it expires (90)")

    def handle(self, *_args: Any, username: str, name: str, days: int, **_options: Any) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        if days < 1:
            raise CommandError("--days must be at least 1")
        issued = tokens.issue(user, name, days)
        self.stderr.write(f"Token {issued.token.prefix}… for {username}; use it as 'Authorization: Token <key>':")
        self.stdout.write(issued.key)
