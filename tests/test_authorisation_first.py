"""Who asks is checked before what they sent: someone who may not make a
write gets 403 (or 404 for what they may not see) whatever the body, never a
400 whose field messages would tell them about rows that are not theirs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from enterprises.models import Enterprise, IPAsset
from events.models import Event, Meeting, Registration
from financing.models import Application, Contract
from knowledge.models import (
    Collection,
    CooperationAgreement,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)
from products.models import Institution, InstitutionMembership, Product
from tests.factories import UserFactory, member_of
from tests.rows import first

pytestmark = pytest.mark.django_db

# Writes any signed-in user may make: asking for or making a token of their
# own, marking their own notifications read; and accepting an invitation,
# where the link's token in the body is what gives the right.
OPEN_TO_ANYONE = {
    "/api/auth/token/",
    "/api/v1/tokens/",
    "/api/v1/notifications/read/",
    "/api/v1/invitations/accept/",
}


def _rows() -> dict[str, str]:
    """An existing row for each kind of address, so each write meets a real one."""
    rows: dict[str, Any] = {
        "applications": Application.objects,
        "contracts": Contract.objects.exclude(event=None),
        "assets": IPAsset.objects,
        "enterprises": Enterprise.objects,
        "meetings": Meeting.objects,
        "registrations": Registration.objects,
        "products": Product.objects,
        "policies": Policy.objects,
        "typical-cases": TypicalCase.objects,
        "collections": Collection.objects,
        "training-sessions": TrainingSession.objects,
        "media-reports": MediaReport.objects,
        "cooperation-agreements": CooperationAgreement.objects,
    }
    found = {
        name: str(queryset.order_by("pk").values_list("pk", flat=True).first() or 1)
        for name, queryset in rows.items()
    }
    event = Event.objects.filter(status=Event.Status.PUBLISHED).order_by("starts_at").last()
    assert event is not None
    found["slug"] = event.slug
    return found


def _writes() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method, path)
        for path, operations in schema["paths"].items()
        for method in ("post", "put", "patch", "delete")
        if method in operations and path not in OPEN_TO_ANYONE
    ]


def _address(path: str, rows: dict[str, str]) -> str:
    collection = re.match(r"/api/v1/([a-z-]+)/\{id\}", path)
    if collection:
        path = path.replace("{id}", rows.get(collection.group(1), "1"), 1)
    return path.replace("{slug}", rows["slug"]).replace("{id}", "1")


def test_an_outsider_is_refused_every_write_before_the_body_is_read():
    rows = _rows()
    outsider = APIClient()
    outsider.force_authenticate(UserFactory())
    answers = {}
    for method, path in _writes():
        response = getattr(outsider, method)(_address(path, rows), {}, format="json")
        answers[f"{method.upper()} {path}"] = response.status_code
    told_about_the_body = {op: code for op, code in answers.items() if code not in (403, 404)}
    assert told_about_the_body == {}


def test_a_visitor_is_asked_to_sign_in_before_the_body_is_read():
    rows = _rows()
    visitor = APIClient()
    answers = {
        f"{method.upper()} {path}": getattr(visitor, method)(
            _address(path, rows), {}, format="json"
        ).status_code
        for method, path in _writes()
    }
    assert {op: code for op, code in answers.items() if code not in (401, 404)} == {}


def _onsite_body(registration: int, institution: int) -> dict:
    return {
        "kind": "intention",
        "amount": "1000000.00",
        "signed_on": "2020-06-01",
        "reference": "PROBE-1",
        "registration": registration,
        "institution": institution,
    }


def test_an_outsider_cannot_tell_which_registrations_belong_to_an_event():
    event = Event.objects.filter(
        status=Event.Status.PUBLISHED, registrations__enterprise__isnull=False
    ).first()
    assert event is not None
    at_event = first(event.registrations.exclude(enterprise=None))
    elsewhere = first(Registration.objects.exclude(event=event).exclude(enterprise=None))
    institution = first(Institution.objects.all())
    # An officer of an institution, but of one not registered at this event.
    outsider = APIClient()
    unregistered = first(
        Institution.objects.exclude(
            pk__in=event.registrations.exclude(institution=None).values("institution")
        )
    )
    outsider.force_authenticate(member_of(unregistered, UserFactory()))
    url = f"/api/v1/events/{event.slug}/contracts/"

    answers = [
        outsider.post(url, _onsite_body(registration.pk, institution.pk), format="json")
        for registration in (at_event, elsewhere)
    ]

    assert [a.status_code for a in answers] == [403, 403]
    assert answers[0].json() == answers[1].json()
    assert not Contract.objects.filter(reference="PROBE-1").exists()


def test_an_officer_recording_for_another_institution_is_refused_before_the_registration_is_read():
    event = Event.objects.filter(
        status=Event.Status.PUBLISHED, registrations__institution__isnull=False
    ).first()
    assert event is not None
    own = first(event.registrations.exclude(institution=None)).institution
    assert own is not None
    officer = InstitutionMembership.objects.filter(institution=own).first()
    user = officer.user if officer else member_of(own, UserFactory())
    other = first(Institution.objects.exclude(pk=own.pk))
    client = APIClient()
    client.force_authenticate(user)

    response = client.post(
        f"/api/v1/events/{event.slug}/contracts/",
        _onsite_body(first(Registration.objects.exclude(event=event)).pk, other.pk),
        format="json",
    )

    assert response.status_code == 403
    assert "registration" not in response.content.decode()
