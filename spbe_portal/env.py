"""Reading the environment, for the one settings module (spbe_portal/settings.py) and its helpers.

Kept apart from settings.py so that helpers parsing a block of variables (sso/config.py) read
them the same way without importing the settings module.
"""

from __future__ import annotations

import os
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    """The variable's value; unset and empty both mean "use the default"."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker secrets)."""
    path = env_str(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return env_str(name)
