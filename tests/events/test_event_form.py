"""The new-event form as an organiser fills it in: long lists are checkboxes
to tick (no Ctrl-click), a park manager starts at their own park, and errors
are listed at the top, each linking to its field."""

from __future__ import annotations

import pytest
from django.test import Client

from core.models import Province
from parks.models import Park
from tests.forms_html import (
    by_id,
    checkboxes,
    error_summary_links,
    label_for,
    multiple_selects,
    selected,
)

pytestmark = pytest.mark.django_db


def page(user, path="/events/manage/new/", data=None) -> str:
    client = Client()
    client.force_login(user)
    response = client.post(path, data) if data is not None else client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_parks_provinces_and_products_are_lists_to_tick(people):
    html = page(people.regulator)
    assert multiple_selects(html) == []
    parks = checkboxes(html, "parks")
    assert len(parks) == Park.objects.count() and not any(parks.values())
    assert len(checkboxes(html, "participating_provinces")) == Province.objects.count()
    assert {str(p.pk) for p in people.products} <= set(checkboxes(html, "featured_products"))
    # Each long list has a filter field for the script to show, named by its legend.
    ids = by_id(html)
    for name in ("parks", "participating_provinces", "featured_products"):
        assert "data-choice-filter" in ids[f"id_{name}_filter"].attrs
        assert ids[f"id_{name}_legend"].text.strip()


def test_a_park_managers_only_park_is_ticked_with_its_province_and_city(people):
    html = page(people.park_user)
    assert checkboxes(html, "parks") == {str(people.park.pk): True}
    ids = by_id(html)
    assert ids["id_city_zh"].attrs["value"] == people.park.city_zh
    assert selected(html, "host_province") == [str(people.park.province_id)]


def test_the_errors_are_listed_at_the_top_each_linking_to_its_field(people):
    html = page(
        people.park_user,
        data={"title_zh": "", "capacity": "many", "parks": [people.park.pk], "format": "onsite"},
    )
    links = error_summary_links(html)
    assert links is not None
    targets = [link.attrs["href"].removeprefix("#") for link in links]
    # The required title, the kind and the dates, and the capacity that is no number.
    for name in ("title_zh", "kinds", "host_province", "starts_at", "capacity"):
        assert f"id_{name}" in targets, (name, targets)
    ids = by_id(html)
    for target in targets:
        assert target in ids, f"the summary links to #{target}, which the page lacks"
    # The link names the field as its label does.
    capacity = next(link for link in links if link.attrs["href"] == "#id_capacity")
    assert capacity.text.strip().startswith(label_for(html, "id_capacity"))
