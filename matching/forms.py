from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountField
from events.models import Event, EventSlot
from products.models import Product


class NeedForm(forms.Form):
    """The need a ranking is for; empty fields fall back to the enterprise's stated need."""

    amount = AmountField(label=_("Amount (CNY)"), required=False, min_value=Decimal("0.01"))
    term = forms.IntegerField(label=_("Term (months)"), required=False, min_value=1, max_value=600)
    max_rate = forms.DecimalField(
        label=_("Highest annual rate (%)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("36"),
        max_digits=5,
        decimal_places=2,
    )


class MeetingSlotForm(forms.Form):
    """Another slot for a meeting of a schedule under review: an adjustment
    the organiser makes before publishing, not a move of the schedule's
    status (`matching.workflows`)."""

    slot = forms.ModelChoiceField(label=_("Slot"), queryset=EventSlot.objects.none())

    def __init__(self, *args: Any, event_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        slot = self.fields["slot"]
        assert isinstance(slot, forms.ModelChoiceField)
        slot.queryset = EventSlot.objects.filter(event_id=event_id)


class InviteToApplyForm(forms.Form):
    """Which of the institution's published products a lead is invited to apply for."""

    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.none(),
        error_messages={"invalid_choice": _("Choose one of your published products.")},
    )

    def __init__(self, *args: Any, products: QuerySet[Product], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = products


class InviteToMeetForm(forms.Form):
    """At which upcoming event, where the institution takes part, a lead is invited to meet."""

    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Event.objects.none(),
        error_messages={
            "invalid_choice": _("Choose an upcoming event where your institution is registered.")
        },
    )

    def __init__(self, *args: Any, events: QuerySet[Event], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["event"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = events
