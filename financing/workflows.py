"""The application and pledge workflows, declared once (docs/workflows.md).

Each action names the statuses it leaves from, the status it reaches, the
side that makes it, its label, the form its input comes in and the notice the
other side receives. The services in `financing.services` make the moves; the
pages, the API and their URLs are built from these declarations."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import User
from core.workflow import SYSTEM, Workflow, action, confirm
from events.access import ORGANISER
from financing import forms
from financing.models import (
    OPEN_STATUSES,
    Actor,
    Application,
    ApplicationStatusChange,
    Contract,
    ContractStatusChange,
    Pledge,
    PledgeStatusChange,
)
from financing.selectors import application_sides, contract_sides

S = Application.Status
ENTERPRISE = Actor.ENTERPRISE.value
INSTITUTION = Actor.INSTITUTION.value


def _sides(application: Application, user: AbstractBaseUser | AnonymousUser) -> set[str]:
    # The workflow knows users as Django's base class; the portal's are all User.
    if not isinstance(user, User):
        return set()
    return application_sides(application=application, user=user)


NOT_YOUR_SIDE: dict[str, Promise] = {
    ENTERPRISE: _("Only the members of the applying enterprise may do this."),
    INSTITUTION: _("Only the officers of the institution offering the product may do this."),
}


def _withdrawal(application: Application) -> dict[str, object]:
    """What withdrawing an application touches: the institution reviewing
    it (not a draft's, which it never saw) and the pledges it proposed."""
    return {
        "number": application.pk,
        "institution": application.product.institution.name,
        "product": application.product.name,
        "submitted": application.status != S.DRAFT,
        "pledges": application.pledges.filter(status=Pledge.Status.PROPOSED).count(),
    }


APPLICATION: Workflow[Application] = Workflow(
    name="application",
    model=Application,
    history=ApplicationStatusChange,
    subject="application",
    initial=[S.DRAFT],
    sides=_sides,
    lock_related=("enterprise", "product__institution"),
    refusal=_("“%(action)s” is not possible while the application is “%(status)s”."),
    not_your_side=NOT_YOUR_SIDE,
    actions={
        "submit": action(
            S.SUBMITTED,
            sources=[S.DRAFT],
            by=ENTERPRISE,
            label=_("Submit"),
            form=forms.NoteForm,
            notice=(
                _("New application #%(number)s from %(enterprise)s"),
                _("%(enterprise)s applies for %(amount)s over %(term)s months to %(product)s."),
            ),
        ),
        "take-for-review": action(
            S.UNDER_REVIEW,
            sources=[S.SUBMITTED],
            by=INSTITUTION,
            label=_("Take for review"),
            form=forms.NoteForm,
            notice=(
                _("Application #%(number)s is under review"),
                _("%(institution)s has started to review your application to %(product)s."),
            ),
        ),
        "request-info": action(
            S.INFO_REQUESTED,
            sources=[S.UNDER_REVIEW],
            by=INSTITUTION,
            label=_("Request information"),
            form=forms.RequiredNoteForm,
            notice=(
                _("Application #%(number)s: more information requested"),
                _("%(institution)s asks about your application to %(product)s: %(note)s"),
            ),
        ),
        "answer-info": action(
            S.UNDER_REVIEW,
            sources=[S.INFO_REQUESTED],
            by=ENTERPRISE,
            label=_("Answer"),
            form=forms.AnswerForm,
            notice=(
                _("Application #%(number)s: %(enterprise)s answered"),
                _("%(enterprise)s answers: %(note)s"),
            ),
        ),
        "approve": action(
            S.APPROVED,
            sources=[S.UNDER_REVIEW],
            by=INSTITUTION,
            label=_("Approve"),
            form=forms.ApproveForm,
            notice=(
                _("Application #%(number)s approved"),
                _("%(institution)s approved %(approved)s of the %(amount)s you asked for."),
            ),
        ),
        "reject": action(
            S.REJECTED,
            sources=[S.UNDER_REVIEW],
            by=INSTITUTION,
            label=_("Reject"),
            form=forms.RejectForm,
            notice=(
                _("Application #%(number)s rejected"),
                _(
                    "%(institution)s rejected your application to %(product)s.\n"
                    "Reason: %(note)s\n%(alternatives)s"
                ),
            ),
        ),
        "withdraw": action(
            S.WITHDRAWN,
            sources=OPEN_STATUSES,
            by=ENTERPRISE,
            label=_("Withdraw"),
            form=forms.NoteForm,
            notice=(
                _("Application #%(number)s withdrawn"),
                _("%(enterprise)s withdrew its application to %(product)s."),
            ),
            confirm=confirm(
                (
                    "submitted",
                    _(
                        "%(institution)s stops reviewing application #%(number)s to "
                        "%(product)s and is told that you withdrew it."
                    ),
                ),
                (
                    "pledges",
                    ngettext_lazy(
                        "The %(pledges)d IP asset proposed as pledge is released: "
                        "you may pledge it in another application.",
                        "The %(pledges)d IP assets proposed as pledges are released: "
                        "you may pledge them in other applications.",
                        "pledges",
                    ),
                ),
                _("A withdrawn application cannot be reopened; to borrow, apply again."),
                params=_withdrawal,
            ),
        ),
        "sign-contract": action(
            S.CONTRACT_SIGNED,
            sources=[S.APPROVED],
            by=INSTITUTION,
            label=_("Sign the contract"),
            form=forms.SignContractForm,
            notice=(
                _("Application #%(number)s: contract signed"),
                _(
                    "Loan contract %(reference)s for %(contract_amount)s was signed on "
                    "%(signed_on)s."
                ),
            ),
        ),
        "register-pledge": action(
            S.PLEDGE_REGISTERED,
            sources=[S.CONTRACT_SIGNED],
            by=INSTITUTION,
            label=_("Register the pledge"),
            form=forms.RegisterPledgeForm,
            notice=(
                _("Application #%(number)s: pledge registered"),
                _("The pledge was registered under number %(registration_number)s."),
            ),
        ),
        "disburse": action(
            S.DISBURSED,
            sources=[S.PLEDGE_REGISTERED],
            by=INSTITUTION,
            label=_("Disburse"),
            form=forms.DisburseForm,
            notice=(
                _("Application #%(number)s: loan disbursed"),
                _("%(disbursed)s was disbursed on %(disbursed_on)s."),
            ),
        ),
        "close": action(
            S.CLOSED,
            sources=[S.DISBURSED],
            by=INSTITUTION,
            label=_("Close"),
            form=forms.NoteForm,
            notice=(
                _("Application #%(number)s closed"),
                _("The loan is closed and the pledged IP released."),
            ),
        ),
    },
)

P = Pledge.Status

# A pledge follows its application: the application's service has checked
# who acts, and its actor is written on the pledge's history too.
PLEDGE: Workflow[Pledge] = Workflow(
    name="pledge",
    model=Pledge,
    history=PledgeStatusChange,
    subject="pledge",
    initial=[P.PROPOSED],
    refusal=_("“%(action)s” is not possible while the pledge is “%(status)s”."),
    actions={
        "activate": action(
            P.ACTIVE, sources=[P.PROPOSED], by=SYSTEM, label=_("Register the pledge")
        ),
        "drop": action(P.DROPPED, sources=[P.PROPOSED], by=SYSTEM, label=_("Drop")),
        "release": action(P.RELEASED, sources=[P.ACTIVE], by=SYSTEM, label=_("Release")),
    },
)

C = Contract.Status


def _contract_sides(contract: Contract, user: AbstractBaseUser | AnonymousUser) -> set[str]:
    if not isinstance(user, User):  # (the workflow knows users as Django's base class)
        return set()
    return contract_sides(contract=contract, user=user)


# A contract or intention agreement recorded at an event by mistake is voided
# by the event's organisers or the institution's officers, with the reason;
# it stays on record and counts in no figure.
CONTRACT: Workflow[Contract] = Workflow(
    name="contract",
    model=Contract,
    history=ContractStatusChange,
    subject="contract",
    initial=[C.SIGNED],
    sides=_contract_sides,
    lock_related=("event", "institution", "enterprise"),
    refusal=_("“%(action)s” is not possible while the contract is “%(status)s”."),
    not_your_side={
        ORGANISER: _("Only the event's organisers and the institution's officers may do this."),
        INSTITUTION: _("Only the event's organisers and the institution's officers may do this."),
    },
    actions={
        "void": action(
            C.VOID,
            sources=[C.SIGNED],
            by=[ORGANISER, INSTITUTION],
            label=_("Void: recorded by mistake"),
            form=forms.RequiredNoteForm,
            notice=(
                _("Voided: %(kind)s %(reference)s"),
                _(
                    "%(kind)s %(reference)s recorded at “%(event)s” was voided as "
                    "recorded by mistake. Reason: %(reason)s"
                ),
            ),
            confirm=confirm(
                _(
                    "%(kind)s %(reference)s stays on record but counts in no figure of "
                    "“%(event)s”, its campaign or the dashboards."
                ),
                _(
                    "The members of %(enterprise)s and the officers of %(institution)s "
                    "are told, with your reason."
                ),
                _("A voided contract cannot be restored."),
                params=lambda contract: {
                    "kind": contract.get_kind_display(),
                    "reference": contract.reference,
                    "event": contract.event.title if contract.event else "",
                    "enterprise": contract.enterprise.name,
                    "institution": contract.institution.name,
                },
            ),
        ),
    },
)
