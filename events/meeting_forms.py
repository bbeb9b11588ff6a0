"""Page forms for meetings: they parse input; the services decide. The
forms of the moves are named by the workflow (`events.meeting_workflows`);
their field names are the keyword arguments of its services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.limits import NOTE_MAX_LENGTH
from core.widgets import DateTimeInput
from events.meeting_selectors import slot_label
from events.models import EventSlot, Meeting
from products.models import Institution


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: EventSlot) -> str:
        return slot_label(obj)


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return obj.name


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())


class MeetingRequestForm(forms.Form):
    institution = InstitutionChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )
    slot = SlotChoiceField(
        label=_("Preferred slot"),
        queryset=EventSlot.objects.none(),
        required=False,
        empty_label=_("Let the institution choose"),
    )
    note = forms.CharField(
        label=_("What you would like to discuss"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        institutions: QuerySet[Institution],
        slots: QuerySet[EventSlot],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        institution, slot = self.fields["institution"], self.fields["slot"]
        assert isinstance(institution, forms.ModelChoiceField)
        assert isinstance(slot, forms.ModelChoiceField)
        institution.queryset = institutions
        slot.queryset = slots


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptForm(NoteForm):
    slot = SlotChoiceField(
        label=_("Slot"),
        queryset=EventSlot.objects.all(),
        required=False,
        help_text=_("Another slot than the one asked for, or the slot when none was."),
    )

    field_order = ["slot", "note"]

    def __init__(self, *args: Any, slots: QuerySet[EventSlot] | None = None, **kwargs: Any) -> None:
        # Pages offer the event's slots; read without them (a POST, the API),
        # any slot parses and the service refuses one of another event.
        super().__init__(*args, **kwargs)
        slot = self.fields["slot"]
        assert isinstance(slot, forms.ModelChoiceField)
        if slots is not None:
            slot.queryset = slots


class OutcomeForm(NoteForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in Meeting.Outcome.choices if c[0] != Meeting.Outcome.PENDING],
    )

    field_order = ["outcome", "note"]
