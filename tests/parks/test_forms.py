"""The park picker: parks grouped under their province, each named with its city."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from parks.forms import ParkChoiceField
from parks.selectors import park_list
from tests.factories import ParkFactory

pytestmark = pytest.mark.django_db


class PickForm(forms.Form):
    park = ParkChoiceField()


def test_parks_are_grouped_by_province_in_the_readers_language():
    ParkFactory(name_zh="两江测试园", city_zh="重庆", province_id="500000")
    with translation.override("zh-hans"):
        html = str(PickForm()["park"])
    assert '<optgroup label="重庆市">' in html
    assert "两江测试园 · 重庆" in html
    assert html.count("<optgroup") == park_list().values("province").distinct().count()


def test_a_picker_limited_to_a_province_refuses_a_park_elsewhere():
    elsewhere = ParkFactory(province_id="500000")
    form = PickForm(data={"park": elsewhere.pk})
    field = form.fields["park"]
    assert isinstance(field, ParkChoiceField)
    field.queryset = park_list().filter(province_id="330000")
    assert not form.is_valid()
    assert "park" in form.errors
