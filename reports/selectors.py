"""Reads for jobs and reports: a user's own jobs only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import Jurisdiction
from core.models import Province
from dashboards.selectors import Scope, scope_for
from events.models import Campaign, Event
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
