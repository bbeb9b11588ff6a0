"""The park picker every form uses: parks grouped by province."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parks.models import Park
from parks.selectors import park_list


class _GroupedByProvince(forms.models.ModelChoiceIterator):
    """One <optgroup> per province, each park under its own."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list[Any]] = {}
        names: dict[str, str] = {}
        for park in self.queryset:
            groups.setdefault(park.province_id, []).append(self.choice(park))
            names[park.province_id] = park.province.name
        for code, choices in groups.items():
            yield (names[code], choices)

    def __len__(self) -> int:
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class ParkChoiceField(forms.ModelChoiceField):
    """Pick a park from the list, grouped by province; limit it to a province
    with `queryset=park_list().filter(province=...)`."""

    iterator = _GroupedByProvince

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", park_list())
        kwargs.setdefault("label", _("Park"))
        kwargs.setdefault("empty_label", _("— choose a park —"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Park) -> str:
        return f"{obj.name} · {obj.city}" if obj.city else obj.name
