#!/usr/bin/env python
from __future__ import annotations

import os
import sys
from pathlib import Path

# `make setup` writes this file in a development checkout, so the README's commands run as
# written (DEBUG=1 and a generated SECRET_KEY). Setting DEBUG or SECRET_KEY yourself, as
# production, collectstatic and `make check`'s `check --deploy` do, means the environment
# alone configures the portal.
DEV_ENV_FILE = Path(__file__).resolve().parent / ".env.dev"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spbe_portal.settings")
    configured = {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE"} & os.environ.keys()
    if not configured and DEV_ENV_FILE.is_file():
        from dotenv import load_dotenv

        load_dotenv(DEV_ENV_FILE, override=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
