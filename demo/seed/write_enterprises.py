"""Writing the planned enterprises, their IP assets and the assets' appraisal
history."""

from __future__ import annotations

from demo.seed.plan import Plan
from demo.seed.write import sync_set, upsert, upsert_ids
from enterprises.models import Enterprise, IPAppraisal, IPAsset


def write_enterprises(plan: Plan, parks: dict[str, int]) -> dict[str, int]:
    rows = [
        {
            "credit_code": e.credit_code,
            "name_zh": e.name_zh,
            "name_en": e.name_en,
            "province_id": e.province_code,
            "city_zh": e.city_zh,
            "city_en": e.city_en,
            "park_id": parks[e.park_slug] if e.park_slug else None,
            "industry_id": e.industry,
            "size": e.size,
            "high_tech_certified": e.high_tech_certified,
            "employees": e.employees,
            "annual_revenue": e.annual_revenue,
            "founded_on": e.founded_on,
            "description": e.description,
            "discoverable": e.discoverable,
            "need_amount": e.need_amount,
            "need_term_months": e.need_term_months,
            # The campaign's enterprises were vetted by their parks in 2020.
            "verification_status": Enterprise.Verification.VERIFIED,
        }
        for e in plan.enterprises
    ]
    return upsert_ids(Enterprise, rows, key="credit_code")


def write_assets(plan: Plan, enterprises: dict[str, int]) -> tuple[int, int]:
    """The assets, each with its latest appraisal, and the appraisal history;
    returns how many of each the plan has."""
    rows = []
    for a in plan.assets:
        value, appraiser, on = a.latest or (None, "", None)
        rows.append(
            {
                "enterprise_id": enterprises[a.credit_code],
                "kind_id": a.kind,
                "number": a.number,
                "title": a.title,
                "filed_on": a.filed_on,
                "granted_on": a.granted_on,
                "expires_on": a.expires_on,
                "legal_status": a.legal_status,
                "appraised_value": value,
                "appraiser": appraiser,
                "appraised_on": on,
            }
        )
    upsert(IPAsset, rows, unique=["kind", "number"])
    asset_ids = {
        (kind, number): pk
        for pk, kind, number in IPAsset.objects.filter(
            enterprise_id__in=list(enterprises.values())
        ).values_list("pk", "kind_id", "number")
    }
    # Appraisal history: exactly the planned rows among those nobody recorded by hand.
    wanted = {
        (asset_ids[(a.kind, a.number)], on, appraiser, value)
        for a in plan.assets
        for value, appraiser, on in a.appraisals
    }
    sync_set(
        IPAppraisal.objects.filter(asset_id__in=list(asset_ids.values()), recorded_by__isnull=True),
        ("asset_id", "appraised_on", "appraiser", "value"),
        wanted,
    )
    return len(rows), len(wanted)
