"""No form of the portal asks for Ctrl-click: every list of several choices is
checkboxes, and the long ones (parks, provinces, products, institutions,
industries, knowledge items) come with a filter (core.forms.ChoiceList)."""

from __future__ import annotations

import importlib
import pkgutil

from django import forms
from django.apps import apps
from django.conf import settings

from core.forms import ChoiceList
from core.models import Industry, Province
from knowledge.models import Policy, TypicalCase
from parks.models import Park
from products.models import Institution, Product

LONG_LISTS = {Park, Province, Product, Institution, Industry, Policy, TypicalCase}


def portal_forms() -> list[type[forms.BaseForm]]:
    """Every form class the portal's apps declare (forms.py and *_forms.py)."""
    ours = set()
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)):
            continue
        ours.add(config.name)
        for module in pkgutil.iter_modules([config.path]):
            if module.name == "forms" or module.name.endswith("_forms"):
                importlib.import_module(f"{config.name}.{module.name}")
    found: list[type[forms.BaseForm]] = []
    todo: list[type[forms.BaseForm]] = [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in ours:
                found.append(sub)
    return found


def test_every_list_of_several_choices_is_checkboxes_and_the_long_ones_filter():
    seen = []
    for form in portal_forms():
        for name, field in getattr(form, "base_fields", {}).items():
            if not isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                continue
            where = f"{form.__module__}.{form.__name__}.{name}"
            seen.append(where)
            assert isinstance(field.widget, forms.CheckboxSelectMultiple), (
                f"{where} is a list to Ctrl-click"
            )
            model = getattr(getattr(field, "queryset", None), "model", None)
            if model in LONG_LISTS:
                assert isinstance(field.widget, ChoiceList), f"{where} has no filter"
    # The walk found the event form's lists, so it would find a bad one.
    assert "events.forms.EventForm.parks" in seen
    assert "products.forms.ProductForm.provinces_served" in seen
