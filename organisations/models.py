"""Invitations into an organisation of any kind (organisations.registry)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Membership, StatusChange
from organisations.registry import KIND_CHOICES

LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]


class Invitation(models.Model):
    """An email address asked to join an organisation with a role. The link
    in the mail carries the key, signed; it is good once, for seven days,
    until revoked."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    kind = models.CharField(_("kind of organisation"), max_length=12, choices=KIND_CHOICES)
    organisation_id = models.PositiveIntegerField(_("organisation"))
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    language = models.CharField(
        _("language of the mail"), max_length=10, choices=LANGUAGES, default="zh-hans"
    )
    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "organisation_id", "email"],
                condition=Q(status="sent"),
                name="invitation_one_open_per_email",
            )
        ]
        indexes = [
            models.Index(fields=["kind", "organisation_id", "status"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.kind} {self.organisation_id}"


class InvitationStatusChange(StatusChange):
    invitation = models.ForeignKey(
        Invitation, verbose_name=_("invitation"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("invitation status change")
        verbose_name_plural = _("invitation status changes")
