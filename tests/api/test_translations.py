"""Adding the API's libraries must not change the wording of the portal's own forms."""

from __future__ import annotations

import gettext
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.utils import translation


def catalog(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return {k: v for k, v in gettext.GNUTranslations(handle)._catalog.items() if isinstance(k, str) and k}  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["id", "en"])
def test_django_s_own_messages_keep_django_s_translation(language: str) -> None:
    django_catalog = catalog(Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.mo")
    overridden = {}
    for app in apps.get_app_configs():
        if app.name.startswith("django."):
            continue
        for msgid, text in catalog(Path(app.path) / "locale" / language / "LC_MESSAGES" / "django.mo").items():
            if msgid in django_catalog and text != django_catalog[msgid]:
                overridden[msgid] = django_catalog[msgid]
    with translation.override(language):
        changed = {m: translation.gettext(m) for m, want in overridden.items() if translation.gettext(m) != want}
    assert not changed, f"an installed app rewords Django's messages: {changed}"
