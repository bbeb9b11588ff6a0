"""The invitation workflow, declared once (core.workflow).

An invitation is sent by someone who may invite into the organisation; the
person it is addressed to accepts it (once); whoever may invite can revoke it
while it is open; the portal marks it expired seven days after it was sent."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from core.workflow import SYSTEM, Workflow, action
from organisations.models import Invitation, InvitationStatusChange
from organisations.registry import KINDS
from organisations.selectors import may_invite

S = Invitation.Status
INVITEE = "invitee"
INVITER = "inviter"


def _sides(invitation: Invitation, user: AbstractBaseUser | AnonymousUser) -> set[str]:
    sides = set()
    email = getattr(user, "email", "") if user.is_authenticated else ""
    if email and email.lower() == invitation.email.lower():
        sides.add(INVITEE)
    kind = KINDS[invitation.kind]
    organisation = kind.model._default_manager.filter(pk=invitation.organisation_id).first()
    if organisation is not None and may_invite(
        kind=kind, organisation=organisation, user=cast(Any, user)
    ):
        sides.add(INVITER)
    return sides


INVITATION = Workflow(
    name="invitation",
    model=Invitation,
    history=InvitationStatusChange,
    subject="invitation",
    initial=[S.SENT],
    sides=_sides,
    params=lambda invitation: {"email": invitation.email},
    refusal=_("This invitation can no longer be used (%(status)s)."),
    actions={
        "accept": action(
            S.ACCEPTED,
            sources=[S.SENT],
            by=INVITEE,
            label=_("Accept"),
            not_your_side=_("This invitation is addressed to someone else."),
        ),
        "revoke": action(
            S.REVOKED,
            sources=[S.SENT],
            by=INVITER,
            label=_("Revoke"),
            done=_("The invitation to %(email)s is revoked."),
            not_your_side=_("Only the organisation's administrators may do this."),
        ),
        "expire": action(S.EXPIRED, sources=[S.SENT], by=SYSTEM, label=_("Expire")),
    },
)
