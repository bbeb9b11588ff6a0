"""Page forms: they parse input; the services decide what it may do."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountField
from core.forms import ChoiceList
from core.limits import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, IdsChoiceField, column_max
from core.widgets import DateInput, DateTimeInput
from events.models import Event
from parks.models import Park
from products.models import Product

DATETIME = DateTimeInput()


class FeaturedProductField(IdsChoiceField):
    def label_from_instance(self, obj: Product) -> str:
        return f"{obj.name} ({obj.institution.name})"


class EventForm(forms.ModelForm):
    """The fields an organiser sets (events.services.EVENT_FIELDS and the
    many-to-manys); the services check what the organiser may choose."""

    featured_products = FeaturedProductField(
        label=_("Products released"),
        queryset=Product.objects.none(),
        required=False,
        widget=ChoiceList,
    )

    class Meta:
        model = Event
        field_classes = {"parks": IdsChoiceField}
        fields = [
            "campaign",
            "title_zh",
            "title_en",
            "kinds",
            "host_province",
            "city_zh",
            "city_en",
            "venue",
            "parks",
            "participating_provinces",
            "starts_at",
            "ends_at",
            "format",
            "capacity",
            "registration_deadline",
            "requires_approval",
            "description_zh",
            "description_en",
            "agenda",
            "featured_products",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "registration_deadline": DATETIME,
            "kinds": forms.CheckboxSelectMultiple,
            "parks": ChoiceList,
            "participating_provinces": ChoiceList,
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, parks: QuerySet[Park], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        park_field, product_field = self.fields["parks"], self.fields["featured_products"]
        assert isinstance(park_field, forms.ModelMultipleChoiceField)
        assert isinstance(product_field, forms.ModelMultipleChoiceField)
        park_field.queryset = parks.order_by("province_id", "name_zh")
        product_field.queryset = (
            Product.objects.filter(status=Product.Status.PUBLISHED)
            .select_related("institution")
            .order_by("institution__name_zh", "name_zh")
        )
        for name in ("starts_at", "ends_at", "registration_deadline"):
            moment = self.fields[name]
            assert isinstance(moment, forms.DateTimeField)
            moment.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["agenda"].help_text = _("One item a line, e.g. “09:30 Opening”.")
        if not self.is_bound and self.instance.pk is None:
            self._start_at_the_only_park(park_field.queryset)

    def _start_at_the_only_park(self, parks: QuerySet[Park]) -> None:
        """A new event of an organiser with one park to choose (a park
        manager's own) starts ticked at that park, in its province and city."""
        choices = list(parks[:2])
        if len(choices) != 1:
            return
        park = choices[0]
        for name, value in (
            ("parks", [park.pk]),
            ("host_province", park.province_id),
            ("city_zh", park.city_zh),
            ("city_en", park.city_en),
        ):
            self.initial.setdefault(name, value)


class RegisterForm(forms.Form):
    party = forms.ChoiceField(label=_("Register"))
    need_amount = AmountField(
        label=_("Financing need (CNY)"), required=False, min_value=Decimal("0")
    )
    need_term_months = forms.IntegerField(
        label=_("Term (months)"), required=False, min_value=1, max_value=600
    )
    max_meetings = forms.IntegerField(
        label=_("Most meetings (institutions)"), required=False, min_value=1, max_value=100
    )
    note = forms.CharField(
        label=_("Note to the organiser"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, parties: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        party = self.fields["party"]
        assert isinstance(party, forms.ChoiceField)
        party.choices = parties
        if len(parties) == 1:
            party.initial = parties[0][0]
            party.widget = forms.HiddenInput()


# The input of the event's and registrations' moves (events.workflows): their
# field names are the keyword arguments of the services that make the moves,
# so pages and the API pass `cleaned_data` straight on.


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to everyone registered)"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EventNoteForm(forms.Form):
    """An optional note on a move of an event or of a registration. (Named
    for the app: the API's schema names each move's input after its form.)"""

    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
                "inputmode": "text",
            }
        ),
    )


class ParticipantsForm(forms.Form):
    participants_online = forms.IntegerField(
        label=_("Participants online"),
        min_value=0,
        max_value=column_max(Event, "participants_online"),
    )
    participants_offline = forms.IntegerField(
        label=_("Participants on site"),
        min_value=0,
        max_value=column_max(Event, "participants_offline"),
    )


class CampaignForm(forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput())
    description_zh = forms.CharField(
        label=_("Description (Chinese)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_public = forms.BooleanField(
        label=_("Figures shown to visitors"), required=False, initial=True
    )
