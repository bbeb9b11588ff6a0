"""Date and time inputs carry ISO values in every language: a browser's
`<input type="date">` drops `2026/12/04`, so a Chinese page would show the
field empty and the officer would type each date by hand."""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import pkgutil
import re
from collections.abc import Iterator

import django_filters
import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from financing.models import Application
from tests.financing.workflow import application_at, make_parties

DAY = dt.date(2026, 12, 4)
MOMENT = (2026, 12, 4, 9, 30)


def _import_portal_modules() -> None:
    for app in settings.PORTAL_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _portal(cls: type) -> bool:
    package, _, rest = cls.__module__.partition(".")
    # Django's admin draws its own date widgets.
    return package in settings.PORTAL_APPS and not rest.startswith("admin")


def _fields_of(cls: type) -> dict[str, forms.Field]:
    """A form's fields, those made when it is built included (the enterprise
    forms read theirs from the model) where it needs no arguments."""
    if issubclass(cls, django_filters.FilterSet):
        return {
            name: f.field
            for name, f in cls.base_filters.items()  # type: ignore[attr-defined]
            if issubclass(f.field_class, forms.DateField | forms.DateTimeField)
        }
    assert issubclass(cls, forms.BaseForm)
    try:
        return dict(cls().fields)
    except (TypeError, AttributeError):  # it asks for what the page knows, or is a base
        return dict(cls.base_fields)  # type: ignore[attr-defined]


def date_fields() -> dict[str, forms.Field]:
    _import_portal_modules()
    found: dict[str, forms.Field] = {}
    for base in (forms.BaseForm, django_filters.FilterSet):
        for cls in _subclasses(base):
            if not _portal(cls):
                continue
            for name, field in _fields_of(cls).items():
                if isinstance(field, forms.DateField | forms.DateTimeField):
                    found[f"{cls.__module__}.{cls.__qualname__}.{name}"] = field
    return found


DATE_FIELDS = date_fields()


def test_the_walk_finds_the_date_fields_of_forms_and_filters():
    names = {key.rsplit(".", 2)[-2] + "." + key.rsplit(".", 1)[-1] for key in DATE_FIELDS}
    assert {
        "SignContractForm.signed_on",
        "RegisterPledgeForm.registered_on",
        "DisburseForm.disbursed_on",
        "OnsiteContractForm.signed_on",
        "IPAssetForm.filed_on",
        "EventForm.starts_at",
        "SlotForm.starts_at",
        "PolicyForm.issued_on",
        "ApplicationFilter.submitted_from",
        "EventFilter.date_from",
        "PolicyFilter.issued_from",
    } <= names, sorted(names)


def _one_field_form(field: forms.Field) -> type[forms.Form]:
    return type("One", (forms.Form,), {"when": copy.deepcopy(field)})


@pytest.mark.parametrize("name", sorted(DATE_FIELDS))
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_input_shows_and_reads_back_an_iso_value(name, language):
    field = DATE_FIELDS[name]
    form_class = _one_field_form(field)
    if isinstance(field, forms.DateTimeField):
        value: dt.date = timezone.make_aware(dt.datetime(*MOMENT))
        shown, kind = "2026-12-04T09:30", "datetime-local"
    else:
        value, shown, kind = DAY, "2026-12-04", "date"
    with translation.override(language):
        html = str(form_class(initial={"when": value})["when"])
        bound = form_class(data={"when": shown})
        assert bound.is_valid(), bound.errors
    assert re.search(rf'type="{kind}"', html), html
    assert re.search(rf'value="{shown}"', html), html
    assert bound.cleaned_data["when"] == value


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "field"),
    [
        (Application.Status.APPROVED, "sign-contract-signed_on"),
        (Application.Status.CONTRACT_SIGNED, "register-pledge-registered_on"),
        (Application.Status.PLEDGE_REGISTERED, "disburse-disbursed_on"),
    ],
)
def test_the_banks_forms_in_chinese_come_with_todays_date(status, field):
    parties = make_parties()
    application = application_at(status, parties)
    client = Client()
    client.force_login(parties.banker)

    html = client.get(f"/zh-hans/applications/{application.pk}/").content.decode()

    assert 'lang="zh-hans"' in html
    today = timezone.localdate().isoformat()
    tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', html)
    assert tag is not None, html
    assert 'type="date"' in tag.group(0)
    assert f'value="{today}"' in tag.group(0)
