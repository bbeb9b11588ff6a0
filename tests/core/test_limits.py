"""What a client sends is held to limits (core.limits): free text to a
length, numbers to their column's range. Past them the API answers 400 with
the field's message and a page shows its form again; nothing is written and
nothing answers 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from core.limits import ID_MAX, NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from financing.models import Application, ApplicationStatusChange
from tests.financing.workflow import application_at, make_parties

pytestmark = pytest.mark.django_db

HUGE_TEXT = "x" * 1_000_000
BEYOND_ANY_ID = 2**70
S = Application.Status


@pytest.fixture
def parties():
    return make_parties()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create_body(parties, **overrides):
    return {
        "product": parties.product.code,
        "amount_requested": "2000000.00",
        "term_months": 12,
        "asset_ids": [parties.assets[0].pk],
        **overrides,
    }


def test_a_million_character_purpose_is_refused_by_the_api(parties):
    response = api(parties.applicant).post(
        "/api/v1/applications/", create_body(parties, purpose=HUGE_TEXT), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "purpose" in body["fields"]
    assert f"{TEXT_MAX_LENGTH:,}".replace(",", "") in body["fields"]["purpose"][0].replace(",", "")
    assert not Application.objects.filter(enterprise=parties.enterprise).exists()


def test_a_purpose_at_the_limit_is_kept(parties):
    response = api(parties.applicant).post(
        "/api/v1/applications/",
        create_body(parties, purpose="y" * TEXT_MAX_LENGTH),
        format="json",
    )
    assert response.status_code == 201
    assert len(Application.objects.get(pk=response.json()["id"]).purpose) == TEXT_MAX_LENGTH


def test_a_million_character_purpose_shows_the_form_again(parties):
    response = page(parties.applicant).post(
        f"/applications/new/?product={parties.product.code}",
        {
            "amount": "2500000",
            "term_months": "24",
            "assets": [parties.assets[0].pk],
            "purpose": HUGE_TEXT,
        },
    )
    assert response.status_code == 200
    assert "purpose" in response.context["form"].errors
    assert not Application.objects.filter(enterprise=parties.enterprise).exists()


def test_the_model_refuses_a_purpose_past_the_limit(parties):
    application = application_at(S.DRAFT, parties)
    application.purpose = HUGE_TEXT
    with pytest.raises(ValidationError) as refused:
        application.full_clean()
    assert "purpose" in refused.value.message_dict


def test_a_note_past_the_limit_on_a_move_is_refused_and_nothing_moves(parties):
    application = application_at(S.SUBMITTED, parties)
    history = ApplicationStatusChange.objects.filter(application=application).count()

    response = api(parties.banker).post(
        f"/api/v1/applications/{application.pk}/take-for-review/",
        {"note": "n" * (NOTE_MAX_LENGTH + 1)},
        format="json",
    )

    assert response.status_code == 400
    assert "note" in response.json()["fields"]
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert ApplicationStatusChange.objects.filter(application=application).count() == history


@pytest.mark.parametrize("asset_id", [BEYOND_ANY_ID, ID_MAX + 1, -1, 0])
def test_an_asset_id_beyond_any_id_is_a_400_not_a_500(parties, asset_id):
    response = api(parties.applicant).post(
        "/api/v1/applications/", create_body(parties, asset_ids=[asset_id]), format="json"
    )
    assert response.status_code == 400
    assert "asset_ids" in response.json()["fields"]
    assert not Application.objects.filter(enterprise=parties.enterprise).exists()


def test_an_asset_id_beyond_any_id_shows_the_form_again(parties):
    response = page(parties.applicant).post(
        f"/applications/new/?product={parties.product.code}",
        {"amount": "2500000", "term_months": "24", "assets": [str(BEYOND_ANY_ID)]},
    )
    assert response.status_code == 200
    assert "assets" in response.context["form"].errors
    assert not Application.objects.filter(enterprise=parties.enterprise).exists()


def test_an_enterprise_id_beyond_any_id_is_a_400(parties):
    response = api(parties.applicant).post(
        "/api/v1/applications/", create_body(parties, enterprise=BEYOND_ANY_ID), format="json"
    )
    assert response.status_code == 400
    assert "enterprise" in response.json()["fields"]


def test_notification_ids_beyond_any_id_are_a_400(parties):
    response = api(parties.applicant).post(
        "/api/v1/notifications/read/", {"ids": [BEYOND_ANY_ID]}, format="json"
    )
    assert response.status_code == 400
    assert "ids" in response.json()["fields"]
