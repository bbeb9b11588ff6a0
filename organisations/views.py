"""Pages: my organisations, an organisation's members and invitations, the
invitation link, and what regulators add (an institution with its first
administrator, a park)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import security_events_for_organisation
from core.auth import signed_in
from core.exceptions import Conflict
from core.forms import show_service_errors
from core.http import methods
from organisations import services
from organisations.forms import InstitutionInviteForm, InviteForm, JoinForm, ParkForm, RoleForm
from organisations.models import Invitation
from organisations.registry import KINDS, Kind, kind_of
from organisations.selectors import (
    invitation_by_token,
    invitation_visible,
    invitations_for,
    is_admin,
    may_invite,
    may_see_members,
    members_of,
    membership_of,
    offices_without_admin,
    open_invitations,
    open_invitations_sent_by,
    organisation_of,
    organisations_of,
    provinces_governed,
    with_organisations,
)
from organisations.workflows import INVITATION

SECURITY_LOG_ROWS = 20


def _members_url(kind: Kind, organisation: Any) -> str:
    return reverse("organisations:members", args=[kind.key, organisation.pk])


@methods("GET")
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    rows = [
        {"belonging": row, "admin": row.membership.role == "admin"}
        for row in organisations_of(user=user)
    ]
    invitations = with_organisations(list(invitations_for(user=user)))
    governed = provinces_governed(user=user).exists()
    return render(
        request,
        "organisations/mine.html",
        {
            "rows": rows,
            "invitations": invitations,
            "governs": governed,
            "sent": open_invitations_sent_by(user=user),
            "now": timezone.now(),
            "offices": list(offices_without_admin()) if user.is_staff else [],
        },
    )


def _members_page(
    request: HttpRequest, kind: Kind, organisation: Any, invite_form: InviteForm | None = None
) -> HttpResponse:
    user = signed_in(request.user)
    if not may_see_members(kind=kind, organisation=organisation, user=user):
        raise PermissionDenied(_("Only the organisation's members may see its members."))
    admin = is_admin(kind=kind, organisation=organisation, user=user)
    inviter = may_invite(kind=kind, organisation=organisation, user=user)
    return render(
        request,
        "organisations/members.html",
        {
            "kind": kind,
            "organisation": organisation,
            "members": members_of(kind=kind, organisation=organisation),
            "invitations": [
                (invitation, organisation)
                for invitation in open_invitations(kind=kind, organisation=organisation)
            ]
            if inviter
            else [],
            "is_admin": admin,
            "may_invite": inviter,
            "own": membership_of(kind=kind, organisation=organisation, user=user),
            "invite_form": invite_form or (InviteForm() if inviter else None),
            "role_form": RoleForm,
            "now": timezone.now(),
            # Its administrators and the platform operator read its security log.
            "security_log": security_events_for_organisation(
                organisation._meta.model_name, organisation.pk
            )[:SECURITY_LOG_ROWS]
            if admin or user.is_staff
            else None,
        },
    )


@methods("GET")
@login_required
def members(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    organisation_kind = kind_of(kind)
    return _members_page(request, organisation_kind, organisation_kind.get(pk))


@login_required
@methods("POST")
def invite(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = signed_in(request.user)
    organisation_kind = kind_of(kind)
    organisation = organisation_kind.get(pk)
    if not may_invite(kind=organisation_kind, organisation=organisation, user=user):
        raise PermissionDenied(_("You may not invite people into this organisation."))
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_send(
                kind=organisation_kind, organisation=organisation, actor=user, **form.cleaned_data
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect(_members_url(organisation_kind, organisation))
    return _members_page(request, organisation_kind, organisation, invite_form=form)


def _administered_member(user: User, kind: str, pk: int, member: int) -> tuple[Kind, Any, Any]:
    """The organisation's kind, the organisation and one of its memberships,
    for one of its administrators; 403 for anyone else, 404 for no such member."""
    organisation_kind = kind_of(kind)
    organisation = organisation_kind.get(pk)
    if not is_admin(kind=organisation_kind, organisation=organisation, user=user):
        raise PermissionDenied(_("Only the organisation's administrators may do this."))
    membership = organisation_kind.memberships(organisation).filter(pk=member).first()
    if membership is None:
        raise Http404
    return organisation_kind, organisation, membership


@login_required
@methods("POST")
def change_role(request: HttpRequest, kind: str, pk: int, member: int) -> HttpResponse:
    user = signed_in(request.user)
    organisation_kind, organisation, membership = _administered_member(user, kind, pk, member)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose administrator or member."))
    else:
        try:
            services.membership_set_role(
                kind=organisation_kind,
                organisation=organisation,
                membership=membership,
                role=form.cleaned_data["role"],
                actor=user,
            )
        except Conflict as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, _("%(member)s's role is changed.") % {"member": membership.user}
            )
    return redirect(_members_url(organisation_kind, organisation))


@login_required
@methods("POST")
def remove(request: HttpRequest, kind: str, pk: int, member: int) -> HttpResponse:
    user = signed_in(request.user)
    organisation_kind, organisation, membership = _administered_member(user, kind, pk, member)
    try:
        services.membership_remove(
            kind=organisation_kind, organisation=organisation, membership=membership, actor=user
        )
    except Conflict as refused:
        messages.error(request, str(refused))
        return redirect(_members_url(organisation_kind, organisation))
    messages.success(request, _("%(member)s is no longer a member.") % {"member": membership.user})
    if membership.user_id == user.pk:
        return redirect("organisations:mine")
    return redirect(_members_url(organisation_kind, organisation))


@login_required
@methods("POST")
def leave(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = signed_in(request.user)
    organisation_kind = kind_of(kind)
    organisation = organisation_kind.get(pk)
    try:
        services.membership_leave(kind=organisation_kind, organisation=organisation, actor=user)
    except Conflict as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("You have left %(name)s.") % {"name": organisation.name})
    return redirect("organisations:mine")


@login_required
@methods("POST")
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request.user)
    invitation = invitation_visible(pk=pk, user=user)
    try:
        services.invitation_revoke(invitation=invitation, actor=user)
    except Conflict as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, INVITATION.done_message(invitation, "revoke"))
    kind = KINDS[invitation.kind]
    return redirect(_members_url(kind, organisation_of(invitation)))


@methods("GET", "POST")
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the mail: an invitee with an account accepts; one without
    sets a name and a password and gets an account."""
    invitation = invitation_by_token(token)
    context: dict[str, Any] = {"invitation": invitation, "token": token}
    if invitation is None:
        return render(request, "organisations/join.html", context, status=404)
    kind = KINDS[invitation.kind]
    organisation = organisation_of(invitation)
    context.update(kind=kind, organisation=organisation)
    open_ = invitation.status == Invitation.Status.SENT and invitation.expires_at > timezone.now()
    context["open"] = open_
    if not open_:
        return render(request, "organisations/join.html", context, status=410)
    user = request.user
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    context["has_account"] = has_account
    if user.is_authenticated:
        context["wrong_account"] = user.email.lower() != invitation.email
        if request.method == "POST" and not context["wrong_account"]:
            try:
                services.invitation_accept(invitation=invitation, actor=signed_in(user))
            except (Conflict, PermissionDenied) as refused:
                messages.error(request, str(refused))
                return redirect("organisations:join", token=token)
            messages.success(request, _("Welcome to %(name)s.") % {"name": organisation.name})
            return redirect(_members_url(kind, organisation))
        return render(request, "organisations/join.html", context)
    if has_account:
        return render(request, "organisations/join.html", context)
    form = JoinForm(request.POST or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            _accepted, new_user = services.invitation_accept_with_account(
                invitation=invitation,
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        except Conflict as refused:
            messages.error(request, str(refused))
            return redirect("organisations:join", token=token)
        else:
            login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(name)s.") % {"name": organisation.name})
            return redirect(_members_url(kind, organisation))
    return render(request, "organisations/join.html", context)


@methods("GET", "POST")
@login_required
def institution_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    provinces = provinces_governed(user=user)
    if not provinces.exists():
        raise PermissionDenied(_("Only regulators may add an institution."))
    form = InstitutionInviteForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        try:
            institution, invitation = services.institution_invite(actor=user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is added and its administrator %(email)s is invited.")
                % {"name": institution.name, "email": invitation.email},
            )
            return redirect(_members_url(KINDS["institution"], institution))
    return render(request, "organisations/institution_form.html", {"form": form})


@methods("GET", "POST")
@login_required
def park_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request.user)
    provinces = provinces_governed(user=user)
    if not provinces.exists():
        raise PermissionDenied(_("Only regulators may add a park."))
    form = ParkForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ParkForm.Meta.fields}
        try:
            park = services.park_add(actor=user, **fields)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is added. Invite its managers now.") % {"name": park.name}
            )
            return redirect(_members_url(KINDS["park"], park))
    return render(request, "organisations/park_form.html", {"form": form})
