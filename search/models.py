"""The search index: one row per object the portal's search box finds.

Each row holds what a result shows (title, summary, the key of its address),
the object's text cut into words (search.segment) and what decides who may
see it: `public`, the institution that owns a product, the province and park
of an enterprise. The rows are written only by search.services, from the
objects themselves; they hold nothing a page of the object does not show.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a result is; the results page groups by it, in this order."""

    PRODUCT = "product", _("Products")
    EVENT = "event", _("Events")
    INSTITUTION = "institution", _("Institutions")
    ENTERPRISE = "enterprise", _("Enterprises")
    KNOWLEDGE = "knowledge", _("Knowledge")


class SearchEntry(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The model the row stands for ("products.product", "knowledge.policy" …)
    # and its primary key: one row per object.
    source = models.CharField(_("source"), max_length=40)
    object_id = models.BigIntegerField(_("object id"))
    # What the object's address is built from: a product's code, an event's
    # slug, a knowledge item's kind (its list's slug).
    key = models.CharField(_("address key"), max_length=100, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_zh = models.CharField(_("summary (Chinese)"), max_length=400, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=400, blank=True)
    # The title's words, and all the object's words (title included),
    # separated by spaces (search.segment.document).
    title_terms = models.TextField(_("title words"), blank=True)
    document = models.TextField(_("words"), blank=True)
    # Who may find it: everyone when public; otherwise the members of the
    # product's institution, an event's organisers, an enterprise's members,
    # the regulators of its province, the managers of its park and the
    # institutions it applied to (search.selectors).
    public = models.BooleanField(_("public"), default=False)
    institution_id = models.BigIntegerField(_("institution"), null=True, blank=True)
    province_id = models.CharField(_("province"), max_length=6, blank=True)
    park_id = models.BigIntegerField(_("park"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_id"], name="search_entry_one_per_object"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "public"], name="search_entry_kind_public"),
            # A visitor's search reads only the public rows.
            models.Index(fields=["public"], name="search_entry_public"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.object_id}: {self.title_zh}"
