"""Rollups: the dashboard's figures kept ready, exactly equal to the rows.

The grain is the event. Each published event contributes a *share* to a few
*cells* (its campaign as a whole, its host province, each park it covers, its
month, itself, and per institution and product kind the contracts signed
there). Additive figures (counts, amounts) are the sum of the shares of a
cell. Distinct figures (enterprises, institutions, financed enterprises)
cannot be summed across events, so each event also keeps *who* took part
(`EventParty`), and a cell's distinct count changes only when a party appears
at the first, or leaves the last, of the cell's events.

`dashboards.rollups` writes these tables; nothing else does."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Province
from events.models import Campaign, Event


class Dimension(models.TextChoices):
    ALL = "all", _("Campaign")
    PROVINCE = "province", _("Province")
    PARK = "park", _("Park")
    MONTH = "month", _("Month")
    EVENT = "event", _("Event")
    INSTITUTION = "institution", _("Institution")
    PRODUCT_KIND = "product_kind", _("Product kind")


def cell_key(campaign_id: int | None, dimension: str, value: object = "") -> str:
    return f"{campaign_id or '-'}|{dimension}|{value}"


class Counters(models.Model):
    """The additive figures, shared by a cell and by an event's share of it:
    a column per ADDITIVE figure of `dashboards.figures` (the check
    dashboards.E003 finds one missing)."""

    activities = models.PositiveIntegerField(default=0)
    participants_online = models.PositiveBigIntegerField(default=0)
    participants_offline = models.PositiveBigIntegerField(default=0)
    registrations = models.PositiveBigIntegerField(default=0)
    meetings = models.PositiveBigIntegerField(default=0)
    contracts = models.PositiveBigIntegerField(default=0)
    intentions = models.PositiveBigIntegerField(default=0)
    loans = models.PositiveBigIntegerField(default=0)
    disbursed = models.PositiveBigIntegerField(default=0)
    contract_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    intention_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    disbursed_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)

    class Meta:
        abstract = True


class Cell(Counters):
    """The figures of one cell: a campaign, or one province, park, month,
    event, institution or product kind of it. Beside the additive figures, a
    column per DISTINCT figure of `dashboards.figures`."""

    key = models.CharField(max_length=80, primary_key=True)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    # The host province the cell lies in; empty for campaign-wide cells.
    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    value = models.CharField(max_length=40, blank=True)
    enterprises = models.PositiveIntegerField(default=0)
    institutions = models.PositiveIntegerField(default=0)
    financed = models.PositiveIntegerField(default=0)
    parks = models.PositiveIntegerField(default=0)
    products = models.PositiveIntegerField(default=0)
    releasers = models.PositiveIntegerField(default=0)
    provinces = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["campaign", "dimension", "province"])]

    def __str__(self) -> str:
        return self.key


class EventShare(Counters):
    """What one event adds to one cell; also the event ↔ cell link."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="dashboard_shares")
    cell = models.CharField(max_length=80)
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    # Whose parties the cell counts: 0 for the event's own, an institution's
    # id for its contracts, a negative code per product kind for the
    # enterprises financed with that kind (`rollups.KIND_PARTIES`).
    party_institution = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "cell"], name="dashboards_share_once")
        ]
        indexes = [models.Index(fields=["cell", "event"])]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.cell}"


class EventParty(models.Model):
    """Who and what an event counts once: enterprises and institutions with a
    non-cancelled registration, enterprises with a contract signed there (once
    overall, institution 0, and once per lending institution), parks covered,
    products released and their institutions, provinces taking part."""

    class Role(models.IntegerChoices):
        ENTERPRISE = 1, _("Registered enterprise")
        INSTITUTION = 2, _("Registered institution")
        FINANCED = 3, _("Financed enterprise")
        PARK = 4, _("Park covered")
        PRODUCT = 5, _("Product released")
        RELEASER = 6, _("Institution releasing a product")
        PROVINCE = 7, _("Province participating")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="dashboard_parties")
    role = models.PositiveSmallIntegerField(choices=Role.choices)
    institution_id = models.BigIntegerField(default=0)
    party_id = models.BigIntegerField()  # a row's id; a province's six-digit code

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "role", "institution_id", "party_id"],
                name="dashboards_party_once",
            )
        ]
        indexes = [models.Index(fields=["role", "institution_id", "party_id", "event"])]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.get_role_display()} {self.party_id}"


class EventRollup(models.Model):
    """When an event was last rolled up; its row is locked while it is."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, primary_key=True, related_name="dashboard_rollup"
    )
    refreshed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.event_id} @ {self.refreshed_at:%Y-%m-%d %H:%M}"
