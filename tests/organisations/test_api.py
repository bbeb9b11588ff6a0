"""The organisations API: the parks list with its filters, members and
invitations, accepting by the link's token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from organisations.models import Invitation
from organisations.selectors import invitation_token
from parks.models import Park
from tests.factories import ParkFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_parks_are_filtered_by_province_kind_and_search(api):
    ParkFactory(name_zh="重庆两江新区测试园", province_id="500000", kind="free_trade_zone")
    ParkFactory(name_zh="杭州云谷测试园", city_zh="杭州", province_id="330000", kind="science_park")
    chongqing = api.get("/api/v1/parks/", {"province": "500000"}).json()["results"]
    assert chongqing
    assert {park["province"]["code"] for park in chongqing} == {"500000"}
    science = api.get("/api/v1/parks/", {"kind": "science_park"}).json()["results"]
    assert {park["kind"] for park in science} == {"science_park"}
    found = api.get("/api/v1/parks/", {"search": "云谷"}).json()["results"]
    assert [park["name_zh"] for park in found] == ["杭州云谷测试园"]


def test_a_bad_filter_is_a_400_with_the_field(api):
    response = api.get("/api/v1/parks/", {"kind": "moon_base"})
    assert response.status_code == 400
    assert "kind" in response.json()["fields"]


def test_the_parks_list_takes_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    for _ in range(30):
        ParkFactory()
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/parks/", {"page_size": 100})
    assert len(response.json()["results"]) >= 30


def test_the_members_list_takes_a_fixed_number_of_queries(
    api, bank, bank_admin, django_assert_max_num_queries
):
    for _ in range(15):
        member_of(bank)
    api.force_authenticate(bank_admin)
    with django_assert_max_num_queries(6):
        response = api.get(f"/api/v1/organisations/institution/{bank.pk}/members/")
    assert len(response.json()) == 16
    assert response.json()[0] == {
        "id": bank.memberships.get(user=bank_admin).pk,
        "email": "admin@bank.test",
        "full_name": "王管理",
        "role": "admin",
        "joined_at": response.json()[0]["joined_at"],
    }


def test_the_last_admin_gets_409_with_its_code(api, bank, bank_admin):
    api.force_authenticate(bank_admin)
    response = api.post(f"/api/v1/organisations/institution/{bank.pk}/leave/")
    assert response.status_code == 409
    assert response.json()["code"] == "last_admin"


def test_an_invitation_into_a_regulators_own_province_only(api):
    api.force_authenticate(User.objects.get(email="zhejiang.regulator@example.com"))
    body = {
        "name_zh": "重庆接口测试银行",
        "kind": "bank",
        "licence_number": "B0001H150000099",
        "province": "500000",
        "email": "admin@cq.test",
    }
    response = api.post("/api/v1/organisations/institutions/", body, format="json")
    assert response.status_code == 400
    assert "province" in response.json()["fields"]
    assert not Invitation.objects.exclude(email="new.officer@example.com").exists()


def test_accepting_by_token_makes_the_account_once(api, bank, bank_admin):
    invitation = Invitation.objects.create(
        kind="institution",
        organisation_id=bank.pk,
        email="new@bank.test",
        invited_by=bank_admin,
        expires_at=timezone.now() + timedelta(days=7),
    )
    token = invitation_token(invitation)
    weak = api.post(
        "/api/v1/invitations/accept/",
        {"token": token, "full_name": "新人", "password": "1"},
        format="json",
    )
    assert weak.status_code == 400
    assert "password" in weak.json()["fields"]
    ok = api.post(
        "/api/v1/invitations/accept/",
        {"token": token, "full_name": "新人", "password": "a-long-secret-9"},
        format="json",
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "accepted"
    assert User.objects.get(email="new@bank.test").full_name == "新人"
    again = api.post(
        "/api/v1/invitations/accept/",
        {"token": token, "full_name": "新人", "password": "a-long-secret-9"},
        format="json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "move_not_allowed"
    assert (
        api.post("/api/v1/invitations/accept/", {"token": "forged"}, format="json").status_code
        == 404
    )


def test_regulators_create_parks_through_the_api(api):
    api.force_authenticate(User.objects.get(email="zhejiang.regulator@example.com"))
    response = api.post(
        "/api/v1/parks/",
        {
            "name_zh": "温州测试园",
            "kind": "industrial_park",
            "province": "330000",
            "city_zh": "温州",
        },
        format="json",
    )
    assert response.status_code == 201
    assert Park.objects.get(pk=response.json()["id"]).name_zh == "温州测试园"


def test_open_invitations_and_my_organisations_take_a_fixed_number_of_queries(
    api, bank, bank_admin, django_assert_max_num_queries
):
    for n in range(12):
        Invitation.objects.create(
            kind="institution",
            organisation_id=bank.pk,
            email=f"invitee{n}@bank.test",
            invited_by=bank_admin,
            expires_at=timezone.now() + timedelta(days=7),
        )
    api.force_authenticate(bank_admin)
    with django_assert_max_num_queries(8):
        response = api.get(f"/api/v1/organisations/institution/{bank.pk}/invitations/")
    assert len(response.json()) == 12
    assert response.json()[0]["invited_by"] == "王管理"
    with django_assert_max_num_queries(6):
        mine = api.get("/api/v1/organisations/")
    assert [(row["kind"], row["name_zh"], row["role"]) for row in mine.json()] == [
        ("institution", "测试银行", "admin")
    ]
