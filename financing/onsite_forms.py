"""Page forms for on-site outcomes: they parse input; the services decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountField
from core.limits import TEXT_MAX_LENGTH
from core.widgets import DateInput
from enterprises.models import IPAsset
from events.meeting_selectors import ACTIVE_REGISTRATION, institutions_to_meet, slot_label
from events.models import Event, Meeting, Registration
from financing.forms import MONEY, AssetChoiceField, choice_field
from financing.models import Contract
from products.models import Institution, Product


class _Labelled(forms.ModelChoiceField):
    def __init__(self, *args: Any, label_of: Callable[[Any], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_of = label_of

    def label_from_instance(self, obj: Any) -> str:
        return self.label_of(obj)


class OnsiteContractForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Contract.Kind.choices)
    registration = _Labelled(
        label=_("Enterprise"),
        queryset=Registration.objects.none(),
        label_of=lambda r: r.enterprise.name,
    )
    institution = _Labelled(
        label=_("Institution"), queryset=Institution.objects.none(), label_of=lambda i: i.name
    )
    product = _Labelled(
        label=_("Product"),
        queryset=Product.objects.none(),
        required=False,
        label_of=lambda p: f"{p.name} ({p.institution.name})",
    )
    meeting = _Labelled(
        label=_("From the meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        label_of=lambda m: (
            f"{m.enterprise.name} × {m.institution.name}"
            + (f", {slot_label(m.slot)}" if m.slot else "")
        ),
    )
    amount = AmountField(label=_("Amount (CNY)"), **MONEY)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    reference = forms.CharField(label=_("Contract number"), max_length=40)

    def __init__(
        self,
        *args: Any,
        event: Event,
        institutions: QuerySet[Institution] | None = None,
        **kwargs: Any,
    ) -> None:
        """`institutions` narrows the choices to the recording officer's own."""
        super().__init__(*args, **kwargs)
        choice_field(self, "registration").queryset = (
            Registration.objects.filter(
                event=event, enterprise__isnull=False, status__in=ACTIVE_REGISTRATION
            )
            .select_related("enterprise")
            .order_by("enterprise__name_zh")
        )
        if institutions is None:
            institutions = institutions_to_meet(event=event)
        choice_field(self, "institution").queryset = institutions
        choice_field(self, "product").queryset = (
            Product.objects.filter(institution__in=institutions, status=Product.Status.PUBLISHED)
            .select_related("institution")
            .order_by("institution__name_zh", "name_zh")
        )
        choice_field(self, "meeting").queryset = Meeting.objects.filter(
            event=event,
            institution__in=institutions,
            status__in=(Meeting.Status.ACCEPTED, Meeting.Status.HELD),
        ).select_related("enterprise", "institution", "slot")


class FollowUpForm(forms.Form):
    amount = AmountField(label=_("Amount (CNY)"), **MONEY)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=600)
    asset_ids = AssetChoiceField(
        label=_("IP assets to pledge"),
        queryset=IPAsset.objects.none(),
        error_messages={"required": _("Choose at least one IP asset to pledge.")},
    )
    purpose = forms.CharField(
        label=_("Purpose of the loan"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args: Any, assets: QuerySet[IPAsset], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "asset_ids").queryset = assets
