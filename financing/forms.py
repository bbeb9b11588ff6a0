"""Page forms: they parse input; the services decide what it may do.

The action forms' field names are the keyword arguments of the services
that make the moves (`financing.workflows` names each action's form), so
pages and the API pass `cleaned_data` straight on."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountField
from core.limits import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, IdsChoiceField
from core.widgets import DateInput
from enterprises.models import IPAsset
from financing.documents import ACCEPT, check_documents, limits_text
from financing.models import RepaymentMethod
from products.models import MAX_RATE


class MoneyOptions(TypedDict):
    max_digits: int
    decimal_places: int
    min_value: Decimal


# An amount of yuan asked, approved or paid: positive, to the fen.
MONEY: MoneyOptions = {"max_digits": 16, "decimal_places": 2, "min_value": Decimal("0.01")}


def choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's own copy of a declared model choice field, to narrow its choices."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class AssetChoiceField(IdsChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: IPAsset) -> str:
        return f"{obj.kind.name} {obj.number} {obj.title}"


class ApplicationForm(forms.Form):
    amount = AmountField(label=_("Amount (CNY)"), **MONEY)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=600)
    assets = AssetChoiceField(
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
        choice_field(self, "assets").queryset = assets


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RequiredNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Message"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several files in one input, checked together (financing.documents):
    the types, the size of each and how many."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        uploads = [super(DocumentsField, self).clean(upload, initial) for upload in uploads]
        if self.required and not uploads:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return check_documents(upload for upload in uploads if upload)


class AnswerForm(RequiredNoteForm):
    """The enterprise's answer to a request for information, with the
    documents asked for."""

    documents = DocumentsField(label=_("Documents"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Filled in per request, in the reader's language.
        self.fields["documents"].help_text = limits_text()


class TermsForm(forms.Form):
    """The terms of a loan: its annual rate, its term and how it is paid back."""

    interest_rate = forms.DecimalField(
        label=_("Annual interest rate (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_RATE,
    )
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=600)
    repayment_method = forms.ChoiceField(
        label=_("Repayment method"), choices=[("", "---------"), *RepaymentMethod.choices]
    )


class ApproveForm(TermsForm, NoteForm):
    amount = AmountField(label=_("Approved amount (CNY)"), **MONEY)

    field_order = ["amount", "interest_rate", "term_months", "repayment_method", "note"]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class SignContractForm(TermsForm):
    """The contract's own terms: they start from the approval's."""

    amount = AmountField(label=_("Contract amount (CNY)"), **MONEY)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    reference = forms.CharField(label=_("Contract number"), max_length=40)

    field_order = [
        "amount",
        "interest_rate",
        "term_months",
        "repayment_method",
        "signed_on",
        "reference",
    ]


class RegisterPledgeForm(forms.Form):
    registration_number = forms.CharField(label=_("Pledge registration number"), max_length=60)
    registered_on = forms.DateField(label=_("Registered on"), widget=DateInput())


class DisburseForm(forms.Form):
    amount = AmountField(label=_("Disbursed amount (CNY)"), **MONEY)
    disbursed_on = forms.DateField(label=_("Disbursed on"), widget=DateInput())
