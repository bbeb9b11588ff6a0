"""Writing the campaign's programme: the institutions' products, the campaign
itself, and its events with their slots and the products they featured."""

from __future__ import annotations

import datetime as dt

from accounts.models import User
from demo.data import campaign as catalogue
from demo.seed.common import at
from demo.seed.plan import Plan
from demo.seed.write import backdate, sync_links, upsert, upsert_ids
from events.models import Campaign, Event, EventSlot
from products.models import Product


def write_products(plan: Plan, institutions: dict[str, int]) -> dict[str, int]:
    rows = []
    for p in plan.products:
        summary_zh, summary_en = catalogue.PRODUCT_SUMMARIES[p.spec.kind]
        rows.append(
            {
                "institution_id": institutions[p.spec.institution_code],
                "code": p.spec.code,
                "name_zh": p.spec.name_zh,
                "name_en": p.spec.name_en,
                "kind": p.spec.kind,
                "amount_min": p.amount_min,
                "amount_max": p.amount_max,
                "rate_min": p.rate_min,
                "rate_max": p.rate_max,
                "term_min_months": p.term_min_months,
                "term_max_months": p.term_max_months,
                "max_pledge_ratio": p.max_pledge_ratio,
                "summary_zh": summary_zh,
                "summary_en": summary_en,
                "requirements": catalogue.PRODUCT_REQUIREMENTS,
                "status": p.spec.status,
                "published_at": p.published_at,
            }
        )
    ids = upsert_ids(Product, rows, key="code")
    sync_links(
        Product,
        ids,
        accepted_ip_kinds=((p.spec.code, k) for p in plan.products for k in p.ip_kinds),
        provinces_served=((p.spec.code, c) for p in plan.products for c in p.provinces_served),
        target_industries=((p.spec.code, c) for p in plan.products for c in p.industries),
    )
    backdate(
        Product,
        ids,
        {
            p.spec.code: (p.published_at or at(dt.date(2020, 11, 1), "10:00"))
            - dt.timedelta(days=7)
            for p in plan.products
        },
    )
    return ids


def write_campaign(offices: dict[str, int]) -> Campaign:
    slug = catalogue.CAMPAIGN_SLUG
    upsert(
        Campaign,
        [
            {
                "slug": slug,
                "name_zh": catalogue.CAMPAIGN_NAME_ZH,
                "name_en": catalogue.CAMPAIGN_NAME_EN,
                "description_zh": catalogue.CAMPAIGN_DESCRIPTION_ZH,
                "description_en": catalogue.CAMPAIGN_DESCRIPTION_EN,
                "starts_on": dt.date.fromisoformat(catalogue.CAMPAIGN_STARTS_ON),
                "ends_on": dt.date.fromisoformat(catalogue.CAMPAIGN_ENDS_ON),
                "is_public": True,
            }
        ],
        unique=["slug"],
    )
    campaign = Campaign.objects.get(slug=slug)
    sync_links(
        Campaign,
        {slug: campaign.pk},
        organisers=((slug, offices[o.code]) for o in catalogue.OFFICES),
    )
    return campaign


def write_events(
    plan: Plan,
    campaign: Campaign,
    parks: dict[str, int],
    offices: dict[str, int],
    products: dict[str, int],
    users: dict[str, User],
) -> dict[str, int]:
    """The events, with their primary keys by the station's slug."""
    rows = []
    for e in plan.events:
        author = (
            users["zhejiang.regulator@example.com"]
            if e.spec.province_code == catalogue.ZHEJIANG
            else users["regulator@example.com"]
        )
        rows.append(
            {
                "campaign": campaign,
                "slug": e.slug,
                "title_zh": e.title_zh,
                "title_en": e.title_en,
                "description_zh": e.description_zh,
                "description_en": e.description_en,
                "agenda": e.agenda,
                "host_province_id": e.spec.province_code,
                "city_zh": e.spec.city_zh,
                "city_en": e.spec.city_en,
                "venue": e.venue,
                "starts_at": e.starts_at,
                "ends_at": e.ends_at,
                "format": e.spec.format,
                "capacity": e.capacity,
                "registration_deadline": e.registration_deadline,
                "participants_online": e.participants_online,
                "participants_offline": e.participants_offline,
                "status": Event.Status.PUBLISHED,
                "created_by": author,
            }
        )
    by_slug = upsert_ids(Event, rows, key="slug")
    ids = {e.spec.slug: by_slug[e.slug] for e in plan.events}
    events = plan.events
    sync_links(
        Event,
        ids,
        kinds=((e.spec.slug, k) for e in events for k in e.spec.kinds),
        parks=((e.spec.slug, parks[s]) for e in events for s in e.spec.park_slugs),
        organisers=(
            (e.spec.slug, offices[o.code])
            for e in events
            for o in catalogue.PROVINCIAL_OFFICES[e.spec.province_code]
        ),
        featured_products=((e.spec.slug, products[c]) for e in events for c in e.featured),
        participating_provinces=((e.spec.slug, c) for e in events for c in e.spec.participating),
    )
    upsert(
        EventSlot,
        [
            {"event_id": ids[e.spec.slug], "starts_at": start, "ends_at": end}
            for e in plan.events
            for start, end in e.slots
        ],
        unique=["event", "starts_at"],
    )
    backdate(
        Event,
        ids,
        {e.spec.slug: e.registration_deadline - dt.timedelta(days=21) for e in plan.events},
    )
    return ids
