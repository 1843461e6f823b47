"""`seed_national` (the benchmark's data) at a tiny scale, and the benched pages on that data.

make bench runs at 700 instansi and is not part of CI; these keep it from rotting silently.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from assessment.models import (
    Answer,
    AnswerEvidence,
    Evaluation,
    EvidenceVersion,
    Framework,
    Instansi,
    Membership,
    Opd,
    StageValue,
)

pytestmark = pytest.mark.django_db(transaction=False)


def seed(**options: int) -> str:
    out = io.StringIO()
    call_command("seed_national", stdout=out, **options)
    return out.getvalue()


def test_it_seeds_instansi_opds_people_and_answered_evaluations(framework59: Framework) -> None:
    seed(instansi=3, opds=2, years=2)
    assert Instansi.objects.filter(slug__startswith="nasional-").count() == 3
    assert Opd.objects.count() == 6
    # admin, sekda, three verifikators and one operator per OPD, in every instansi
    assert Membership.objects.count() == 3 * (5 + 2)
    assert Evaluation.objects.filter(status="finalised").count() == 3
    assert Evaluation.objects.filter(status="open").count() == 3
    indicators = framework59.indicators.count()
    assert Answer.objects.count() == 6 * indicators
    assert not Answer.objects.filter(evaluation__status="finalised").exclude(status="approved").exists()
    assert StageValue.objects.filter(answer__evaluation__status="finalised", stage="verifikasi").count() == (
        3 * indicators
    )
    assert Answer.history.count() == Answer.objects.count()
    province = Instansi.objects.get(slug="nasional-0000")
    assert province.kind == "provinsi"
    assert set(Instansi.objects.filter(kind="kabupaten").values_list("coordinator", flat=True)) == {province.pk}


@pytest.mark.usefixtures("framework59")
def test_evidence_is_real_small_files_linked_three_per_answer() -> None:
    seed(instansi=2, opds=2, years=1)
    answered = Answer.objects.filter(stage_values__stage="mandiri").distinct()
    assert AnswerEvidence.objects.count() == 3 * answered.count()
    assert AnswerEvidence.history.count() == AnswerEvidence.objects.count()
    version = EvidenceVersion.objects.filter(content_type="application/pdf").first()
    assert version is not None
    content = (Path(settings.MEDIA_ROOT) / version.file.name).read_bytes()
    assert content.startswith(b"%PDF") and len(content) == version.size


@pytest.mark.usefixtures("framework59")
def test_a_second_run_refuses_instead_of_duplicating() -> None:
    seed(instansi=1, opds=1, years=1)
    with pytest.raises(CommandError, match="sudah ada"):
        seed(instansi=1, opds=1, years=1)
    assert Instansi.objects.count() == 1


@pytest.mark.usefixtures("db")
def test_it_refuses_without_a_framework() -> None:
    with pytest.raises(CommandError, match="load_framework"):
        seed(instansi=1, opds=1, years=1)


@pytest.mark.usefixtures("framework59")
def test_every_benched_page_answers_on_seeded_data(settings: Any) -> None:
    from bench import measure

    settings.ROOT_URLCONF = "bench.urls"
    seed(instansi=3, opds=2, years=2)
    scenario = measure.prepare()
    client = Client()
    for name, (path, session) in scenario["pages"].items():
        client.cookies["sessionid"] = session
        response = client.get(path)
        assert response.status_code in (200, 286), (name, path, response.status_code)
    actors = scenario["actors"]
    assert actors["opd"] and actors["sekda"] and actors["reviewer"]


@pytest.mark.usefixtures("framework59")
def test_report_status_page_queries_do_not_grow_with_more_reports() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import measure
    from reports.models import Report

    seed(instansi=2, opds=2, years=2)
    path, session = measure.prepare()["pages"]["report_status"]
    client = Client()
    client.cookies["sessionid"] = session

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 286  # finished: htmx stops polling
        return len(captured.captured_queries)

    few = count()
    report = Report.objects.get(pk=int(path.split("/")[2]))
    Report.objects.bulk_create(
        Report(evaluation=report.evaluation, kind="hasil", fingerprint=f"f{n}", version=n + 2) for n in range(20)
    )
    assert count() == few <= 6
