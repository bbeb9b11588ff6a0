"""Events and registrations through their services: who may set up what,
places and the waiting list, approval, deadlines, check-in and the mail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Notification
from core.exceptions import Conflict
from events.models import Event, EventStatusChange, Registration, RegistrationStatusChange
from events.services import (
    event_cancel,
    event_create,
    event_publish,
    event_report_participants,
    event_update,
    registration_approve,
    registration_cancel,
    registration_check_in_by_code,
    registration_create,
    registration_promote,
)
from events.tasks import send_registration_confirmation
from products.models import Product
from tests.events.conftest import event_fields, under_way
from tests.factories import ProductFactory, RegistrationFactory, RegulatorOfficeFactory, member_of

pytestmark = pytest.mark.django_db
R = Registration.Status


def register(people, event, *, as_bank=False, **extra):
    if as_bank:
        return registration_create(
            event=event, actor=people.bank_user, institution=people.institution, **extra
        )
    return registration_create(
        event=event, actor=people.enterprise_user, enterprise=people.enterprise, **extra
    )


def statuses(*registrations):
    return [Registration.objects.get(pk=r.pk).status for r in registrations]


# --- setting events up


def test_a_regulator_sets_up_a_draft_at_a_park_featuring_two_products(people):
    event = event_create(actor=people.regulator, **event_fields(people))

    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
    assert list(event.parks.all()) == [people.park]
    assert set(event.featured_products.all()) == set(people.products)
    assert set(event.kinds.values_list("code", flat=True)) == {"product_release", "matchmaking"}
    assert event.created_by == people.regulator
    assert event.organisers.filter(memberships__user=people.regulator).exists()
    assert [(h.from_status, h.to_status) for h in event.history.all()] == [("", "draft")]


def test_a_provincial_regulator_sets_up_events_only_in_its_province(people):
    hunan = member_of(RegulatorOfficeFactory(province_id="430000"))
    before = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        event_create(actor=hunan, **event_fields(people))
    assert "host_province" in refused.value.message_dict
    assert Event.objects.count() == before


def test_a_park_manager_sets_up_events_only_at_the_parks_it_manages(people):
    own = event_create(actor=people.park_user, **event_fields(people))
    assert own.status == Event.Status.DRAFT

    from parks.models import Park

    other_park = Park.objects.exclude(pk=people.park.pk).first()
    with pytest.raises(ValidationError) as refused:
        event_create(actor=people.park_user, **event_fields(people, parks=[other_park]))
    assert "parks" in refused.value.message_dict


def test_people_who_organise_nothing_may_not_set_up_events(people):
    with pytest.raises(PermissionDenied):
        event_create(actor=people.enterprise_user, **event_fields(people))


def test_only_published_products_are_featured(people):
    draft = ProductFactory(institution=people.institution, status=Product.Status.DRAFT)
    with pytest.raises(ValidationError) as refused:
        event_create(actor=people.regulator, **event_fields(people, featured_products=[draft]))
    assert "featured_products" in refused.value.message_dict


def test_an_event_ends_after_it_starts_and_closes_registration_before_it_ends(people):
    start = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        event_create(
            actor=people.regulator,
            **event_fields(
                people,
                starts_at=start,
                ends_at=start - dt.timedelta(hours=1),
                registration_deadline=start + dt.timedelta(days=1),
            ),
        )
    assert "ends_at" in refused.value.message_dict


def test_publishing_twice_is_refused_and_each_move_leaves_a_history_row(make_event, people):
    event = make_event()
    with pytest.raises(Conflict):
        event_publish(event=event, actor=people.regulator)
    event_cancel(event=event, actor=people.regulator, reason="Typhoon warning")
    assert list(
        EventStatusChange.objects.filter(event=event).values_list("from_status", "to_status")
    ) == [("", "draft"), ("draft", "published"), ("published", "cancelled")]


def test_a_cancelled_event_tells_everyone_registered(
    make_event, people, django_capture_on_commit_callbacks, mailoutbox
):
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        register(people, event)
        register(people, event, as_bank=True)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event, actor=people.regulator, reason="Typhoon warning")
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [people.enterprise_user.email, people.bank_user.email]
    )
    assert all("Typhoon warning" in m.body for m in mailoutbox)


def test_someone_else_may_not_publish(make_event, people):
    event = make_event(publish=False)
    with pytest.raises(PermissionDenied):
        event_publish(event=event, actor=people.bank_user)
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT


# --- registering


def test_registering_confirms_a_place_and_mails_a_calendar_file_after_commit(
    make_event, people, django_capture_on_commit_callbacks, mailoutbox
):
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(people, event, need_amount=Decimal("3000000"), need_term_months=12)
        assert mailoutbox == []

    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED
    assert registration.need_amount == Decimal("3000000.00")
    assert registration.confirmation_sent_at is not None
    [mail] = mailoutbox
    assert mail.to == [people.enterprise_user.email]
    assert registration.code in mail.body
    [(name, content, mimetype)] = mail.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    [entry] = Calendar.from_ical(content).walk("VEVENT")
    assert entry.decoded("dtstart") == event.starts_at.replace(microsecond=0)
    assert registration.code in str(entry.get("description"))


def test_the_confirmation_goes_once_however_often_the_task_runs(
    make_event, people, django_capture_on_commit_callbacks, mailoutbox
):
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(people, event)
    assert send_registration_confirmation.delay(registration.pk).get() is False
    assert len(mailoutbox) == 1


def test_registering_twice_is_refused(make_event, people):
    event = make_event()
    register(people, event)
    with pytest.raises(Conflict) as refused:
        register(people, event)
    assert refused.value.code == "already_registered"
    assert Registration.objects.filter(event=event).count() == 1


def test_registration_is_refused_for_drafts_and_after_the_deadline(make_event, people):
    draft = make_event(publish=False)
    with pytest.raises(Conflict):
        register(people, draft)

    closed = make_event()
    Event.objects.filter(pk=closed.pk).update(
        registration_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    closed.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        register(people, closed)
    assert refused.value.code == "registration_closed"


def test_only_members_register_their_party(make_event, people):
    event = make_event()
    with pytest.raises(PermissionDenied):
        registration_create(event=event, actor=people.bank_user, enterprise=people.enterprise)


def test_institutions_state_no_financing_need(make_event, people):
    event = make_event()
    with pytest.raises(ValidationError) as refused:
        register(people, event, as_bank=True, need_amount=Decimal("1000"))
    assert "need_amount" in refused.value.message_dict


def test_a_full_event_puts_newcomers_on_the_waiting_list_and_a_cancellation_promotes_the_first(
    make_event, people, django_capture_on_commit_callbacks, mailoutbox
):
    event = make_event(capacity=1)
    first = register(people, event)
    (second_user, second_enterprise) = people.new_enterprise()
    (third_user, third_enterprise) = people.new_enterprise()
    with django_capture_on_commit_callbacks(execute=True):
        second = registration_create(event=event, actor=second_user, enterprise=second_enterprise)
        third = registration_create(event=event, actor=third_user, enterprise=third_enterprise)
    assert statuses(first, second, third) == [R.CONFIRMED, R.WAITLISTED, R.WAITLISTED]
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=first, actor=people.enterprise_user)

    assert statuses(first, second, third) == [R.CANCELLED, R.CONFIRMED, R.WAITLISTED]
    promoted_mail = [m for m in mailoutbox if m.to == [second_user.email]]
    assert len(promoted_mail) == 1 and promoted_mail[0].attachments
    assert not [m for m in mailoutbox if m.to == [third_user.email]]
    moves = RegistrationStatusChange.objects.filter(registration=second).values_list(
        "from_status", "to_status"
    )
    assert list(moves) == [("", R.WAITLISTED), (R.WAITLISTED, R.CONFIRMED)]


def test_at_an_event_that_approves_a_freed_place_leaves_the_first_waiting_to_approve(
    make_event, people, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1, requires_approval=True)
    first = register(people, event)
    waiting = register(people, event, as_bank=True)
    assert statuses(first, waiting) == [R.REGISTERED, R.WAITLISTED]

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=first, actor=people.enterprise_user)

    assert statuses(first, waiting) == [R.CANCELLED, R.REGISTERED]
    [promotion] = RegistrationStatusChange.objects.filter(
        registration=waiting, from_status=R.WAITLISTED
    )
    assert (promotion.to_status, promotion.actor) == (R.REGISTERED, None)
    assert promotion.note == "A place came free."
    # Told that the place awaits approval, not sent a confirmation.
    told = Notification.objects.filter(recipient=people.bank_user).values_list("kind", flat=True)
    assert sorted(told) == ["registration-registered", "registration-waitlisted"]


def test_at_an_event_that_approves_more_places_leave_the_waiting_list_to_await_approval(
    make_event, people, django_capture_on_commit_callbacks, mailoutbox
):
    event = make_event(capacity=1, requires_approval=True)
    register(people, event)
    waiting = register(people, event, as_bank=True)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=event, actor=people.regulator, capacity=2)

    assert statuses(waiting) == [R.REGISTERED]
    assert not any(m.attachments for m in mailoutbox)  # no confirmation, no calendar file


def test_only_the_portal_promotes_from_the_waiting_list(make_event, people):
    event = make_event(capacity=1)
    register(people, event)
    waiting = register(people, event, as_bank=True)
    with pytest.raises(PermissionDenied):
        registration_promote(registration=waiting, actor=people.regulator)
    assert statuses(waiting) == [R.WAITLISTED]


def test_cancelling_from_the_waiting_list_frees_no_place(make_event, people):
    event = make_event(capacity=1)
    first = register(people, event)
    second_user, second_enterprise = people.new_enterprise()
    third_user, third_enterprise = people.new_enterprise()
    second = registration_create(event=event, actor=second_user, enterprise=second_enterprise)
    third = registration_create(event=event, actor=third_user, enterprise=third_enterprise)
    registration_cancel(registration=second, actor=second_user)
    assert statuses(first, second, third) == [R.CONFIRMED, R.CANCELLED, R.WAITLISTED]


def test_more_places_go_to_the_waiting_list_and_fewer_than_taken_are_refused(make_event, people):
    event = make_event(capacity=1)
    register(people, event)
    waiting = register(people, event, as_bank=True)
    assert statuses(waiting) == [R.WAITLISTED]

    event_update(event=event, actor=people.regulator, capacity=2)
    assert statuses(waiting) == [R.CONFIRMED]
    with pytest.raises(ValidationError) as refused:
        event_update(event=event, actor=people.regulator, capacity=1)
    assert "capacity" in refused.value.message_dict


def test_with_approval_the_organiser_confirms_and_the_registrant_is_told(
    make_event, people, django_capture_on_commit_callbacks, mailoutbox
):
    event = make_event(requires_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(people, event)
    assert statuses(registration) == [R.REGISTERED]
    assert not any(m.attachments for m in mailoutbox)

    with pytest.raises(PermissionDenied):
        registration_approve(registration=registration, actor=people.bank_user)
    with django_capture_on_commit_callbacks(execute=True):
        registration_approve(registration=registration, actor=people.regulator)
    assert statuses(registration) == [R.CONFIRMED]
    assert [m.to for m in mailoutbox if m.attachments] == [[people.enterprise_user.email]]


def test_only_the_party_or_an_organiser_cancels(make_event, people):
    event = make_event()
    registration = register(people, event)
    with pytest.raises(PermissionDenied):
        registration_cancel(registration=registration, actor=people.bank_user)
    registration_cancel(registration=registration, actor=people.park_user)  # the park's manager
    assert statuses(registration) == [R.CANCELLED]
    with pytest.raises(Conflict):
        registration_cancel(registration=registration, actor=people.enterprise_user)


# --- check-in


def test_checking_in_twice_is_refused_with_the_time_of_the_first(make_event, people):
    event = make_event()
    registration = register(people, event)
    event = under_way(event)

    checked = registration_check_in_by_code(
        event=event, actor=people.park_user, code=registration.code
    )
    assert checked.status == R.CHECKED_IN and checked.checked_in_at is not None
    with pytest.raises(Conflict) as refused:
        registration_check_in_by_code(event=event, actor=people.regulator, code=registration.code)
    assert refused.value.code == "already_checked_in"
    assert f"{timezone.localtime(checked.checked_in_at):%H:%M}" in str(refused.value)
    assert (
        RegistrationStatusChange.objects.filter(
            registration=registration, to_status=R.CHECKED_IN
        ).count()
        == 1
    )


def test_check_in_takes_the_code_in_any_case_or_the_qr_codes_link(make_event, people):
    event = make_event()
    registration = register(people, event)
    event = under_way(event)
    registration_check_in_by_code(
        event=event,
        actor=people.regulator,
        code=f"https://portal.example/events/{event.slug}/check-in/?code={registration.code.lower()}",
    )
    assert statuses(registration) == [R.CHECKED_IN]


def test_check_in_refuses_unknown_codes_other_events_and_the_waiting_list(make_event, people):
    event = make_event(capacity=1)
    other = make_event()
    there = register(people, other)
    register(people, event)
    waiting = register(people, event, as_bank=True)
    event, other = under_way(event), under_way(other)

    with pytest.raises(ValidationError):
        registration_check_in_by_code(event=event, actor=people.regulator, code="NOPE")
    with pytest.raises(ValidationError):
        registration_check_in_by_code(event=event, actor=people.regulator, code=there.code)
    with pytest.raises(Conflict) as refused:
        registration_check_in_by_code(event=event, actor=people.regulator, code=waiting.code)
    assert refused.value.code == "waitlisted"
    with pytest.raises(PermissionDenied):
        registration_check_in_by_code(event=other, actor=people.enterprise_user, code=there.code)


def test_check_in_is_refused_once_the_event_is_cancelled(make_event, people):
    event = make_event()
    registration = register(people, event)
    event = event_cancel(event=under_way(event), actor=people.regulator, reason="Typhoon warning")
    with pytest.raises(Conflict) as refused:
        registration_check_in_by_code(event=event, actor=people.regulator, code=registration.code)
    assert refused.value.code == "event_not_open"
    assert statuses(registration) == [R.CANCELLED]


@pytest.mark.parametrize(
    ("starts_in", "lasts", "open_"),
    [
        (dt.timedelta(hours=3), dt.timedelta(hours=4), False),  # not yet
        (dt.timedelta(minutes=50), dt.timedelta(hours=4), True),  # the desk opens an hour early
        (-dt.timedelta(hours=2), dt.timedelta(hours=4), True),  # under way
        (-dt.timedelta(hours=5), dt.timedelta(hours=4), False),  # over
    ],
)
def test_check_in_is_open_from_an_hour_before_the_start_until_the_end(
    make_event, people, starts_in, lasts, open_
):
    event = make_event()
    registration = register(people, event)
    start = timezone.now() + starts_in
    Event.objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + lasts, registration_deadline=None
    )

    if open_:
        registration_check_in_by_code(event=event, actor=people.regulator, code=registration.code)
        assert statuses(registration) == [R.CHECKED_IN]
    else:
        with pytest.raises(Conflict) as refused:
            registration_check_in_by_code(
                event=event, actor=people.regulator, code=registration.code
            )
        assert refused.value.code == "event_not_open"
        assert statuses(registration) == [R.CONFIRMED]


def test_an_unpublished_event_refuses_check_in(make_event, people):
    event = under_way(make_event(publish=False))
    registration = RegistrationFactory(event=event, enterprise=people.enterprise)
    with pytest.raises(Conflict) as refused:
        registration_check_in_by_code(event=event, actor=people.regulator, code=registration.code)
    assert refused.value.code == "event_not_open"


def test_approving_a_confirmed_registration_is_refused_as_a_move_its_status_does_not_allow(
    make_event, people
):
    event = make_event()
    registration = register(people, event)
    with pytest.raises(Conflict) as refused:
        registration_approve(registration=registration, actor=people.regulator)
    assert refused.value.code == "move_not_allowed"
    assert "Confirmed" in str(refused.value)


# --- after the event


def test_participants_are_reported_once_the_event_has_started(make_event, people):
    event = make_event()
    with pytest.raises(Conflict):
        event_report_participants(
            event=event, actor=people.regulator, participants_online=10, participants_offline=5
        )
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    event_report_participants(
        event=event, actor=people.regulator, participants_online=1200, participants_offline=86
    )
    event.refresh_from_db()
    assert (event.participants_online, event.participants_offline) == (1200, 86)


def test_a_park_manager_hosts_in_the_province_of_its_parks(people):
    from core.models import Province

    with pytest.raises(ValidationError) as refused:
        event_create(
            actor=people.park_user,
            **event_fields(people, host_province=Province.objects.get(pk="110000")),
        )
    assert "host_province" in refused.value.message_dict


def test_registrants_are_told_when_the_time_or_place_changes(
    make_event, people, django_capture_on_commit_callbacks, mailoutbox
):
    event = make_event()
    register(people, event)
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=event, actor=people.regulator, agenda="09:00 Welcome")
    assert mailoutbox == []  # the agenda is no news worth a mail

    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=event, actor=people.regulator, venue="Convention Centre, Hall A")
    [mail] = mailoutbox
    assert mail.to == [people.enterprise_user.email]
    assert "Convention Centre, Hall A" in mail.body


def test_an_organiser_confirms_from_the_waiting_list_only_while_a_place_is_free(make_event, people):
    event = make_event(capacity=1)
    register(people, event)
    waiting = register(people, event, as_bank=True)
    with pytest.raises(Conflict) as refused:
        registration_approve(registration=waiting, actor=people.regulator)
    assert refused.value.code == "event_full"
    assert statuses(waiting) == [R.WAITLISTED]
