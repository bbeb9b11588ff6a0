from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountField
from events.models import EventSlot


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
