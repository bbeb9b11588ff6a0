"""Reads for jobs and reports: a user's own jobs only."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import Jurisdiction
from core.models import Province
from dashboards.selectors import Scope, scope_for
from events.models import Campaign, Event
from parks.models import Park
from products.models import Institution
from reports.models import Job


def jobs_for(*, user: User) -> QuerySet[Job]:
    """The user's jobs, newest first, without the long error lists."""
    return (
        Job.objects.filter(owner=user)
        .defer("errors", "summary", "params")
        .order_by("-created_at", "-id")
    )


def job_for(*, user: User, pk: int) -> Job:
    """One of the user's jobs; anyone else's is not found."""
    job = Job.objects.filter(owner=user, pk=pk).first()
    if job is None:
        raise Http404
    return job


def reportable_events(*, jurisdiction: Jurisdiction) -> QuerySet[Event]:
    """Events a regulator may report on: those hosted in its jurisdiction."""
    events = Event.objects.filter(status=Event.Status.PUBLISHED).select_related("host_province")
    if not jurisdiction.national:
        events = events.filter(host_province__in=jurisdiction.provinces)
    return events.order_by("-starts_at")


def reportable_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.order_by("-starts_on")


def report_scope(*, params: dict[str, str], jurisdiction: Jurisdiction) -> Scope:
    """The figures' scope a report job asked for, held to the jurisdiction
    (`PermissionDenied` outside it, `Http404` for a code that is not there)."""
    resolved: dict[str, object] = {}
    try:
        if params.get("event"):
            resolved["event"] = Event.objects.select_related("host_province", "campaign").get(
                slug=params["event"]
            )
        if params.get("campaign"):
            resolved["campaign"] = Campaign.objects.get(slug=params["campaign"])
        if params.get("province"):
            resolved["province"] = Province.objects.get(pk=params["province"])
    except (Event.DoesNotExist, Campaign.DoesNotExist, Province.DoesNotExist):
        raise Http404 from None
    return scope_for(params=resolved, jurisdiction=jurisdiction)


# --------------------------------------------------------------------------- codes


def institution_codes(*, query: str = "") -> QuerySet[Institution]:
    """The institutions an import names by code, by Chinese name; `query`
    keeps those whose code or name holds it."""
    institutions = Institution.objects.only("code", "name_zh", "name_en").order_by("name_zh")
    query = query.strip()
    if query:
        institutions = institutions.filter(
            Q(code__icontains=query) | Q(name_zh__icontains=query) | Q(name_en__icontains=query)
        )
    return institutions


def park_codes(*, query: str = "", province: str = "") -> QuerySet[Park]:
    """The parks an import names by code, with their province, by province
    and code; `query` and `province` (its code) narrow them."""
    parks = (
        Park.objects.select_related("province")
        .only("slug", "name_zh", "name_en", "province__name_zh", "province__name_en")
        .order_by("province_id", "slug")
    )
    query = query.strip()
    if query:
        parks = parks.filter(
            Q(slug__icontains=query) | Q(name_zh__icontains=query) | Q(name_en__icontains=query)
        )
    if province:
        parks = parks.filter(province_id=province)
    return parks


def code_provinces() -> QuerySet[Province]:
    """The provinces that have parks, for narrowing the park codes."""
    return Province.objects.filter(parks__isnull=False).distinct().order_by("code")
