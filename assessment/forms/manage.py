"""Forms of the admin's management pages. They only validate; `services.manage` writes.

Every message is an Indonesian msgid (English lives in locale/), and every check that can fail
names its field, so the page shows the error next to what the admin typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment import in_force
from assessment.models import Answer, Evaluation, Framework, Instansi, Membership, Opd, PredicateBasis, Role
from assessment.services.manage import (
    Assignment,
    duplicate_code_message,
    duplicate_username_message,
    duplicate_year_message,
)

JAKARTA = ZoneInfo("Asia/Jakarta")


class OpdForm(forms.Form):
    code = forms.SlugField(
        label=_("Kode"),
        max_length=40,
        help_text=_("Huruf kecil, angka dan tanda hubung, mis. bkpsdm. Dipakai untuk penugasan bawaan."),
    )
    short_name = forms.CharField(label=_("Nama singkat"), max_length=60)
    name = forms.CharField(label=_("Nama lengkap"), max_length=200)

    def __init__(self, *args: Any, instansi: Instansi, opd: Opd | None = None, **kwargs: Any) -> None:
        if opd is not None:
            kwargs.setdefault("initial", {"code": opd.code, "short_name": opd.short_name, "name": opd.name})
        super().__init__(*args, **kwargs)
        self.instansi, self.opd = instansi, opd

    def clean_code(self) -> str:
        # Framework files suggest OPDs by lower-case code; "BKPSDM" must match "bkpsdm".
        code: str = self.cleaned_data["code"].lower()
        others = Opd.objects.filter(instansi=self.instansi, code=code)
        if self.opd is not None:
            others = others.exclude(pk=self.opd.pk)
        if others.exists():
            raise ValidationError(duplicate_code_message(code), code="duplicate")
        return code


class MemberForm(forms.Form):
    """What an admin sets for every account: name, e-mail, role and (for OPD staff) the OPD."""

    first_name = forms.CharField(label=_("Nama depan"), max_length=150)
    # Many Indonesian names are one word, so a last name is optional.
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("Salinan notifikasi dikirim ke alamat ini.")
    )
    # Not asesor: external assessor accounts are made by the operator and assigned per evaluation.
    role = forms.ChoiceField(label=_("Peran"), choices=[c for c in Role.choices if c[0] != Role.ASESOR])
    opd = forms.ModelChoiceField(
        label=_("OPD"), queryset=Opd.objects.none(), required=False, help_text=_("Wajib untuk Operator OPD.")
    )

    def __init__(self, *args: Any, instansi: Instansi, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instansi = instansi
        # Only the admin's own OPDs are valid; another instansi's id reads as an invalid choice.
        self.fields["opd"].queryset = Opd.objects.filter(instansi=instansi)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        if role == Role.OPD and cleaned.get("opd") is None and "opd" not in self.errors:
            self.add_error("opd", _("Pilih OPD untuk Operator OPD."))
        elif role and role != Role.OPD:
            cleaned["opd"] = None
        return cleaned


class MemberCreateForm(MemberForm):
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Dipakai untuk masuk: huruf, angka dan @ . + - _ tanpa spasi, mis. opd.bkpsdm.siak."),
    )
    password1 = forms.CharField(
        label=_("Kata sandi awal"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 12 karakter, tidak umum, dan tidak mirip nama pengguna."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    field_order = ["username", "first_name", "last_name", "email", "role", "opd", "password1", "password2"]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(duplicate_username_message(username), code="duplicate")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password, again = cleaned.get("password1"), cleaned.get("password2")
        if password and again and password != again:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif password:
            # A stand-in user lets the similarity validator compare with the name and e-mail.
            probe = get_user_model()(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(password, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class MemberEditForm(MemberForm):
    is_active = forms.BooleanField(
        label=_("Aktif"), required=False, help_text=_("Akun nonaktif tidak dapat masuk; sesinya langsung diakhiri.")
    )

    def __init__(self, *args: Any, instansi: Instansi, member: Membership, admin: Membership, **kwargs: Any) -> None:
        user = member.user
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "role": member.role,
                "opd": member.opd_id,
                "is_active": user.is_active,
            },
        )
        super().__init__(*args, instansi=instansi, **kwargs)
        self.is_self = member.pk == admin.pk

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # The instansi must never lose its last way into these pages by the admin's own hand.
        if self.is_self and "is_active" in cleaned and not cleaned["is_active"]:
            self.add_error("is_active", _("Anda tidak dapat menonaktifkan akun Anda sendiri."))
        if self.is_self and cleaned.get("role") and cleaned["role"] != Role.ADMIN:
            self.add_error("role", _("Anda tidak dapat melepas peran admin dari akun Anda sendiri."))
        return cleaned


class WibDateTimeField(forms.DateTimeField):
    """A date and time typed and shown in WIB, whatever time zone is active for the request."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime | None:
        with timezone.override(JAKARTA):
            return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.make_naive(value, JAKARTA)
        return value


class EvaluationEditForm(forms.Form):
    deadline = WibDateTimeField(
        label=_("Tenggat pengisian (WIB)"), required=False, help_text=_("Kosongkan bila belum ditentukan.")
    )
    predicate_basis = forms.ChoiceField(
        label=_("Dasar predikat"),
        choices=PredicateBasis.choices,
        initial=PredicateBasis.EXACT,
        help_text=_("Predikat dibaca dari indeks eksak atau dari indeks yang sudah dibulatkan dua desimal."),
    )

    def __init__(self, *args: Any, evaluation: Evaluation | None = None, **kwargs: Any) -> None:
        if evaluation is not None:
            kwargs.setdefault(
                "initial", {"deadline": evaluation.deadline, "predicate_basis": evaluation.predicate_basis}
            )
        super().__init__(*args, **kwargs)
        # Shown but not editable once final; the service refuses a forged POST all the same.
        if evaluation is not None and evaluation.is_finalised:
            for field in self.fields.values():
                field.disabled = True


class FrameworkChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Framework) -> str:
        start = in_force.in_force(obj).from_year
        if start is not None:
            return _("%(name)s (berlaku mulai %(year)s)") % {"name": obj.short_name, "year": start}
        return str(obj.short_name)


class EvaluationCreateForm(EvaluationEditForm):
    year = forms.IntegerField(label=_("Tahun"), min_value=2018, max_value=2100)
    framework = FrameworkChoiceField(
        label=_("Kerangka penilaian"),
        queryset=Framework.objects.filter(is_current=True),
        empty_label=None,
        help_text=_("Bawaannya kerangka yang berlaku untuk tahun itu."),
    )
    confirm_framework = forms.BooleanField(
        label=_("Saya tetap memakai kerangka yang tidak berlaku untuk tahun ini"),
        required=False,
        help_text=_("Hanya perlu dicentang bila portal memperingatkan bahwa kerangka yang dipilih sudah dicabut."),
    )
    carry_over = forms.BooleanField(
        label=_("Isi draf dari evaluasi sebelumnya"),
        required=False,
        initial=True,
        help_text=_(
            "Bila kerangka ini dipetakan dari kerangka evaluasi terakhir (mis. SPBE ke Pemdi), bukti dukung dan "
            "penjelasan lama disalin sebagai saran ke draf; tidak ada yang langsung disetujui."
        ),
    )
    field_order = ["year", "framework", "confirm_framework", "deadline", "predicate_basis", "carry_over"]

    def __init__(self, *args: Any, instansi: Instansi, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instansi = instansi
        self.frameworks = list(self.fields["framework"].queryset)  # type: ignore[attr-defined]
        # The next year without an evaluation, and the framework in force for it.
        year = timezone.localdate().year
        if Evaluation.objects.filter(instansi=instansi, year=year).exists():
            year += 1
        self.initial.setdefault("year", year)
        default = in_force.default_for(year, self.frameworks)
        if default is not None:
            self.initial.setdefault("framework", default.pk)

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if Evaluation.objects.filter(instansi=self.instansi, year=year).exists():
            raise ValidationError(duplicate_year_message(year), code="duplicate")
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        framework, year = data.get("framework"), data.get("year")
        if framework is not None and year is not None and not data.get("confirm_framework"):
            why = in_force.warning(framework, year, self.frameworks)
            if why:
                hint = _("Centang konfirmasi di bawah bila memang ingin memakainya.")
                self.add_error("framework", ValidationError(f"{why} {hint}", code="not_in_force"))
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka kembali"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan alasan membuka kembali evaluasi.")},
    )


class AssignmentForm(forms.Form):
    """A lead-OPD select and contributor checkboxes per answer, named by the answer's id.

    Plain choice fields built from one list of OPDs keep rendering at a fixed number of queries
    (a ModelChoiceField per row would query per row). Each field carries its shown value in a
    hidden input, so only the rows the admin changed are saved and a colleague's change to
    another row in the meantime is not overwritten.
    """

    def __init__(
        self, *args: Any, answers: Sequence[Answer], opds: Sequence[Opd], locked: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(opd.pk, opd.short_name) for opd in opds]
        self.answers = list(answers)
        for answer in self.answers:
            number = answer.indicator.number
            self.fields[f"lead_{answer.pk}"] = forms.TypedChoiceField(
                label=_("OPD pengampu indikator %(number)s") % {"number": number},
                choices=[("", _("— belum ditugaskan —")), *choices],
                coerce=int,
                empty_value=None,
                required=False,
                initial=answer.lead_opd_id,
                show_hidden_initial=True,
                disabled=locked,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"contributors_{answer.pk}"] = forms.TypedMultipleChoiceField(
                label=_("OPD pendukung indikator %(number)s") % {"number": number},
                choices=choices,
                coerce=int,
                required=False,
                initial=[opd.pk for opd in answer.contributors.all()],
                show_hidden_initial=True,
                disabled=locked,
                # Checkboxes, not a Ctrl-click multi-select: every OPD readable, each one a Space away.
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input me-1"}),
            )

    def rows(self) -> list[tuple[Answer, forms.BoundField, forms.BoundField]]:
        return [(a, self[f"lead_{a.pk}"], self[f"contributors_{a.pk}"]) for a in self.answers]

    def changes(self) -> dict[int, Assignment]:
        """Answer id -> the submitted assignment, for the rows whose values the admin changed."""
        changed = set(self.changed_data)
        return {
            a.pk: Assignment(
                lead_opd_id=self.cleaned_data[f"lead_{a.pk}"],
                contributor_ids=frozenset(self.cleaned_data[f"contributors_{a.pk}"]),
            )
            for a in self.answers
            if f"lead_{a.pk}" in changed or f"contributors_{a.pk}" in changed
        }
