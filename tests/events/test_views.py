"""The events pages as their readers see them."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from core.exceptions import Conflict
from events.models import Event, EventKind, Registration
from events.services import registration_check_in_by_code, registration_create
from tests.events.conftest import event_fields, under_way
from tests.factories import EnterpriseFactory, EventFactory, RegistrationFactory
from tests.sheets import FORMULAS, assert_inert_csv, assert_inert_workbook

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def follow_messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_list_shows_published_events_and_hides_drafts(make_event):
    published = make_event()
    draft = make_event(publish=False, title_en="Secret draft station")
    page = client_for().get("/events/?when=upcoming")
    assert page.status_code == 200
    assert published.title_en.encode() in page.content
    assert draft.title_en.encode() not in page.content


def test_the_list_says_so_when_nothing_matches():
    page = client_for().get("/events/?province=650000&when=upcoming")
    assert b"No events match" in page.content


def test_the_event_page_shows_the_agenda_the_released_products_and_a_register_form(
    make_event, people
):
    event = make_event()
    page = client_for(people.enterprise_user).get(f"/events/{event.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "10:00 Product release" in text
    assert all(product.name_en in text for product in people.products)
    assert f'action="/events/{event.slug}/register/"' in text
    assert "For organisers" not in text

    visitor = client_for().get(f"/events/{event.slug}/").content.decode()
    assert "Sign in to register" in visitor

    organiser = client_for(people.park_user).get(f"/events/{event.slug}/").content.decode()
    assert "For organisers" in organiser and f"/events/{event.slug}/check-in/" in organiser


def test_the_event_page_leads_organisers_and_registered_parties_to_meetings(make_event, people):
    event = make_event()
    meetings, schedule, outcomes = (
        f"/events/{event.slug}/meetings/",
        f"/events/{event.slug}/schedule/",
        f"/events/{event.slug}/outcomes/",
    )
    organiser = client_for(people.park_user).get(f"/events/{event.slug}/").content.decode()
    assert all(link in organiser for link in (meetings, schedule, outcomes))

    before = client_for(people.enterprise_user).get(f"/events/{event.slug}/").content.decode()
    assert meetings not in before
    registration_create(event=event, actor=people.enterprise_user, enterprise=people.enterprise)
    after = client_for(people.enterprise_user).get(f"/events/{event.slug}/").content.decode()
    assert meetings in after
    assert schedule not in after and outcomes not in after


def test_registering_on_the_page_leads_to_the_qr_code(make_event, people):
    event = make_event()
    client = client_for(people.enterprise_user)
    response = client.post(
        f"/events/{event.slug}/register/",
        {"need_amount": "2000000", "need_term_months": "12"},
        follow=True,
    )
    registration = Registration.objects.get(event=event, enterprise=people.enterprise)
    assert registration.status == Registration.Status.CONFIRMED
    text = response.content.decode()
    assert "<svg" in text and registration.code in text
    assert "confirmation" in follow_messages(response)


def test_bad_input_shows_the_form_again(make_event, people):
    event = make_event()
    response = client_for(people.enterprise_user).post(
        f"/events/{event.slug}/register/", {"need_amount": "-5"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()


def test_the_waiting_list_page_tells_the_position_and_cancelling_frees_the_place(
    make_event, people
):
    event = make_event(capacity=1)
    first = registration_create(
        event=event, actor=people.enterprise_user, enterprise=people.enterprise
    )
    waiting = registration_create(
        event=event, actor=people.bank_user, institution=people.institution
    )
    page = client_for(people.bank_user).get(f"/events/registrations/{waiting.code}/")
    assert "number 1 on the waiting list" in page.content.decode()
    assert "<svg" not in page.content.decode()

    client_for(people.enterprise_user).post(
        f"/events/registrations/{first.code}/cancel/", {"confirmed": "1"}
    )
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_an_organiser_sets_up_an_event_on_the_page(people):
    fields = event_fields(people)
    data = {
        "title_zh": fields["title_zh"],
        "title_en": "Page-made station",
        "kinds": fields["kinds"],
        "host_province": people.park.province_id,
        "parks": [people.park.pk],
        "featured_products": [p.pk for p in people.products],
        "starts_at": fields["starts_at"].strftime("%Y-%m-%dT%H:%M"),
        "ends_at": fields["ends_at"].strftime("%Y-%m-%dT%H:%M"),
        "format": "hybrid",
        "capacity": "120",
    }
    response = client_for(people.park_user).post("/events/manage/new/", data)
    assert response.status_code == 302
    event = Event.objects.get(title_en="Page-made station")
    assert event.status == Event.Status.DRAFT and event.capacity == 120
    assert event.featured_products.count() == 2

    data["ends_at"] = "2020-01-01T00:00"
    again = client_for(people.park_user).post("/events/manage/new/", data)
    assert again.status_code == 200 and "errorlist" in again.content.decode()


def test_the_organiser_exports_the_registrations_as_csv_and_xlsx(make_event, people):
    event = make_event()
    registration_create(event=event, actor=people.enterprise_user, enterprise=people.enterprise)
    tricky = EnterpriseFactory(name_en="=HYPERLINK(1)", name_zh="=HYPERLINK(1)")
    RegistrationFactory(event=event, enterprise=tricky)
    organiser = client_for(people.regulator)

    response = organiser.get(f"/events/{event.slug}/registrations/export/?file=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    names = {row[3] for row in rows[1:]}
    assert people.enterprise.name in names or people.enterprise.name_zh in names
    assert "'=HYPERLINK(1)" in names

    response = organiser.get(f"/events/{event.slug}/registrations/export/?file=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.max_row == 3


def test_names_and_notes_like_formulas_are_text_in_the_registrations_export(make_event, people):
    event = make_event()
    for formula in FORMULAS:
        enterprise = EnterpriseFactory(name_en=f"{formula}-co", name_zh=f"{formula}-co")
        RegistrationFactory(event=event, enterprise=enterprise, note=f"{formula}-note")
    organiser = client_for(people.regulator)
    texts = [f"{formula}-{part}" for formula in FORMULAS for part in ("co", "note")]

    response = organiser.get(f"/events/{event.slug}/registrations/export/?file=csv")
    assert response.status_code == 200
    assert_inert_csv(response.content, texts)

    response = organiser.get(f"/events/{event.slug}/registrations/export/?file=xlsx")
    assert response.status_code == 200
    assert_inert_workbook(response.content, texts)


def test_the_check_in_screen_takes_the_scanned_link_and_refuses_a_second_check_in(
    make_event, people
):
    event = make_event()
    registration = registration_create(
        event=event, actor=people.bank_user, institution=people.institution
    )
    under_way(event)
    desk = client_for(people.park_user)
    prefilled = desk.get(f"/events/{event.slug}/check-in/?code={registration.code}")
    assert f'value="{registration.code}"' in prefilled.content.decode()

    done = desk.post(f"/events/{event.slug}/check-in/", {"code": registration.code}, follow=True)
    assert "Checked in" in follow_messages(done)
    again = desk.post(f"/events/{event.slug}/check-in/", {"code": registration.code}, follow=True)
    assert "already checked in" in follow_messages(again)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CHECKED_IN


def test_an_organiser_cancels_an_event_on_its_page_only_with_a_reason(make_event, people):
    event = make_event()
    organiser = client_for(people.regulator)
    page = organiser.get(f"/events/{event.slug}/").content.decode()
    assert 'data-action="cancel"' in page and 'data-action="publish"' not in page

    again = organiser.post(f"/events/{event.slug}/cancel/", {"cancel-reason": " "})
    assert again.status_code == 200
    assert "errorlist" in again.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED

    done = organiser.post(
        f"/events/{event.slug}/cancel/",
        {"cancel-reason": "Typhoon warning", "confirmed": "1"},
        follow=True,
    )
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.history.last().note == "Typhoon warning"
    assert follow_messages(done) == f"“{event}” is cancelled; the registrants are told."
    assert 'data-action="cancel"' not in done.content.decode()


def test_the_organiser_approves_a_registration_from_the_list(make_event, people):
    event = make_event(requires_approval=True)
    registration = registration_create(
        event=event, actor=people.enterprise_user, enterprise=people.enterprise
    )
    approve = f"/events/{event.slug}/registrations/{registration.pk}/approve/"
    organiser = client_for(people.park_user)
    assert approve in organiser.get(f"/events/{event.slug}/registrations/").content.decode()

    organiser.post(approve)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert approve not in organiser.get(f"/events/{event.slug}/registrations/").content.decode()


def test_only_the_check_in_screen_may_use_the_camera(make_event, people):
    event = make_event()
    desk = client_for(people.park_user)

    check_in = desk.get(f"/events/{event.slug}/check-in/")
    assert check_in.status_code == 200
    assert "camera=(self)" in check_in["Permissions-Policy"]
    assert "microphone=()" in check_in["Permissions-Policy"]
    assert "geolocation=()" in check_in["Permissions-Policy"]
    assert "camera=()" in desk.get(f"/events/{event.slug}/")["Permissions-Policy"]


def test_the_pages_read_in_chinese(make_event, people):
    event = make_event()
    page = client_for().get(f"/zh-hans/events/{event.slug}/")
    assert page.status_code == 200
    assert event.title_zh in page.content.decode()


# --- queries per list page: the same with 3 rows as with 30


@pytest.mark.parametrize("rows", [3, 30])
def test_list_pages_take_a_fixed_number_of_queries(
    rows, make_event, people, django_assert_max_num_queries
):
    event = make_event()
    for _ in range(rows):
        other = EventFactory()
        other.parks.add(people.park)
        other.kinds.add(EventKind.objects.get(pk="roadshow"))
        RegistrationFactory(event=event)
        RegistrationFactory(event=other, enterprise=people.enterprise)
    under_way(event)
    first = Registration.objects.filter(event=event).first()
    assert first is not None
    registration_check_in_by_code(event=event, actor=people.regulator, code=first.code)
    organiser = client_for(people.park_user)
    enterprise = client_for(people.enterprise_user)
    pages = [
        (client_for(), "/events/", 8),
        (enterprise, "/events/registrations/", 7),
        (organiser, "/events/manage/", 12),
        (organiser, f"/events/{event.slug}/registrations/", 12),
        (organiser, f"/events/{event.slug}/registrations/export/?file=csv", 8),
    ]
    for client, path, bound in pages:
        with django_assert_max_num_queries(bound):
            assert client.get(path).status_code == 200, path


def test_filters_that_do_not_parse_leave_the_list_whole_with_a_message():
    page = client_for().get("/events/?province=999999&date_from=not-a-date")
    assert page.status_code == 200
    assert "errorlist" in page.content.decode()
    assert client_for().get("/api/v1/events/?province=999999").status_code == 400


def test_a_regulator_starts_a_campaign_and_its_dates_must_be_in_order(people):
    from events.models import Campaign

    client = client_for(people.regulator)
    response = client.post(
        "/events/manage/campaigns/new/",
        {
            "name_zh": "2027年入园惠企",
            "name_en": "Into the parks 2027",
            "starts_on": "2027-03-01",
            "ends_on": "2027-02-01",
        },
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(
        "/events/manage/campaigns/new/",
        {
            "name_zh": "2027年入园惠企",
            "name_en": "Into the parks 2027",
            "starts_on": "2027-03-01",
            "ends_on": "2027-05-31",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(name_en="Into the parks 2027")
    assert campaign.organisers.filter(memberships__user=people.regulator).exists()


def test_a_draft_says_it_is_not_published_yet_and_a_past_event_that_it_closed(make_event, people):
    draft = make_event(publish=False)
    organiser = client_for(people.regulator).get(f"/events/{draft.slug}/").content.decode()
    assert "not published yet" in organiser
    assert "closed" not in organiser.lower().replace("registration closes", "")

    past = make_event()
    Event.objects.filter(pk=past.pk).update(registration_deadline="2020-01-01T00:00Z")
    page = client_for(people.enterprise_user).get(f"/events/{past.slug}/").content.decode()
    assert "Registration for this event has closed." in page
    assert "not published" not in page


def test_registering_for_a_draft_is_refused_with_the_pages_sentence(make_event, people):
    draft = make_event(publish=False)
    with pytest.raises(Conflict) as refused:
        registration_create(event=draft, actor=people.enterprise_user, enterprise=people.enterprise)
    assert refused.value.code == "event_not_open"
    assert "not published yet" in str(refused.value)
