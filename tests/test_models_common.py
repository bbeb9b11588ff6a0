"""Money is Decimal yuan, never negative, everywhere."""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError

from core.models import MoneyField

PORTAL_APPS = set(settings.PORTAL_APPS)


def money_fields():
    for model in apps.get_models():
        if model._meta.app_label in PORTAL_APPS:
            for field in model._meta.get_fields():
                if isinstance(field, MoneyField):
                    yield model, field


def test_every_yuan_amount_is_a_money_field():
    # Any field whose label says CNY must be a MoneyField, not a float or a bare decimal.
    for model in apps.get_models():
        if model._meta.app_label not in PORTAL_APPS:
            continue
        for field in model._meta.concrete_fields:
            if "CNY" in str(getattr(field, "verbose_name", "")):
                assert isinstance(field, MoneyField), f"{model.__name__}.{field.name}"


def test_money_fields_refuse_negative_amounts_and_keep_fen():
    fields = list(money_fields())
    assert len(fields) >= 10
    for _model, field in fields:
        assert field.decimal_places == 2
        try:
            field.run_validators(Decimal("-0.01"))
        except ValidationError:
            continue
        raise AssertionError(f"{field} accepted a negative amount")
