"""The application workflow's services (docs/workflows.md): every move, every
refusal, the limits on amounts, the pledges and the notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Notification, User
from core.exceptions import Conflict
from core.models import IPKind, Province
from enterprises.models import IPAsset
from financing.models import (
    Application,
    ApplicationStatusChange,
    Contract,
    Pledge,
)
from financing.services import (
    application_answer_info,
    application_approve,
    application_close,
    application_create,
    application_disburse,
    application_register_pledge,
    application_reject,
    application_request_info,
    application_sign_contract,
    application_submit,
    application_take_for_review,
    application_withdraw,
)
from financing.workflows import APPLICATION
from products.models import Product
from products.services import product_withdraw
from tests.factories import (
    ApplicationFactory,
    ContractFactory,
    EnterpriseFactory,
    InstitutionFactory,
    IPAssetFactory,
    PledgeFactory,
    ProductFactory,
    RegistrationFactory,
    UserFactory,
    member_of,
)
from tests.financing.workflow import (
    TODAY,
    actor_for,
    application_at,
    history,
    snapshot,
    valid_input,
)

pytestmark = pytest.mark.django_db
S = Application.Status
# --- the whole way


def test_the_happy_path_writes_one_history_row_per_move_by_its_actor(parties):
    applicant, banker = parties.applicant.email, parties.banker.email
    application = application_create(
        enterprise=parties.enterprise,
        product=parties.product,
        actor=parties.applicant,
        amount_requested=Decimal("3000000.00"),
        term_months=24,
        asset_ids=[a.pk for a in parties.assets],
        purpose="Scale up graphene film production.",
    )
    who = {"applicant": parties.applicant, "banker": parties.banker}
    steps: list[tuple[Callable[..., Application], str, dict[str, Any]]] = [
        (application_submit, "applicant", {}),
        (application_take_for_review, "banker", {}),
        (application_request_info, "banker", {"note": "Latest appraisal report?"}),
        (application_answer_info, "applicant", {"note": "Uploaded."}),
        (application_approve, "banker", {"amount": Decimal("2500000.00")}),
        (
            application_sign_contract,
            "banker",
            {"amount": Decimal("2400000.00"), "signed_on": TODAY, "reference": "HZ-2026-001"},
        ),
        (
            application_register_pledge,
            "banker",
            {"registration_number": "ZY2026-0001", "registered_on": TODAY},
        ),
        (
            application_disburse,
            "banker",
            {"amount": Decimal("2400000.00"), "disbursed_on": TODAY},
        ),
        (application_close, "banker", {}),
    ]
    for service, actor, kwargs in steps:
        returned = service(application=application, actor=who[actor], **kwargs)
        assert returned.pk == application.pk

    application.refresh_from_db()
    assert application.status == S.CLOSED
    assert application.amount_approved == Decimal("2500000.00")
    assert application.submitted_at is not None and application.decided_at is not None
    assert history(application) == [
        ("", S.DRAFT, applicant),
        (S.DRAFT, S.SUBMITTED, applicant),
        (S.SUBMITTED, S.UNDER_REVIEW, banker),
        (S.UNDER_REVIEW, S.INFO_REQUESTED, banker),
        (S.INFO_REQUESTED, S.UNDER_REVIEW, applicant),
        (S.UNDER_REVIEW, S.APPROVED, banker),
        (S.APPROVED, S.CONTRACT_SIGNED, banker),
        (S.CONTRACT_SIGNED, S.PLEDGE_REGISTERED, banker),
        (S.PLEDGE_REGISTERED, S.DISBURSED, banker),
        (S.DISBURSED, S.CLOSED, banker),
    ]
    notes = list(application.history.values_list("note", flat=True))
    assert notes[3:5] == ["Latest appraisal report?", "Uploaded."]
    contract = Contract.objects.get(application=application)
    assert (contract.kind, contract.amount, contract.reference) == (
        Contract.Kind.LOAN,
        Decimal("2400000.00"),
        "HZ-2026-001",
    )
    assert (contract.institution, contract.enterprise, contract.product) == (
        parties.institution,
        parties.enterprise,
        parties.product,
    )
    assert contract.pledge_registration_number == "ZY2026-0001"
    assert (contract.disbursed_amount, contract.disbursed_on) == (Decimal("2400000.00"), TODAY)
    assert contract.created_by == parties.banker
    pledges = list(application.pledges.all())
    assert {p.status for p in pledges} == {Pledge.Status.RELEASED}
    assert all(p.activated_at and p.released_at for p in pledges)


def test_creating_pledges_the_chosen_assets_at_their_appraised_value(parties):
    application = application_create(
        enterprise=parties.enterprise,
        product=parties.product,
        actor=parties.applicant,
        amount_requested=Decimal("2000000"),
        term_months=12,
        asset_ids=[parties.assets[0].pk],
    )

    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert application.created_by == parties.applicant
    assert list(application.pledges.values_list("asset_id", "status", "value_at_pledge")) == [
        (parties.assets[0].pk, Pledge.Status.PROPOSED, Decimal("4000000.00"))
    ]
    assert history(application) == [("", S.DRAFT, parties.applicant.email)]
    # A draft is the enterprise's own: the bank hears of it when it is submitted.
    assert not Notification.objects.filter(recipient=parties.banker).exists()


def test_creating_with_submit_submits_in_the_same_call(parties):
    application = application_create(
        enterprise=parties.enterprise,
        product=parties.product,
        actor=parties.applicant,
        amount_requested=Decimal("2000000"),
        term_months=12,
        asset_ids=[parties.assets[0].pk],
        submit=True,
    )
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert [h[1] for h in history(application)] == [S.DRAFT, S.SUBMITTED]


@pytest.mark.parametrize(
    "make_asset",
    [
        pytest.param(lambda p: IPAssetFactory(), id="another enterprise's"),
        pytest.param(
            lambda p: IPAssetFactory(
                enterprise=p.enterprise, legal_status=IPAsset.LegalStatus.EXPIRED
            ),
            id="expired",
        ),
        pytest.param(
            lambda p: IPAssetFactory(enterprise=p.enterprise, appraised_value=None),
            id="not appraised",
        ),
        pytest.param(
            lambda p: IPAssetFactory(
                enterprise=p.enterprise, kind_id="trademark", number="G12345678"
            ),
            id="a kind the product does not accept",
        ),
        pytest.param(
            lambda p: (
                PledgeFactory(
                    application=ApplicationFactory(enterprise=p.enterprise),
                    asset=IPAssetFactory(enterprise=p.enterprise),
                    status=Pledge.Status.ACTIVE,
                ).asset
            ),
            id="already in an active pledge",
        ),
    ],
)
def test_creating_refuses_assets_that_cannot_be_pledged(parties, make_asset):
    asset = make_asset(parties)
    before = Application.objects.count()

    with pytest.raises(ValidationError) as error:
        application_create(
            enterprise=parties.enterprise,
            product=parties.product,
            actor=parties.applicant,
            amount_requested=Decimal("2000000"),
            term_months=12,
            asset_ids=[parties.assets[0].pk, asset.pk],
        )

    assert "asset_ids" in error.value.message_dict
    assert Application.objects.count() == before


def test_creating_names_the_refused_asset_only_when_it_is_the_enterprises_own(parties):
    expired = IPAssetFactory(enterprise=parties.enterprise, legal_status="expired")
    foreign = IPAssetFactory()
    with pytest.raises(ValidationError) as error:
        application_create(
            enterprise=parties.enterprise,
            product=parties.product,
            actor=parties.applicant,
            amount_requested=Decimal("2000000"),
            term_months=12,
            asset_ids=[expired.pk, foreign.pk],
        )
    message = " ".join(error.value.message_dict["asset_ids"])
    assert expired.number in message
    assert foreign.number not in message


@pytest.mark.parametrize(
    ("amount", "term", "field"),
    [
        (Decimal("999999.99"), 12, "amount_requested"),
        (Decimal("10000000.01"), 12, "amount_requested"),
        (Decimal("2000000"), 5, "term_months"),
        (Decimal("2000000"), 37, "term_months"),
    ],
)
def test_creating_holds_the_amount_and_term_to_the_products_ranges(parties, amount, term, field):
    with pytest.raises(ValidationError) as error:
        application_create(
            enterprise=parties.enterprise,
            product=parties.product,
            actor=parties.applicant,
            amount_requested=amount,
            term_months=term,
            asset_ids=[parties.assets[0].pk],
        )
    assert list(error.value.message_dict) == [field]


@pytest.mark.parametrize("status", [Product.Status.DRAFT, Product.Status.WITHDRAWN])
def test_only_a_published_product_takes_applications(parties, status):
    Product.objects.filter(pk=parties.product.pk).update(status=status)
    parties.product.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        application_create(
            enterprise=parties.enterprise,
            product=parties.product,
            actor=parties.applicant,
            amount_requested=Decimal("2000000"),
            term_months=12,
            asset_ids=[parties.assets[0].pk],
        )
    assert "product" in error.value.message_dict


def test_only_the_enterprises_members_may_apply_for_it(parties):
    with pytest.raises(PermissionDenied):
        application_create(
            enterprise=parties.enterprise,
            product=parties.product,
            actor=parties.banker,
            amount_requested=Decimal("2000000"),
            term_months=12,
            asset_ids=[parties.assets[0].pk],
        )
    assert not Application.objects.filter(enterprise=parties.enterprise).exists()


def test_the_source_registration_must_be_the_enterprises(parties):
    with pytest.raises(ValidationError) as error:
        application_create(
            enterprise=parties.enterprise,
            product=parties.product,
            actor=parties.applicant,
            amount_requested=Decimal("2000000"),
            term_months=12,
            asset_ids=[parties.assets[0].pk],
            source_registration=RegistrationFactory(),
        )
    assert "source_registration" in error.value.message_dict


def test_submitting_to_a_withdrawn_product_is_refused(parties):
    application = application_at(S.DRAFT, parties)
    Product.objects.filter(pk=parties.product.pk).update(status=Product.Status.WITHDRAWN)
    before = snapshot(application)

    with pytest.raises(Conflict) as refusal:
        application_submit(application=application, actor=parties.applicant)

    assert refusal.value.code == "product_closed"
    assert snapshot(application) == before


# --- the moves table, both ways

ACTIONS = APPLICATION.actions
APPLICATION_SERVICES = APPLICATION.services
ALLOWED = [
    (status, name) for status in S.values for name in ACTIONS if APPLICATION.can(status, name)
]
REFUSED = [
    (status, action) for status in S.values for action in ACTIONS if (status, action) not in ALLOWED
]


def test_every_move_of_the_table_has_its_service():
    table = {(status, to) for status, moves in APPLICATION.moves().items() for to in moves}
    offered = {(status, ACTIONS[action].to) for status, action in ALLOWED}
    assert offered == table
    assert set(APPLICATION_SERVICES) == set(ACTIONS)


@pytest.mark.parametrize(("status", "action"), ALLOWED, ids="{0[0]} {0[1]}".format)
def test_every_move_in_the_table_is_made_with_one_history_row(parties, status, action):
    application = application_at(status, parties)
    actor = actor_for(action, parties)

    APPLICATION_SERVICES[action](application=application, actor=actor, **valid_input(action))

    application.refresh_from_db()
    assert application.status == ACTIONS[action].to
    [row] = ApplicationStatusChange.objects.filter(application=application)
    assert (row.from_status, row.to_status, row.actor) == (status, ACTIONS[action].to, actor)


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=lambda case: str(case))
def test_every_move_not_in_the_table_is_refused_and_changes_nothing(parties, status, action):
    application = application_at(status, parties)
    before = snapshot(application)

    with pytest.raises(Conflict) as refusal:
        APPLICATION_SERVICES[action](
            application=application, actor=actor_for(action, parties), **valid_input(action)
        )

    assert refusal.value.code == "move_not_allowed"
    assert snapshot(application) == before


@pytest.mark.parametrize(
    ("status", "action", "who"),
    [
        (S.UNDER_REVIEW, "approve", "applicant"),
        (S.SUBMITTED, "take-for-review", "applicant"),
        (S.SUBMITTED, "withdraw", "banker"),
        (S.DRAFT, "submit", "banker"),
        (S.UNDER_REVIEW, "approve", "outsider"),
        (S.SUBMITTED, "withdraw", "outsider"),
    ],
)
def test_the_wrong_party_is_refused_and_nothing_changes(parties, status, action, who):
    application = application_at(status, parties)
    # The other bank's officer acts for a bank, just not this one.
    actor = {
        "applicant": parties.applicant,
        "banker": parties.banker,
        "outsider": member_of(InstitutionFactory()),
    }[who]
    before = snapshot(application)

    with pytest.raises(PermissionDenied):
        APPLICATION_SERVICES[action](application=application, actor=actor, **valid_input(action))

    assert snapshot(application) == before


# --- amounts


@pytest.mark.parametrize(
    ("requested", "approve", "code", "text"),
    [
        (Decimal("2000000"), Decimal("2000000.01"), "above_requested", "¥2,000,000"),
        (Decimal("12000000"), Decimal("11000000"), "above_product_maximum", "¥10,000,000"),
        (
            Decimal("5000000"),
            Decimal("3000000.01"),
            "above_pledge_capacity",
            "pledge capacity of ¥3,000,000 (50% of the appraised value",
        ),
    ],
    ids=["above the amount requested", "above the product maximum", "above the pledge capacity"],
)
def test_approving_above_a_limit_is_refused_naming_the_limit(
    parties, requested, approve, code, text
):
    # The product's maximum is ¥10,000,000; the two patents carry ¥3,000,000.
    application = application_at(S.UNDER_REVIEW, parties, amount=requested)
    before = snapshot(application)

    with pytest.raises(Conflict) as refusal:
        application_approve(application=application, actor=parties.banker, amount=approve)

    assert refusal.value.code == code
    assert text in refusal.value.message
    assert snapshot(application) == before


def test_approving_exactly_the_pledge_capacity_is_fine(parties):
    application = application_at(S.UNDER_REVIEW, parties, amount=Decimal("5000000"))

    application_approve(application=application, actor=parties.banker, amount=Decimal("3000000"))

    application.refresh_from_db()
    assert (application.status, application.amount_approved) == (S.APPROVED, Decimal("3000000"))


def test_the_pledge_capacity_counts_only_pledges_still_standing(parties):
    application = application_at(S.UNDER_REVIEW, parties, amount=Decimal("5000000"))
    application.pledges.filter(asset=parties.assets[0]).update(status=Pledge.Status.DROPPED)

    with pytest.raises(Conflict) as refusal:
        application_approve(
            application=application, actor=parties.banker, amount=Decimal("1000000.01")
        )
    assert "¥1,000,000" in refusal.value.message


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1")])
def test_approving_nothing_is_bad_input(parties, amount):
    application = application_at(S.UNDER_REVIEW, parties)
    with pytest.raises(ValidationError) as error:
        application_approve(application=application, actor=parties.banker, amount=amount)
    assert "amount" in error.value.message_dict


def test_the_contract_cannot_exceed_the_approved_amount(parties):
    application = application_at(S.APPROVED, parties, amount=Decimal("2000000"))
    before = snapshot(application)

    with pytest.raises(Conflict) as refusal:
        application_sign_contract(
            application=application,
            actor=parties.banker,
            amount=Decimal("2000000.01"),
            signed_on=TODAY,
            reference="HZ-2026-002",
        )

    assert refusal.value.code == "above_approved"
    assert "¥2,000,000" in refusal.value.message
    assert snapshot(application) == before


def test_the_contract_comes_from_the_event_the_application_came_from(parties):
    registration = RegistrationFactory(enterprise=parties.enterprise)
    application = application_at(S.APPROVED, parties, source_registration=registration)

    application_sign_contract(
        application=application,
        actor=parties.banker,
        amount=Decimal("1000000"),
        signed_on=TODAY,
        reference="HZ-2026-003",
    )

    contract = Contract.objects.get(application=application)
    assert (contract.event, contract.registration) == (registration.event, registration)


def test_a_contract_number_already_used_is_bad_input(parties):
    ContractFactory(reference="HZ-TAKEN")
    application = application_at(S.APPROVED, parties)
    before = snapshot(application)

    with pytest.raises(ValidationError) as error:
        application_sign_contract(
            application=application,
            actor=parties.banker,
            amount=Decimal("1000000"),
            signed_on=TODAY,
            reference="HZ-TAKEN",
        )

    assert "reference" in error.value.message_dict
    assert snapshot(application) == before


def test_a_contract_dated_in_the_future_is_bad_input(parties):
    application = application_at(S.APPROVED, parties)
    with pytest.raises(ValidationError) as error:
        application_sign_contract(
            application=application,
            actor=parties.banker,
            amount=Decimal("1000000"),
            signed_on=timezone.localdate() + dt.timedelta(days=1),
            reference="HZ-2026-004",
        )
    assert "signed_on" in error.value.message_dict


def test_disbursing_more_than_the_contract_is_refused(parties):
    application = application_at(S.PLEDGE_REGISTERED, parties, amount=Decimal("2000000"))
    before = snapshot(application)

    with pytest.raises(Conflict) as refusal:
        application_disburse(
            application=application,
            actor=parties.banker,
            amount=Decimal("2500000"),
            disbursed_on=TODAY,
        )

    assert refusal.value.code == "above_contract"
    assert "¥2,000,000" in refusal.value.message
    assert snapshot(application) == before


def test_disbursing_before_the_contract_was_signed_is_bad_input(parties):
    application = application_at(S.PLEDGE_REGISTERED, parties)
    with pytest.raises(ValidationError) as error:
        application_disburse(
            application=application,
            actor=parties.banker,
            amount=Decimal("1000"),
            disbursed_on=dt.date(2025, 11, 30),
        )
    assert "disbursed_on" in error.value.message_dict


# --- pledges


def test_registering_the_pledge_activates_the_proposed_pledges(parties):
    application = application_at(S.CONTRACT_SIGNED, parties)

    application_register_pledge(
        application=application,
        actor=parties.banker,
        registration_number="ZY2026-0002",
        registered_on=TODAY,
    )

    assert set(application.pledges.values_list("status", flat=True)) == {Pledge.Status.ACTIVE}
    contract = Contract.objects.get(application=application)
    assert (contract.pledge_registration_number, contract.pledge_registered_on) == (
        "ZY2026-0002",
        TODAY,
    )


def test_registering_an_asset_already_pledged_elsewhere_is_refused_whole(parties):
    application = application_at(S.CONTRACT_SIGNED, parties)
    taken = parties.assets[1]
    # Meanwhile another bank registered a pledge on the second patent.
    PledgeFactory(
        application=ApplicationFactory(enterprise=parties.enterprise, status=S.PLEDGE_REGISTERED),
        asset=taken,
        status=Pledge.Status.ACTIVE,
    )
    before = snapshot(application)

    with pytest.raises(Conflict) as refusal:
        application_register_pledge(
            application=application,
            actor=parties.banker,
            registration_number="ZY2026-0003",
            registered_on=TODAY,
        )

    assert refusal.value.code == "asset_already_pledged"
    assert taken.number in refusal.value.message
    assert parties.assets[0].number not in refusal.value.message
    # Not even the free patent was activated.
    assert snapshot(application) == before
    assert Contract.objects.get(application=application).pledge_registration_number == ""


@pytest.mark.parametrize(
    "status", [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.INFO_REQUESTED, S.APPROVED]
)
def test_withdrawing_before_the_contract_drops_the_proposed_pledges(parties, status):
    application = application_at(status, parties)

    application_withdraw(application=application, actor=parties.applicant, note="Found a grant.")

    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert set(application.pledges.values_list("status", flat=True)) == {Pledge.Status.DROPPED}


@pytest.mark.parametrize("status", [S.CONTRACT_SIGNED, S.PLEDGE_REGISTERED, S.DISBURSED])
def test_withdrawing_after_the_contract_is_refused(parties, status):
    application = application_at(status, parties)
    before = snapshot(application)
    with pytest.raises(Conflict):
        application_withdraw(application=application, actor=parties.applicant)
    assert snapshot(application) == before


def test_closing_releases_the_pledged_assets(parties):
    application = application_at(S.DISBURSED, parties)

    application_close(application=application, actor=parties.banker)

    pledges = list(application.pledges.all())
    assert {p.status for p in pledges} == {Pledge.Status.RELEASED}
    assert all(p.released_at for p in pledges)


# --- required notes


@pytest.mark.parametrize(
    ("status", "action", "field"),
    [
        (S.UNDER_REVIEW, "reject", "reason"),
        (S.UNDER_REVIEW, "request-info", "note"),
        (S.INFO_REQUESTED, "answer-info", "note"),
    ],
)
def test_a_move_that_needs_words_refuses_blank_ones(parties, status, action, field):
    application = application_at(status, parties)
    before = snapshot(application)

    with pytest.raises(ValidationError) as error:
        APPLICATION_SERVICES[action](
            application=application, actor=actor_for(action, parties), **{field: "   "}
        )

    assert field in error.value.message_dict
    assert snapshot(application) == before


# --- notifications


def test_submitting_tells_the_banks_officers(parties):
    colleague = member_of(parties.institution, UserFactory(language="en"))
    application = application_at(S.DRAFT, parties)

    application_submit(application=application, actor=parties.applicant)

    told = Notification.objects.filter(kind="application-submit")
    assert {n.recipient for n in told} == {parties.banker, colleague}
    assert all(f"#{application.pk}" in n.subject for n in told)
    assert all(n.link == f"/applications/{application.pk}/" for n in told)


def test_the_bank_is_not_told_of_a_draft_withdrawn_before_submission(parties):
    application = application_at(S.DRAFT, parties)
    application_withdraw(application=application, actor=parties.applicant)
    assert not Notification.objects.filter(recipient=parties.banker).exists()


def test_approval_is_emailed_to_the_enterprise_after_commit(
    parties, django_capture_on_commit_callbacks, mailoutbox
):
    application = application_at(S.UNDER_REVIEW, parties)

    with django_capture_on_commit_callbacks() as callbacks:
        application_approve(
            application=application, actor=parties.banker, amount=Decimal("2000000")
        )
        assert mailoutbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()

    [notification] = Notification.objects.filter(recipient=parties.applicant)
    assert notification.kind == "application-approve"
    assert "¥2,000,000" in notification.body
    assert [m.to for m in mailoutbox] == [[parties.applicant.email]]
    assert notification.subject in mailoutbox[0].subject


def test_a_chinese_reader_is_told_in_chinese_amounts(parties, django_capture_on_commit_callbacks):
    User.objects.filter(pk=parties.applicant.pk).update(language="zh-hans")
    application = application_at(S.UNDER_REVIEW, parties)

    with django_capture_on_commit_callbacks(execute=True):
        application_approve(
            application=application, actor=parties.banker, amount=Decimal("2000000")
        )

    assert "200万元" in Notification.objects.get(recipient=parties.applicant).body


def test_a_rejection_tells_the_enterprise_of_up_to_three_products_that_fit(
    parties, django_capture_on_commit_callbacks, mailoutbox
):
    # Terms of 48 months: none of the demo campaign's products reach them.
    application = application_at(S.UNDER_REVIEW, parties, term_months=48)
    fitting = ProductFactory.create_batch(
        4, amount_min=Decimal("1000000"), term_min_months=40, term_max_months=60
    )
    elsewhere = ProductFactory(term_min_months=40, term_max_months=60)
    # Chongqing only; the enterprise is in Zhejiang.
    elsewhere.provinces_served.set(Province.objects.filter(code="500000"))
    ProductFactory(term_min_months=40, term_max_months=60, status=Product.Status.DRAFT)
    # Referred products are ones the enterprise is eligible for: they accept its patents.
    for product in [*fitting, elsewhere]:
        product.accepted_ip_kinds.set(IPKind.objects.filter(code="invention_patent"))

    with django_capture_on_commit_callbacks(execute=True):
        application_reject(
            application=application, actor=parties.banker, reason="Patents too young."
        )

    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == (
        S.REJECTED,
        "Patents too young.",
    )
    body = Notification.objects.get(recipient=parties.applicant).body
    assert "Patents too young." in body
    named = [p for p in fitting if p.name_en in body]
    assert len(named) == 3
    assert elsewhere.name_en not in body
    assert len(mailoutbox) == 1


# --- a product withdrawn under open applications


def test_withdrawing_a_product_tells_the_enterprises_with_open_applications_after_commit(
    parties, django_capture_on_commit_callbacks, mailoutbox
):
    open_ones = [application_at(status, parties) for status in (S.DRAFT, S.UNDER_REVIEW)]
    other = EnterpriseFactory()
    other_member = member_of(other)
    finished = ApplicationFactory(product=parties.product, enterprise=other, status=S.REJECTED)

    with django_capture_on_commit_callbacks() as callbacks:
        product_withdraw(product=parties.product, actor=parties.banker, note="Repricing")
        assert not Notification.objects.filter(recipient=parties.applicant).exists()
    with django_capture_on_commit_callbacks(execute=True):  # the notices' own mail
        for callback in callbacks:
            callback()

    told = Notification.objects.filter(
        recipient=parties.applicant, kind="application-product-withdrawn"
    ).order_by("pk")
    assert [n.link for n in told] == [f"/applications/{a.pk}/" for a in open_ones]
    assert parties.product.name_en in told[0].subject
    assert told[0].body.endswith("\nTheir note: Repricing")
    assert not Notification.objects.filter(recipient=other_member).exists()
    assert finished.status == S.REJECTED
    assert [m.to for m in mailoutbox] == [[parties.applicant.email]] * 2


def test_a_refused_withdrawal_tells_nobody(parties, django_capture_on_commit_callbacks):
    application_at(S.SUBMITTED, parties)
    product_withdraw(product=parties.product, actor=parties.banker)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        product_withdraw(product=parties.product, actor=parties.banker)

    assert not Notification.objects.exists()


def test_a_chinese_reader_hears_of_the_withdrawal_in_chinese(
    parties, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=parties.applicant.pk).update(language="zh-hans")
    application_at(S.SUBMITTED, parties)

    with django_capture_on_commit_callbacks(execute=True):
        product_withdraw(product=parties.product, actor=parties.banker)

    notice = Notification.objects.get(recipient=parties.applicant)
    assert notice.subject == f"“{parties.product.name_zh}”已从产品目录中撤下"
    assert "备注" not in notice.body  # no note was given


# --- pledges follow their application, each move with its history row


@pytest.mark.parametrize(
    ("status", "action", "pledged_from", "pledged_to"),
    [
        (S.CONTRACT_SIGNED, "register-pledge", Pledge.Status.PROPOSED, Pledge.Status.ACTIVE),
        (S.DISBURSED, "close", Pledge.Status.ACTIVE, Pledge.Status.RELEASED),
        (S.UNDER_REVIEW, "withdraw", Pledge.Status.PROPOSED, Pledge.Status.DROPPED),
    ],
)
def test_each_pledge_moves_with_its_application_and_keeps_a_history(
    parties, status, action, pledged_from, pledged_to
):
    application = application_at(status, parties)
    actor = actor_for(action, parties)

    APPLICATION.service(action)(application=application, actor=actor, **valid_input(action))

    for pledge in Pledge.objects.filter(application=application):
        assert pledge.status == pledged_to
        [row] = pledge.history.all()
        assert (row.from_status, row.to_status, row.actor) == (pledged_from, pledged_to, actor)


def test_a_new_application_s_pledges_start_their_history_as_proposed(parties):
    application = application_create(
        enterprise=parties.enterprise,
        product=parties.product,
        actor=parties.applicant,
        amount_requested=Decimal("2000000"),
        term_months=12,
        asset_ids=[asset.pk for asset in parties.assets],
    )

    rows = [
        list(p.history.values_list("from_status", "to_status")) for p in application.pledges.all()
    ]
    assert rows == [[("", Pledge.Status.PROPOSED)]] * 2
