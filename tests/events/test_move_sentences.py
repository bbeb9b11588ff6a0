"""What the pages and the API say about a move, as each action declares it:
a page names what was done, and the wrong party hears who may act."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from events.models import Registration
from events.services import registration_cancel, registration_create
from events.workflows import REGISTRATION

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_publishing_an_event_on_its_page_says_it_is_published(make_event, people):
    event = make_event(publish=False)
    done = signed_in(people.regulator).post(f"/events/{event.slug}/publish/", follow=True)
    assert said(done) == [f"“{event}” is published."]


def test_confirming_a_registration_names_the_party(make_event, people):
    event = make_event(requires_approval=True)
    registration = registration_create(
        event=event, actor=people.enterprise_user, enterprise=people.enterprise
    )
    done = signed_in(people.regulator).post(
        f"/events/{event.slug}/registrations/{registration.pk}/approve/", follow=True
    )
    assert said(done) == [f"{people.enterprise.name} is confirmed."]


def test_cancelling_ones_registration_says_so(make_event, people):
    event = make_event()
    registration = registration_create(
        event=event, actor=people.enterprise_user, enterprise=people.enterprise
    )
    done = signed_in(people.enterprise_user).post(
        f"/events/registrations/{registration.code}/cancel/", {"confirmed": "1"}, follow=True
    )
    assert said(done) == ["The registration is cancelled."]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_the_wrong_party_hears_who_may_cancel_a_registration(make_event, people):
    """Both the registrant and the organisers may cancel: whoever else tries
    hears so from the workflow itself, on the page, the API and the service."""
    event = make_event()
    registration = registration_create(
        event=event, actor=people.enterprise_user, enterprise=people.enterprise
    )
    with pytest.raises(PermissionDenied) as refused:
        REGISTRATION.check_side(registration, people.bank_user, "cancel")
    assert str(refused.value) == "Only the registrant or the organisers may cancel this."
    with pytest.raises(PermissionDenied):
        registration_cancel(registration=registration, actor=people.bank_user)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
