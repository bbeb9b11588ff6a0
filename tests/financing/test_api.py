"""The workflow's API: the list, the create, the detail and one POST endpoint
per move, answering 200, 400, 403, 404 or 409 as the move deserves."""

from __future__ import annotations

import json
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.test import APIClient

from financing.api import ApplicationListSerializer, application_items
from financing.models import Application, Contract
from financing.selectors import application_rows, applications_for
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    IPAssetFactory,
    RegistrationFactory,
    member_of,
)
from tests.financing.workflow import application_at, snapshot

pytestmark = pytest.mark.django_db
S = Application.Status
# The terms a bank approves and signs with.
API_TERMS = {
    "interest_rate": "4.35",
    "term_months": "12",
    "repayment_method": "equal_instalments",
}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def post(user, url: str, data: dict | None = None):
    return client_for(user).post(url, data or {}, format="json")


def move_url(application: Application, move: str) -> str:
    return f"/api/v1/applications/{application.pk}/{move}/"


# --- list


def test_the_list_shows_each_side_its_own_applications(parties):
    own = application_at(S.SUBMITTED, parties)
    ApplicationFactory(status=S.SUBMITTED)

    for user in (parties.applicant, parties.banker):
        response = client_for(user).get("/api/v1/applications/")
        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [own.pk]

    row = response.json()["results"][0]
    assert row["status"] == "submitted"
    assert row["amount_requested"] == "3000000.00"
    assert row["product"]["code"] == parties.product.code
    assert row["institution"]["id"] == parties.institution.pk


def test_the_list_takes_a_side_and_refuses_an_unknown_one(parties):
    application_at(S.SUBMITTED, parties)
    member_of(parties.institution, parties.applicant)
    client = client_for(parties.applicant)

    assert client.get("/api/v1/applications/?side=institution").json()["count"] == 1
    assert client.get("/api/v1/applications/?side=regulator").json()["count"] == 0
    response = client.get("/api/v1/applications/?side=everyone")
    assert response.status_code == 400
    assert "side" in response.json()["fields"]


def test_the_list_filters_and_refuses_bad_filters(parties):
    application_at(S.SUBMITTED, parties, amount=Decimal("1500000"))
    big = application_at(S.UNDER_REVIEW, parties, amount=Decimal("8000000"))
    client = client_for(parties.banker)

    response = client.get("/api/v1/applications/?status=under_review")
    assert [row["id"] for row in response.json()["results"]] == [big.pk]
    response = client.get("/api/v1/applications/?amount_min=2000000")
    assert [row["id"] for row in response.json()["results"]] == [big.pk]
    assert client.get("/api/v1/applications/?status=lost").status_code == 400
    assert client.get("/api/v1/applications/?amount_min=lots").status_code == 400


def test_the_list_takes_the_same_queries_for_many_rows(parties):
    client = client_for(parties.banker)

    def count() -> int:
        cache.clear()  # counted afresh each time
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/applications/").status_code == 200
        return len(queries)

    application_at(S.SUBMITTED, parties)
    few = count()
    for _ in range(6):
        ApplicationFactory(
            product=parties.product, status=S.SUBMITTED, enterprise=EnterpriseFactory()
        )
    assert count() == few


def test_a_repeated_list_reuses_its_count_until_an_application_moves(
    parties, django_capture_on_commit_callbacks
):
    submitted = application_at(S.SUBMITTED, parties)
    draft = application_at(S.DRAFT, parties)
    bank = client_for(parties.banker)

    def read() -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            count = bank.get("/api/v1/applications/").json()["count"]
        return count, [q["sql"] for q in queries if "COUNT(" in q["sql"]]

    assert read() == (1, [mock.ANY])
    assert read() == (1, [])  # the count came from the cache

    with django_capture_on_commit_callbacks(execute=True):
        assert post(parties.applicant, move_url(draft, "submit")).status_code == 200
    assert read() == (2, [mock.ANY])
    with django_capture_on_commit_callbacks(execute=True):
        assert post(parties.banker, move_url(submitted, "take-for-review")).status_code == 200
    assert read() == (2, [mock.ANY])  # a move may change what a filter counts
    response = bank.get("/api/v1/applications/?status=under_review")
    assert response.json()["count"] == 1


def test_each_list_row_reads_as_the_applications_own_page(parties):
    application_at(S.SUBMITTED, parties)
    application_at(S.APPROVED, parties)
    parties.product.name_en = ""  # then read in Chinese whatever the language
    parties.product.save(update_fields=["name_en"])
    client = client_for(parties.banker)

    rows = client.get("/api/v1/applications/").json()["results"]

    assert len(rows) == 2
    for row in rows:
        page = client.get(f"/api/v1/applications/{row['id']}/").json()
        assert row == {field: page[field] for field in row}
    assert {row["status_display"] for row in rows} == {"Submitted", "Approved"}
    assert rows[0]["product"]["name"] == parties.product.name_zh


def test_list_rows_read_like_the_serializer_in_chinese(parties):
    application_at(S.APPROVED, parties)
    applications = applications_for(user=parties.banker)

    with translation.override("zh-hans"):
        items = application_items(application_rows(applications=applications))
        expected = ApplicationListSerializer(applications, many=True).data

    assert items == json.loads(json.dumps(expected))
    assert items[0]["status_display"] == "已批准"
    assert items[0]["enterprise"]["name"] == parties.enterprise.name_zh


def test_visitors_must_sign_in():
    assert APIClient().get("/api/v1/applications/").status_code == 401


# --- create


def create_body(parties, **overrides):
    return {
        "product": parties.product.code,
        "amount_requested": "2000000.00",
        "term_months": 12,
        "asset_ids": [parties.assets[0].pk],
        "purpose": "Working capital.",
        **overrides,
    }


def test_creating_a_draft(parties):
    response = post(parties.applicant, "/api/v1/applications/", create_body(parties))

    assert response.status_code == 201
    body = response.json()
    application = Application.objects.get(pk=body["id"])
    assert (application.status, application.enterprise) == (S.DRAFT, parties.enterprise)
    assert body["allowed_actions"] == ["submit", "withdraw"]
    assert [p["asset"]["id"] for p in body["pledges"]] == [parties.assets[0].pk]
    assert body["pledge_capacity"] == "2000000.00"
    assert body["above_pledge_capacity"] is False


def test_creating_above_the_pledge_capacity_is_allowed_and_said(parties):
    response = post(
        parties.applicant, "/api/v1/applications/", create_body(parties, amount_requested="2500000")
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["pledge_capacity"], body["above_pledge_capacity"]) == ("2000000.00", True)


def test_creating_and_submitting_at_once(parties):
    response = post(parties.applicant, "/api/v1/applications/", create_body(parties, submit=True))

    assert response.status_code == 201
    assert Application.objects.get(pk=response.json()["id"]).status == S.SUBMITTED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_requested": "lots"}, "amount_requested"),
        ({"amount_requested": "20000000"}, "amount_requested"),
        ({"term_months": 0}, "term_months"),
        ({"asset_ids": []}, "asset_ids"),
        ({"product": "no-such-product"}, "product"),
    ],
)
def test_creating_with_bad_input_answers_400_with_field_messages(parties, overrides, field):
    response = post(parties.applicant, "/api/v1/applications/", create_body(parties, **overrides))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]
    assert not Application.objects.filter(enterprise=parties.enterprise).exists()


def test_pledging_someone_elses_asset_is_bad_input(parties):
    foreign = IPAssetFactory()
    response = post(
        parties.applicant, "/api/v1/applications/", create_body(parties, asset_ids=[foreign.pk])
    )
    assert response.status_code == 400
    assert "asset_ids" in response.json()["fields"]


def test_only_enterprise_members_may_apply(parties):
    response = post(parties.banker, "/api/v1/applications/", create_body(parties))
    assert response.status_code == 403
    assert not Application.objects.filter(enterprise=parties.enterprise).exists()


def test_a_member_of_several_enterprises_names_one(parties):
    second = EnterpriseFactory()
    member_of(second, parties.applicant)

    response = post(parties.applicant, "/api/v1/applications/", create_body(parties))
    assert response.status_code == 400
    assert "enterprise" in response.json()["fields"]

    response = post(
        parties.applicant,
        "/api/v1/applications/",
        create_body(parties, enterprise=parties.enterprise.pk),
    )
    assert response.status_code == 201


# --- detail


def test_the_detail_has_pledges_history_contract_and_allowed_actions(parties):
    application = application_at(S.CONTRACT_SIGNED, parties)

    response = client_for(parties.banker).get(f"/api/v1/applications/{application.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["allowed_actions"] == ["register-pledge"]
    assert len(body["pledges"]) == 2
    assert body["contract"]["amount"] == "3000000.00"
    assert body["history"] == []
    assert (
        client_for(parties.applicant)
        .get(f"/api/v1/applications/{application.pk}/")
        .json()["allowed_actions"]
        == []
    )


def test_the_detail_of_an_application_without_contract_says_null(parties):
    application = application_at(S.SUBMITTED, parties)
    body = client_for(parties.applicant).get(f"/api/v1/applications/{application.pk}/").json()
    assert body["contract"] is None


def test_outsiders_do_not_learn_an_application_exists(parties):
    application = application_at(S.SUBMITTED, parties)
    outsider = member_of(EnterpriseFactory())
    assert client_for(outsider).get(f"/api/v1/applications/{application.pk}/").status_code == 404
    assert client_for(outsider).get("/api/v1/applications/999999/").status_code == 404


# --- the moves


def test_the_whole_workflow_through_the_api(parties):
    response = post(parties.applicant, "/api/v1/applications/", create_body(parties))
    application = Application.objects.get(pk=response.json()["id"])
    today = timezone.localdate().isoformat()
    steps = [
        (parties.applicant, "submit", {}),
        (parties.banker, "take-for-review", {"note": "Looking."}),
        (parties.banker, "request-info", {"note": "Appraisal report?"}),
        (parties.applicant, "answer-info", {"note": "Sent."}),
        (parties.banker, "approve", {"amount": "1500000.00", **API_TERMS}),
        (
            parties.banker,
            "sign-contract",
            {"amount": "1500000.00", "signed_on": today, "reference": "API-2026-1", **API_TERMS},
        ),
        (
            parties.banker,
            "register-pledge",
            {"registration_number": "ZY-API-1", "registered_on": today},
        ),
        (parties.banker, "disburse", {"amount": "1500000.00", "disbursed_on": today}),
        (parties.banker, "close", {}),
    ]
    for user, move, data in steps:
        response = post(user, move_url(application, move), data)
        assert response.status_code == 200, (move, response.json())
        assert response.json()["id"] == application.pk

    body = response.json()
    assert body["status"] == "closed"
    assert body["allowed_actions"] == []
    assert len(body["history"]) == 10
    assert body["contract"]["disbursed_amount"] == "1500000.00"
    application.refresh_from_db()
    assert application.status == S.CLOSED


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (S.UNDER_REVIEW, "reject"),
        (S.UNDER_REVIEW, "withdraw"),
    ],
)
def test_rejecting_and_withdrawing_through_the_api(parties, status, move):
    application = application_at(status, parties)
    user = parties.banker if move == "reject" else parties.applicant
    response = post(user, move_url(application, move), {"reason": "Too early."})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == {"reject": S.REJECTED, "withdraw": S.WITHDRAWN}[move]


@pytest.mark.parametrize(
    ("status", "move", "data", "field"),
    [
        (S.UNDER_REVIEW, "approve", {}, "amount"),
        (S.UNDER_REVIEW, "approve", {"amount": "-5"}, "amount"),
        (S.UNDER_REVIEW, "reject", {"reason": ""}, "reason"),
        (S.UNDER_REVIEW, "request-info", {}, "note"),
        (S.APPROVED, "sign-contract", {"amount": "1000"}, "signed_on"),
        (
            S.CONTRACT_SIGNED,
            "register-pledge",
            {"registered_on": "2025-12-20"},
            "registration_number",
        ),
        (S.PLEDGE_REGISTERED, "disburse", {"amount": "1", "disbursed_on": "soon"}, "disbursed_on"),
    ],
)
def test_bad_input_answers_400_and_changes_nothing(parties, status, move, data, field):
    application = application_at(status, parties)
    before = snapshot(application)

    response = post(parties.banker, move_url(application, move), data)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert snapshot(application) == before


def test_a_move_the_status_does_not_allow_answers_409(parties):
    application = application_at(S.SUBMITTED, parties)
    before = snapshot(application)

    response = post(
        parties.banker, move_url(application, "approve"), {"amount": "1000000", **API_TERMS}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "move_not_allowed"
    assert "Approve" in response.json()["detail"]
    assert snapshot(application) == before


def test_approving_above_the_pledge_capacity_answers_409_naming_it(parties):
    application = application_at(S.UNDER_REVIEW, parties, amount=Decimal("5000000"))

    response = post(
        parties.banker, move_url(application, "approve"), {"amount": "4000000", **API_TERMS}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "above_pledge_capacity"
    assert "¥3,000,000" in response.json()["detail"]


def test_the_wrong_side_answers_403_even_with_bad_input(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    before = snapshot(application)

    assert post(parties.applicant, move_url(application, "approve"), {}).status_code == 403
    assert post(parties.banker, move_url(application, "withdraw")).status_code == 403
    assert snapshot(application) == before


def test_those_who_cannot_see_the_application_get_404(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    other_bank = member_of(ApplicationFactory().product.institution)

    response = post(other_bank, move_url(application, "approve"), {"amount": "1000000"})

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_signing_a_contract_through_the_api_records_it(parties):
    application = application_at(S.APPROVED, parties)
    response = post(
        parties.banker,
        move_url(application, "sign-contract"),
        {"amount": "2000000.00", "signed_on": "2025-12-20", "reference": "API-2026-2", **API_TERMS},
    )
    assert response.status_code == 200
    assert response.json()["contract"]["reference"] == "API-2026-2"
    assert Contract.objects.get(application=application).amount == Decimal("2000000.00")


def test_an_application_may_come_from_the_enterprises_own_event_registration(parties):
    own = RegistrationFactory(enterprise=parties.enterprise)
    foreign = RegistrationFactory()

    refused = post(
        parties.applicant,
        "/api/v1/applications/",
        create_body(parties, source_registration=foreign.pk),
    )
    created = post(
        parties.applicant, "/api/v1/applications/", create_body(parties, source_registration=own.pk)
    )

    assert refused.status_code == 400
    assert "source_registration" in refused.json()["fields"]
    assert created.status_code == 201
    assert Application.objects.get(pk=created.json()["id"]).source_registration == own
