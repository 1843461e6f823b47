"""Pemdi 8/2026 beside 59/2020: both shipped files loaded through the real loader."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from assessment.catalog import read_framework_file
from assessment.models import Framework
from assessment.services.carryover import load_mapping
from assessment.services.frameworks import load_framework

FRAMEWORK_DIR = Path(settings.BASE_DIR) / "frameworks"
FRAMEWORK_PEMDI = FRAMEWORK_DIR / "pemdi-8-2026.json"
MAPPING = FRAMEWORK_DIR / "mappings" / "mapping-59-2020-to-pemdi-8-2026.json"


@pytest.fixture
def pemdi(framework59: Framework) -> Framework:
    """Pemdi 8/2026 as shipped, next to 59/2020, with the carry-over mapping between them."""
    del framework59  # requested so the framework is loaded
    existing = Framework.objects.filter(code="permenpanrb-8-2026").first()
    framework = existing or load_framework(read_framework_file(FRAMEWORK_PEMDI)).framework
    load_mapping(MAPPING)
    return framework
