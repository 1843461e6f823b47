"""factory_boy factories: instansi -> OPD -> user/membership -> evaluation -> answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol, TypeVar, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from factory.declarations import LazyAttribute, PostGenerationMethodCall, Sequence, SubFactory
from factory.django import DjangoModelFactory
from factory.helpers import post_generation

from assessment.models import (
    Answer,
    AnswerStatus,
    Evaluation,
    EvaluationStatus,
    Framework,
    Instansi,
    InstansiKind,
    Membership,
    Opd,
    Role,
    Stage,
    StageValue,
)

PASSWORD = "correct-horse-battery-staple"

T = TypeVar("T")


class Factory(Protocol[T]):
    """What a factory gives when called: factory_boy types `UserFactory()` as a UserFactory, not a User."""

    def __call__(self, **kwargs: Any) -> T: ...
    def build(self, **kwargs: Any) -> T: ...
    def create_batch(self, size: int, **kwargs: Any) -> list[T]: ...


class _InstansiFactory(DjangoModelFactory[Instansi]):
    class Meta:
        model = Instansi
        django_get_or_create = ("slug",)

    name = Sequence(lambda n: f"Kabupaten Uji {n}")
    slug = Sequence(lambda n: f"kabupaten-uji-{n}")
    kind = InstansiKind.KABUPATEN


class _OpdFactory(DjangoModelFactory[Opd]):
    class Meta:
        model = Opd

    instansi = SubFactory(_InstansiFactory)
    code = Sequence(lambda n: f"opd-{n}")
    short_name = Sequence(lambda n: f"OPD {n}")
    name = LazyAttribute(lambda o: f"Perangkat Daerah {o.short_name}")


class _UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = Sequence(lambda n: f"user{n}")
    password = PostGenerationMethodCall("set_password", PASSWORD)

    @post_generation
    def saved(self: Any, create: bool, _extracted: Any, **_kwargs: Any) -> None:
        if create:
            self.save()


class _MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = SubFactory(_UserFactory)
    instansi = SubFactory(_InstansiFactory)
    role = Role.SEKDA
    opd = None


class _EvaluationFactory(DjangoModelFactory[Evaluation]):
    class Meta:
        model = Evaluation

    instansi = SubFactory(_InstansiFactory)
    framework: Any = None
    year = 2024
    status = EvaluationStatus.OPEN


InstansiFactory = cast("Factory[Instansi]", _InstansiFactory)
OpdFactory = cast("Factory[Opd]", _OpdFactory)
UserFactory = cast("Factory[User]", _UserFactory)
MembershipFactory = cast("Factory[Membership]", _MembershipFactory)
EvaluationFactory = cast("Factory[Evaluation]", _EvaluationFactory)


def answer_all(evaluation: Evaluation, levels: dict[int, int], stage: str = Stage.MANDIRI) -> None:
    """Give `evaluation` a value per indicator number at `stage` (creating answers as needed)."""
    for indicator in evaluation.framework.indicators.filter(number__in=levels):
        answer, _ = Answer.objects.get_or_create(
            evaluation=evaluation, indicator=indicator, defaults={"status": AnswerStatus.APPROVED}
        )
        StageValue.objects.update_or_create(
            answer=answer, stage=stage, defaults={"value": Decimal(levels[indicator.number])}
        )


def finalised(framework: Framework, levels: dict[int, int], **kwargs: Any) -> Evaluation:
    evaluation = EvaluationFactory(framework=framework, status=EvaluationStatus.FINALISED, **kwargs)
    answer_all(evaluation, levels, Stage.VERIFIKASI)
    return evaluation
