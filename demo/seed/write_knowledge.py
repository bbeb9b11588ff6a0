"""Writing the campaign's knowledge base: policies, typical cases, the provinces'
collections and their downloads, Zhejiang's trainings, media reports and the
cooperation agreements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models

from demo.data import campaign as catalogue
from demo.data import knowledge
from demo.data.institutions import INSTITUTIONS_BY_CODE
from demo.seed.common import money
from demo.seed.plan import Plan
from demo.seed.write import sync_links, sync_set, sync_titled, upsert
from events.models import Campaign
from knowledge.models import (
    Collection,
    CollectionDownload,
    CooperationAgreement,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)

# Seeded downloads are all dated before this day; later ones are real visitors'.
DOWNLOADS_UNTIL = dt.date(2021, 1, 31)

_CONTENTS_ZH = {"cases": "典型案例", "policies": "政策文件", "products": "金融产品"}
_CONTENTS_EN = {
    "cases": "typical cases",
    "policies": "policies",
    "products": "financial products",
}
_AGREEMENT_KINDS = {
    knowledge.CHONGQING_BANK_AGREEMENT.code: CooperationAgreement.Kind.AGREEMENT,
    knowledge.CHONGQING_ALLIANCE.code: CooperationAgreement.Kind.ALLIANCE,
    knowledge.BEIJING_JJJ_INITIATIVE.code: CooperationAgreement.Kind.INITIATIVE,
}


def write_knowledge(
    plan: Plan,
    campaign: Campaign,
    offices: dict[str, int],
    parks: dict[str, int],
    institutions: dict[str, int],
    events: dict[str, int],
) -> None:
    ip_office = {code: offices[pair[0].code] for code, pair in catalogue.PROVINCIAL_OFFICES.items()}

    policies = sync_titled(
        Policy,
        [
            {
                "title_zh": p.title_zh,
                "title_en": p.title_en,
                "issuer_zh": p.issuer_zh,
                "issuer_en": p.issuer_en,
                "level": p.level,
                "province_id": p.province_code,
                "issued_on": dt.date.fromisoformat(p.issued_on),
                "document_number": p.doc_number or "",
            }
            for p in knowledge.POLICIES
        ],
    )

    published = {
        c.province_code: dt.date.fromisoformat(c.published_on) for c in knowledge.COLLECTIONS
    }
    cases = sync_titled(
        TypicalCase,
        [
            {
                "title_zh": c.title_zh,
                "title_en": c.title_en,
                "summary_zh": c.summary_zh,
                "summary_en": c.summary_en,
                "province_id": c.province_code,
                "institution_name": (
                    INSTITUTIONS_BY_CODE[catalogue.CASE_INSTITUTIONS[c.code]].name_zh
                    if c.code in catalogue.CASE_INSTITUTIONS
                    else ""
                ),
                "amount": money(c.amount_yuan),
                # Cases were published with their province's collection.
                "published_on": published.get(c.province_code, dt.date(2020, 12, 18)),
            }
            for c in knowledge.CASES
        ],
    )
    sync_links(
        TypicalCase,
        cases,
        ip_kinds=((c.title_zh, kind) for c in knowledge.CASES for kind in c.ip_kinds),
    )

    collections = sync_titled(
        Collection,
        [
            {
                "title_zh": c.title_zh,
                "title_en": c.title_en,
                "summary_zh": (
                    f"汇集{c.publisher_zh}整理的知识产权质押融资"
                    f"{'、'.join(_CONTENTS_ZH[k] for k in c.contents)}，"
                    + (
                        "在线发布并印制成册。"
                        if c.medium == "online"
                        else "印制成册，发放至园区企业。"
                    )
                ),
                "summary_en": (
                    f"{_and(_CONTENTS_EN[k] for k in c.contents).capitalize()} of IP pledge "
                    f"financing compiled by the {c.publisher_en}, "
                    + ("published online and in print." if c.medium == "online" else "in print.")
                ),
                "publisher_id": ip_office[c.province_code],
                "province_id": c.province_code,
                "campaign_id": campaign.pk,
                "published_on": dt.date.fromisoformat(c.published_on),
                # Hunan, Zhejiang, Guangdong and Chongqing all printed theirs.
                "is_printed": True,
            }
            for c in knowledge.COLLECTIONS
        ],
    )
    by_code = {c.code: collections[c.title_zh] for c in knowledge.COLLECTIONS}
    sync_links(
        Collection,
        by_code,
        policies=(
            (c.code, policies[p.title_zh])
            for c in knowledge.COLLECTIONS
            if "policies" in c.contents
            for p in knowledge.POLICIES
            if p.province_code in (None, c.province_code) and p.issued_on <= c.published_on
        ),
        cases=(
            (c.code, cases[case.title_zh])
            for c in knowledge.COLLECTIONS
            if "cases" in c.contents
            for case in knowledge.CASES
            if case.province_code == c.province_code
        ),
    )
    _write_downloads(plan, by_code)

    zhejiang_office = offices["zhejiang-ip-office"]
    sync_titled(
        TrainingSession,
        [
            {
                "title_zh": s.title_zh,
                "title_en": s.title_en,
                "summary_zh": (
                    "讲解知识产权质押融资政策、价值评估和质押登记流程，推介银行产品并现场答疑。"
                ),
                "summary_en": (
                    "IP pledge financing policies, valuation and pledge registration explained, "
                    "bank products introduced, questions answered."
                ),
                "province_id": catalogue.ZHEJIANG,
                "city_zh": s.city_zh,
                "city_en": s.city_en,
                "park_id": parks[s.park_slug],
                "campaign_id": campaign.pk,
                "organiser_id": zhejiang_office,
                "held_on": dt.date.fromisoformat(s.held_on),
                "participants": participants,
            }
            for s, participants in plan.trainings
        ],
    )

    upsert(
        MediaReport,
        [
            {
                "outlet_zh": m.outlet_zh,
                "outlet_en": m.outlet_en,
                "title": m.title,
                "published_on": m.published_on,
                "campaign": campaign,
                "event_id": events[m.event] if m.event else None,
            }
            for m in plan.media
        ],
        unique=["outlet_zh", "title"],
    )

    agreements = sync_titled(
        CooperationAgreement,
        [
            {
                "title_zh": a.title_zh,
                "title_en": a.title_en,
                "summary_zh": f"{a.organizer_zh}牵头，{len(a.member_codes)}家金融及服务机构参与。",
                "summary_en": (
                    f"Convened by: {a.organizer_en}. {len(a.member_codes)} banks and other "
                    "financial and service institutions take part."
                ),
                "kind": _AGREEMENT_KINDS[a.code],
                "office_id": ip_office[a.province_code],
                "signed_on": dt.date.fromisoformat(a.signed_on),
                "campaign_id": campaign.pk,
            }
            for a in knowledge.AGREEMENTS
        ],
    )
    sync_links(
        CooperationAgreement,
        agreements,
        institutions=(
            (a.title_zh, institutions[code])
            for a in knowledge.AGREEMENTS
            for code in a.member_codes
        ),
    )


def _write_downloads(plan: Plan, collections: dict[str, int]) -> None:
    """The seeded downloads, and each collection's counter in step with its rows
    (real downloads after the seed included)."""
    sync_set(
        CollectionDownload.objects.filter(
            collection_id__in=list(collections.values()), day__lte=DOWNLOADS_UNTIL
        ),
        ("collection_id", "visitor", "day"),
        {
            (collections[code], visitor, day)
            for code, rows in plan.downloads.items()
            for visitor, day in rows
        },
        ignore_conflicts=True,
    )
    totals = dict(
        CollectionDownload.objects.filter(collection_id__in=list(collections.values()))
        .values("collection_id")
        .annotate(n=models.Count("pk"))
        .values_list("collection_id", "n")
    )
    stale_counts = []
    for collection in Collection.objects.filter(pk__in=list(collections.values())):
        if collection.download_count != totals.get(collection.pk, 0):
            collection.download_count = totals.get(collection.pk, 0)
            stale_counts.append(collection)
    if stale_counts:
        Collection.objects.bulk_update(stale_counts, ["download_count"])


def _and(items: Iterable[str]) -> str:
    """ "a, b and c"."""
    words = list(items)
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)
