"""Loading the demo deployment; idempotent, so `make run` can call it every time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from assessment.demo import (
    DEMO_INSTANSI,
    DEMO_LINKS_2022,
    DEMO_PASSWORD,
    OPDS,
    OPEN_FILL,
    OPEN_SUCCESSOR,
    OPEN_YEAR,
    PEMDI_FILL,
    ROLE_OF,
    DemoInstansi,
)
from assessment.demo_letterhead import LETTERHEADS, emblem_svg
from assessment.models import (
    Answer,
    AnswerEvidence,
    AnswerStatus,
    AssessorAssignment,
    Decision,
    Evaluation,
    EvaluationStatus,
    Evidence,
    EvidenceKind,
    Framework,
    Instansi,
    InstansiKind,
    Letterhead,
    Membership,
    Opd,
    PredicateBasis,
    Role,
    Stage,
    StageValue,
)
from assessment.services import answers as answers_service
from assessment.services.carryover import carry_over
from assessment.services.evaluations import create_evaluation
from assessment.services.identity import save_letterhead
from spbe_portal import formatting

WIB = ZoneInfo("Asia/Jakarta")


@transaction.atomic
def load_demo(framework: Framework) -> list[str]:
    """Create or refresh the demo instansi, accounts and the finalised 2022 evaluations.

    Returns the demo account names. Existing demo rows are brought back to the demo state;
    nothing outside the demo instansi is touched.
    """
    accounts: list[str] = []
    for demo in DEMO_INSTANSI:
        instansi, _ = Instansi.objects.update_or_create(
            slug=demo.slug, defaults={"name": demo.name, "kind": InstansiKind.KABUPATEN, "is_demo": True}
        )
        opds = {
            code: Opd.objects.update_or_create(
                instansi=instansi, code=code, defaults={"short_name": short, "name": name}
            )[0]
            for code, short, name in OPDS
        }
        accounts += _load_people(demo, instansi, opds)
        _load_letterhead(demo, instansi)
        _load_2022(demo, instansi, opds, framework)
        successor = Framework.objects.filter(code=OPEN_SUCCESSOR.get(demo.slug, ""), is_current=True).first()
        if successor is not None:
            load_successor_evaluation(demo, instansi, successor)
        else:
            load_open_evaluation(demo, instansi, framework)
    accounts.append(_load_assessor())
    return accounts


DEMO_ASSESSOR = ("asesor.demo", "Prof. Budi Santoso")


def _load_assessor() -> str:
    """An external assessor assigned to every demo instansi's open evaluation, for 90 days from
    today (refreshed by each load, so the demo account keeps working)."""
    username, full_name = DEMO_ASSESSOR
    user, created = get_user_model().objects.get_or_create(username=username)
    user.first_name, _, user.last_name = full_name.partition(" ")
    user.email, user.is_active = f"{username}@demo.spbe.invalid", True
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.save()
    home = Instansi.objects.get(slug=DEMO_INSTANSI[0].slug)  # grants nothing: assignments decide
    Membership.objects.update_or_create(user=user, defaults={"instansi": home, "role": Role.ASESOR, "opd": None})
    today = timezone.localdate()
    for demo in DEMO_INSTANSI:
        evaluation = Evaluation.objects.filter(instansi__slug=demo.slug, year=OPEN_YEAR).first()
        if evaluation is not None:
            AssessorAssignment.objects.update_or_create(
                assessor=user, evaluation=evaluation,
                defaults={"starts_on": today - timedelta(days=1), "ends_on": today + timedelta(days=90)},
            )  # fmt: skip
    return username


def _load_letterhead(demo: DemoInstansi, instansi: Instansi) -> None:
    """The demo letterhead; the placeholder emblem is drawn once (rerunning keeps the stored file)."""
    if demo.slug not in LETTERHEADS:
        return
    fields = {k: v for k, v in LETTERHEADS[demo.slug].items() if k != "colours"}
    has_emblem = Letterhead.objects.filter(instansi=instansi).exclude(emblem="").exists()
    save_letterhead(instansi, None if has_emblem else emblem_svg(demo.slug), signer_name=demo.people["sekda"], **fields)


def _load_people(demo: DemoInstansi, instansi: Instansi, opds: dict[str, Opd]) -> list[str]:
    user_model = get_user_model()
    names = []
    for account, full_name in demo.people.items():
        username = f"{account}.{demo.suffix}"
        first, _, last = full_name.partition(" ")
        user, created = user_model.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@demo.spbe.invalid"
        user.is_active = True
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        if account.startswith("opd."):
            role, opd = Role.OPD, opds[account.removeprefix("opd.")]
        else:
            role, opd = Role(ROLE_OF[account]), None
        Membership.objects.update_or_create(user=user, defaults={"instansi": instansi, "role": role, "opd": opd})
        names.append(username)
    return names


def _load_2022(demo: DemoInstansi, instansi: Instansi, opds: dict[str, Opd], framework: Framework) -> None:
    user_model = get_user_model()
    sekda = user_model.objects.get(username=f"sekda.{demo.suffix}")
    verifier = user_model.objects.get(username=f"verifikator.{demo.suffix}")
    evaluation, _ = Evaluation.objects.update_or_create(
        instansi=instansi,
        year=2022,
        defaults={"framework": framework, "status": EvaluationStatus.FINALISED, "is_demo": True,
                  "deadline": datetime(2022, 8, 31, 23, 59, tzinfo=WIB), "finalised_by": sekda,
                  "finalised_at": datetime(2022, 9, 2, 10, 30, tzinfo=WIB)},
    )  # fmt: skip
    indicators = list(framework.indicators.order_by("number"))
    if len(indicators) != len(demo.verified_2022):
        raise ValueError(f"demo levels cover {len(demo.verified_2022)} indicators, {framework} has {len(indicators)}")
    for indicator, level in zip(indicators, demo.verified_2022, strict=True):
        claimed = demo.claimed_2022.get(indicator.number, level)
        answer, _ = Answer.objects.update_or_create(
            evaluation=evaluation,
            indicator=indicator,
            defaults={"status": AnswerStatus.APPROVED, "lead_opd": opds.get(indicator.extra.get("suggested_opd", "")),
                      "explanation": f"FAKTA: dokumen pendukung indikator {indicator.number} tahun 2022 (data demo). "
                                     f"ANALISIS: memenuhi kriteria tingkat {claimed}."},
        )  # fmt: skip
        StageValue.objects.update_or_create(answer=answer, stage=Stage.MANDIRI, defaults={"value": Decimal(claimed)})
        note = (
            ""
            if claimed == level
            else f"Bukti belum memenuhi kriteria tingkat {claimed}; diverifikasi tingkat {level}."
        )
        StageValue.objects.update_or_create(
            answer=answer,
            stage=Stage.VERIFIKASI,
            defaults={"value": Decimal(level), "note": note, "recorded_by": verifier},
        )


def _demo_user(username: str) -> AbstractBaseUser:
    return get_user_model().objects.get(username=username)


def load_open_evaluation(demo: DemoInstansi, instansi: Instansi, framework: Framework) -> Evaluation:
    """The current cycle, created once and then left to the users' work (reruns keep it).

    The deadline moves forward when it has passed, so the demo stays usable on any date.
    """
    deadline = (timezone.localtime() + timedelta(days=30)).replace(hour=23, minute=59, second=0, microsecond=0)
    existing = Evaluation.objects.filter(instansi=instansi, year=OPEN_YEAR).first()
    if existing is not None:
        if existing.deadline is not None and existing.deadline < timezone.now():
            existing.deadline = deadline
            existing.save(update_fields=["deadline"])
        return existing
    evaluation = create_evaluation(instansi, framework, OPEN_YEAR, deadline, PredicateBasis.EXACT)
    evaluation.is_demo = True
    evaluation.save(update_fields=["is_demo"])
    _fill(demo, evaluation, OPEN_FILL, LEVEL_WORDS)
    return evaluation


@dataclass(frozen=True)
class FillWords:
    """The demo's wording for whole levels (59/2020) or decimal values (Pemdi 8/2026)."""

    analysis: str  # formatted with {claimed}
    returned: str
    approved: str  # formatted with {verified}, when the verified figure differs from the claim


LEVEL_WORDS = FillWords(
    "dokumen telah ditetapkan dan memenuhi kriteria tingkat {claimed}.",
    "Lampirkan SK yang telah ditandatangani; draf belum cukup untuk tingkat 3.",
    "Bukti hanya memenuhi kriteria tingkat {verified}.",
)
VALUE_WORDS = FillWords(
    "memenuhi kriteria dengan nilai {claimed}.",
    "Lampirkan bukti integrasi yang berjalan (log atau tangkapan layar), bukan rencana.",
    "Bukti mendukung nilai {verified}.",
)


def _fill(
    demo: DemoInstansi, evaluation: Evaluation, fill: Mapping[int, tuple[str, Any, Any]], words: FillWords
) -> None:
    """Walk the listed answers through the workflow: draft, submitted, returned or approved."""
    reviewer = _demo_user(f"verifikator.{demo.suffix}")
    fallback = _demo_user(f"admin.{demo.suffix}")
    for answer in evaluation.answers.select_related("indicator", "lead_opd").filter(indicator__number__in=fill):
        state, claimed, verified = fill[answer.indicator.number]
        code = answer.lead_opd.code if answer.lead_opd else ""
        author = get_user_model().objects.filter(username=f"opd.{code}.{demo.suffix}").first() or fallback
        analysis = words.analysis.format(claimed=formatting.number(claimed, language="id"))
        fact = f"dokumen {answer.indicator.name.lower()} tahun {OPEN_YEAR} (data demo), hlm. 3-7"
        text = f"FAKTA: {fact}. ANALISIS: {analysis}"
        value, seen = Decimal(claimed), answer.version
        if state == "draft":
            answers_service.save_draft(answer, author, value=value, explanation=text, seen_version=seen)
            continue
        submission = answers_service.save_and_submit(answer, author, value=value, explanation=text, seen_version=seen)
        if submission.refused:
            raise ValueError(f"demo answer {answer.indicator.number} not submitted: {submission.refused}")
        answer = submission.answer
        if state == "returned":
            answers_service.decide(
                answer, reviewer, decision=Decision.RETURNED, verified_value=None, seen_version=answer.version,
                reason=words.returned,
            )  # fmt: skip
        elif state == "approved":
            differs = verified is not None and verified != claimed
            reason = words.approved.format(verified=formatting.number(verified, language="id")) if differs else ""
            answers_service.decide(
                answer, reviewer, decision=Decision.APPROVED, verified_value=Decimal(verified or claimed),
                reason=reason, seen_version=answer.version,
            )  # fmt: skip


def _link_2022_evidence(demo: DemoInstansi, instansi: Instansi) -> None:
    """A few evidence links on the 2022 answers, so the carry-over has something to offer."""
    admin = _demo_user(f"admin.{demo.suffix}")
    for number, (title, url) in DEMO_LINKS_2022.items():
        answer = Answer.objects.filter(evaluation__instansi=instansi, evaluation__year=2022, indicator__number=number)
        found = answer.first()
        if found is None:
            continue
        evidence, _ = Evidence.objects.get_or_create(
            instansi=instansi, title=title, defaults={"kind": EvidenceKind.LINK, "url": url, "created_by": admin,
                                                      "opd": found.lead_opd},
        )  # fmt: skip
        AnswerEvidence.objects.get_or_create(answer=found, evidence=evidence, defaults={"added_by": admin})


def load_successor_evaluation(demo: DemoInstansi, instansi: Instansi, framework: Framework) -> Evaluation:
    """The 2026 cycle on the successor framework, seeded by the carry-over (created once, then kept)."""
    existing = Evaluation.objects.filter(instansi=instansi, year=OPEN_YEAR).first()
    if existing is not None:
        return load_open_evaluation(demo, instansi, existing.framework)  # keeps it, moves a passed deadline
    _link_2022_evidence(demo, instansi)
    deadline = (timezone.localtime() + timedelta(days=30)).replace(hour=23, minute=59, second=0, microsecond=0)
    evaluation = create_evaluation(instansi, framework, OPEN_YEAR, deadline, PredicateBasis.EXACT)
    evaluation.is_demo = True
    evaluation.save(update_fields=["is_demo"])
    carry_over(evaluation, _demo_user(f"admin.{demo.suffix}"))
    _fill(demo, evaluation, PEMDI_FILL, VALUE_WORDS)
    return evaluation
