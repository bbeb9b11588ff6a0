"""The enterprise workflows, declared once (core.workflow).

Verification: an enterprise registered online, imported by a provincial
bureau or claimed awaits verification; the manager of its park or a
regulator of its province, having looked at its business licence, verifies it
or refuses it with a reason; the enterprise's administrators resubmit a
refused one, usually with a new licence.

Join requests: a user asks to join an enterprise already on the portal; its
administrators approve (the user becomes a member) or decline; the user may
withdraw a request still pending.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.workflow import Workflow, action
from enterprises.models import (
    Enterprise,
    EnterpriseVerificationChange,
    JoinRequest,
    JoinRequestStatusChange,
)
from enterprises.move_forms import NoteForm, RefuseForm
from enterprises.selectors import join_request_sides, verification_sides

V = Enterprise.Verification
J = JoinRequest.Status
VERIFIER = "verifier"
ENTERPRISE = "enterprise"
ADMIN = "admin"
REQUESTER = "requester"
CLAIMANT = "claimant"


def _verification_sides(enterprise: Enterprise, user: Any) -> set[str]:
    return verification_sides(enterprise=enterprise, user=user)


def _join_sides(join_request: JoinRequest, user: Any) -> set[str]:
    return join_request_sides(join_request=join_request, user=user)


VERIFICATION = Workflow(
    name="verification",
    model=Enterprise,
    history=EnterpriseVerificationChange,
    subject="enterprise",
    field_name="verification_status",
    initial=[V.AWAITING, V.VERIFIED],
    sides=_verification_sides,
    params=lambda enterprise: {"enterprise": enterprise.name},
    not_your_side={
        VERIFIER: _(
            "Only the manager of the enterprise's park or a regulator of its province may "
            "verify it."
        ),
        ENTERPRISE: _("Only the administrators of the enterprise may do this."),
        CLAIMANT: _("Only an enterprise that nobody administers on the portal can be claimed."),
    },
    actions={
        "verify": action(
            V.VERIFIED,
            sources=[V.AWAITING, V.RESUBMITTED],
            by=VERIFIER,
            label=_("Verify"),
            done=_(
                "%(enterprise)s is verified: it may now apply for financing and register for "
                "events."
            ),
            notice=(
                _("%(enterprise)s has been verified"),
                _("Your enterprise can now apply for financing and register for events."),
            ),
        ),
        "refuse": action(
            V.REFUSED,
            sources=[V.AWAITING, V.RESUBMITTED],
            by=VERIFIER,
            label=_("Refuse"),
            form=RefuseForm,
            done=_("%(enterprise)s was refused; its administrators have been told why."),
            notice=(
                _("The verification of %(enterprise)s was refused"),
                _(
                    "Reason: %(reason)s. Correct the profile or upload a new licence, "
                    "then resubmit."
                ),
            ),
        ),
        "resubmit": action(
            V.RESUBMITTED,
            sources=[V.REFUSED],
            by=ENTERPRISE,
            label=_("Resubmit for verification"),
            form=NoteForm,
            done=_("%(enterprise)s has been sent for verification again."),
            notice=(_("%(enterprise)s asks to be verified again"), _("%(note)s")),
        ),
        # An enterprise nobody administers (a bureau's import) is claimed by
        # its staff and is verified again, whatever it was before.
        "claim": action(
            V.AWAITING,
            sources=[V.AWAITING, V.VERIFIED, V.REFUSED, V.RESUBMITTED],
            by=CLAIMANT,
            label=_("Claim"),
        ),
    },
)


JOIN_REQUEST = Workflow(
    name="join_request",
    model=JoinRequest,
    history=JoinRequestStatusChange,
    subject="join_request",
    initial=[J.PENDING],
    sides=_join_sides,
    params=lambda join_request: {
        "user": join_request.user.get_full_name(),
        "enterprise": join_request.enterprise.name,
    },
    lock_related=("enterprise", "user"),
    not_your_side={
        ADMIN: _("Only the administrators of the enterprise may decide on a request to join it."),
        REQUESTER: _("Only the person who asked may withdraw the request."),
    },
    actions={
        "approve": action(
            J.APPROVED,
            sources=[J.PENDING],
            by=ADMIN,
            label=_("Approve"),
            done=_("%(user)s is now a member of %(enterprise)s."),
            notice=(
                _("Your request to join %(enterprise)s was approved"),
                _("You are now a member of %(enterprise)s."),
            ),
        ),
        "decline": action(
            J.DECLINED,
            sources=[J.PENDING],
            by=ADMIN,
            label=_("Decline"),
            form=NoteForm,
            done=_("The request of %(user)s has been declined."),
            notice=(_("Your request to join %(enterprise)s was declined"), _("%(note)s")),
        ),
        "withdraw": action(
            J.WITHDRAWN,
            sources=[J.PENDING],
            by=REQUESTER,
            label=_("Withdraw"),
            done=_("Your request to join %(enterprise)s has been withdrawn."),
        ),
    },
)
