"""What every app's filter sets (django-filter) share: date filters with the
portal's ISO date input, and sort menus labelled in whole sentences."""

from __future__ import annotations

from typing import Any, NamedTuple

import django_filters
from django.utils.functional import Promise

from core.widgets import DateInput


class DateFilter(django_filters.DateFilter):
    """A date filter drawn as `<input type="date">` with an ISO value."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DateInput())
        super().__init__(*args, **kwargs)


class Sort(NamedTuple):
    """One sort key: the model field, the parameter in the address, and the
    menu's label each way (django-filter would glue "(descending)" on in
    English, once, when the module is imported)."""

    field: str
    param: str
    ascending: str | Promise
    descending: str | Promise


def ordering_filter(*sorts: Sort, **kwargs: Any) -> django_filters.OrderingFilter:
    labels: dict[str, str | Promise] = {}
    for sort in sorts:
        labels[sort.field] = sort.ascending
        labels[f"-{sort.param}"] = sort.descending
    return django_filters.OrderingFilter(
        fields=[(sort.field, sort.param) for sort in sorts], field_labels=labels, **kwargs
    )
