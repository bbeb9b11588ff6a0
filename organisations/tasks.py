from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from organisations.models import Invitation
from organisations.registry import KINDS
from organisations.selectors import invitation_token


def invitation_link(invitation: Invitation) -> str:
    """The invitation page in the invitee's language, as a full address."""
    with translation.override(invitation.language):
        path = reverse("organisations:join", args=[invitation_token(invitation)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=8,
)
def send_invitation_email(invitation_id: int) -> bool:
    """Mail the invitation with its signed link, in the invitee's language.
    Nothing is sent for an invitation that is no longer open."""
    invitation = (
        Invitation.objects.filter(pk=invitation_id, status=Invitation.Status.SENT)
        .select_related("invited_by")
        .first()
    )
    if invitation is None:
        return False
    kind = KINDS[invitation.kind]
    organisation = kind.get(invitation.organisation_id)
    with translation.override(invitation.language):
        role = dict(Invitation._meta.get_field("role").choices or ())[invitation.role]
        params = {
            "organisation": organisation.name,
            "inviter": invitation.invited_by or _("The ipfin platform"),
            "role": str(role).lower() if invitation.language == "en" else role,
            "days": settings.IPFIN_INVITATION_DAYS,
            "link": invitation_link(invitation),
        }
        subject = _("You are invited to join %(organisation)s on ipfin") % params
        body = (
            _(
                "%(inviter)s invites you to join %(organisation)s on ipfin, the IP pledge "
                "financing portal, as %(role)s.\n\nOpen this link to accept; if you have no "
                "account yet, you will set your name and a password there:\n%(link)s\n\n"
                "The link works once and expires in %(days)s days. If you did not expect "
                "this invitation, ignore this mail."
            )
            % params
        )
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[invitation.email])
    return True


@shared_task(name="organisations.expire_invitations")
def expire_invitations() -> int:
    """Hourly (beat): open invitations past their seven days become expired."""
    from organisations.services import invitations_expire_due

    return invitations_expire_due()
