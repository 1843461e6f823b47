"""The API over real HTTP on a loopback server: the documented example script, and a fuzzer.

`scripts/api_example.py` runs as a user would run it (its own process, `requests`, a token)
against the demo data. schemathesis generates requests from the served OpenAPI schema for every
operation, valid and invalid, with a bounded number of examples: none may answer 5xx.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from django.conf import settings
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api import tokens
from assessment.models import Framework, Stage
from reports.models import Report, ReportStatus
from tests.factories import answer_all
from tests.world import make_world

ROOT = Path(settings.BASE_DIR)
EXAMPLES_PER_OPERATION = 25
# Every check ("--checks all") except one: `positive_data_acceptance` expects a schema-valid body to
# be accepted, but /score refuses an unknown framework or indicator with 400 by design: which codes
# are loaded is data, not schema.
SEMANTIC = [positive_data_acceptance]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("framework59")
def test_the_example_script_reads_siak_2022_and_scores_its_levels(live_server: Any) -> None:
    from django.contrib.auth import get_user_model

    call_command("load_demo")
    key = tokens.issue(get_user_model().objects.get(username="sekda.siak"), "contoh").key
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "api_example.py")],
        env={"PATH": "/usr/bin:/bin", "API_URL": f"{live_server.url}/api/v1", "API_TOKEN": key},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "Kabupaten Siak 2022: 2.35 Cukup"
    assert [line.split()[0] for line in lines[1:5]] == ["D1", "D2", "D3", "D4"]
    assert lines[-1] == "POST /score: 2.35 Cukup"


def strategies(operation: Any, real_ids: dict[str, int]) -> st.SearchStrategy[Any]:
    """Valid and invalid requests (schemathesis' positive and negative modes), with random and real ids."""
    options = []
    with_id = "{id}" in operation.path
    for mode in GenerationMode:
        options.append(operation.as_strategy(mode))
        if with_id:
            real = {"id": real_ids[operation.path.split("/")[3]]}
            options.append(operation.as_strategy(mode, path_parameters=real))
    return st.one_of(options)


@pytest.mark.django_db(transaction=True)
def test_fuzzing_every_operation_finds_no_server_error(
    live_server: Any, framework59: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    world = make_world(framework59)
    answer_all(world.evaluation, dict.fromkeys(range(1, 48), 3))
    answer_all(world.evaluation, dict.fromkeys(range(1, 11), 2), stage=Stage.VERIFIKASI)
    report = Report.objects.create(evaluation=world.evaluation, kind="csv", fingerprint="f", status=ReportStatus.QUEUED)
    # Random ids mostly miss; half the cases use a real object of the caller's instansi instead.
    real_ids = {"evaluations": world.evaluation.pk, "answers": world.answer.pk, "reports": report.pk,
                "frameworks": framework59.pk}  # fmt: skip
    headers = {"Authorization": f"Token {tokens.issue(world.a.users['admin'], 'fuzz').key}"}
    raw = requests.get(f"{live_server.url}/api/v1/schema/?format=json", headers=headers, timeout=30).json()
    schema = schemathesis.openapi.from_dict(raw)
    failures: list[str] = []
    seen: Counter[int] = Counter()
    operations = cases = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        operations += 1

        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        @given(case=strategies(operation, real_ids))
        def call(case: Any) -> None:
            nonlocal cases
            cases += 1
            response = case.call(base_url=live_server.url, headers=headers, timeout=30)
            seen[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.body!r} -> {response.status_code}")
            try:  # every built-in check ("--checks all"): status codes, content types, schema conformance
                case.validate_response(response, headers=headers, excluded_checks=SEMANTIC)
            except (Exception, BaseExceptionGroup) as error:  # schemathesis raises a group of its Failure types
                failures.append(f"{case.method} {case.formatted_path} {case.query!r} {case.body!r}: {error}")

        call()
    with capsys.disabled():  # the counts show in CI's log, passed or not
        print(
            f"\nschemathesis: {operations} operations, {cases} cases, statuses {dict(sorted(seen.items()))}, "
            f"{len(failures)} failures (server errors: {sum(n for code, n in seen.items() if code >= 500)})"
        )
    assert operations >= 13
    assert seen[200] > operations and sum(seen.values()) > 5 * operations, seen  # it reached real data
    assert not failures, "\n".join(failures[:20])
