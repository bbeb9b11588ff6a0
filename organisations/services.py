"""Writes for organisations: members' roles, removing and leaving,
invitations (sent, accepted, revoked, expired), and the organisations a
regulator brings in (an institution with its first administrator, a park).

An organisation always keeps an administrator: the last one can neither be
removed, nor demoted, nor leave."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import SecurityEvent, User
from accounts.selectors import regulator_jurisdiction
from accounts.services import notification_send, security_event_record, user_create
from core.exceptions import Conflict
from core.models import Membership, Province
from organisations.models import Invitation
from organisations.registry import INSTITUTION, KINDS, Kind
from organisations.selectors import is_admin, may_invite
from organisations.workflows import INVITATION
from parks.models import Park
from parks.services import park_create
from products.models import Institution
from products.services import institution_create

ADMIN = Membership.Role.ADMIN
LAST_ADMIN = "last_admin"


def _last_admin_error() -> Conflict:
    return Conflict(
        _(
            "An organisation needs at least one administrator. Make another member "
            "an administrator first."
        ),
        code=LAST_ADMIN,
    )


def _locked_memberships(kind: Kind, organisation: Any) -> list[Membership]:
    """The organisation's memberships under lock, so two changes at once
    cannot both take away the last administrator."""
    return list(kind.memberships(organisation).select_for_update().order_by("pk"))


def _ensure_admin(kind: Kind, organisation: Any, actor: User) -> None:
    if not is_admin(kind=kind, organisation=organisation, user=actor):
        raise PermissionDenied(_("Only the organisation's administrators may do this."))


def _email_of(membership: Membership) -> str:
    """The member's address (every concrete membership has a `user`)."""
    concrete: Any = membership
    return str(concrete.user.email)


def _log(kind: str, *, actor: User, organisation: Any, detail: str = "") -> None:
    """A line of the organisation's security log (and the actor's)."""
    security_event_record(user=actor, kind=kind, organisation=organisation, detail=detail)


def _other_admins(memberships: list[Membership], membership: Membership) -> int:
    return sum(1 for m in memberships if m.role == ADMIN and m.pk != membership.pk)


@transaction.atomic
def membership_set_role(
    *, kind: Kind, organisation: Any, membership: Membership, role: str, actor: User
) -> Membership:
    """Make a member an administrator or a plain member."""
    _ensure_admin(kind, organisation, actor)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose administrator or member.")})
    memberships = {m.pk: m for m in _locked_memberships(kind, organisation)}
    locked = memberships.get(membership.pk)
    if locked is None:
        raise PermissionDenied(_("This person is not a member of the organisation."))
    if locked.role == role:
        return locked
    if role != ADMIN and not _other_admins(list(memberships.values()), locked):
        raise _last_admin_error()
    before = locked.role
    locked.role = role
    locked.save(update_fields=["role"])
    _log(
        SecurityEvent.Kind.ROLE_CHANGED,
        actor=actor,
        organisation=organisation,
        detail=f"{_email_of(locked)}: {before} → {role}",
    )
    return locked


@transaction.atomic
def membership_remove(
    *, kind: Kind, organisation: Any, membership: Membership, actor: User
) -> None:
    """An administrator takes a member out of the organisation."""
    _ensure_admin(kind, organisation, actor)
    memberships = _locked_memberships(kind, organisation)
    locked = next((m for m in memberships if m.pk == membership.pk), None)
    if locked is None:
        raise PermissionDenied(_("This person is not a member of the organisation."))
    if locked.role == ADMIN and not _other_admins(memberships, locked):
        raise _last_admin_error()
    _log(
        SecurityEvent.Kind.MEMBER_REMOVED,
        actor=actor,
        organisation=organisation,
        detail=_email_of(locked),
    )
    locked.delete()


@transaction.atomic
def membership_leave(*, kind: Kind, organisation: Any, actor: User) -> None:
    """The actor leaves the organisation."""
    memberships = _locked_memberships(kind, organisation)
    own = next((m for m in memberships if getattr(m, "user_id", None) == actor.pk), None)
    if own is None:
        raise PermissionDenied(_("You are not a member of this organisation."))
    if own.role == ADMIN and not _other_admins(memberships, own):
        raise _last_admin_error()
    _log(
        SecurityEvent.Kind.MEMBER_REMOVED,
        actor=actor,
        organisation=organisation,
        detail=f"{actor.email}: left",
    )
    own.delete()


# --- invitations


def _add_member(kind: Kind, organisation: Any, user: User, role: str) -> Membership:
    """The user's membership, made or raised to the invited role."""
    membership, created = kind.membership._default_manager.get_or_create(
        **{"user": user, kind.field: organisation}, defaults={"role": role}
    )
    if not created and role == ADMIN and membership.role != ADMIN:
        membership.role = ADMIN
        membership.save(update_fields=["role"])
    return membership


def _check_rate(actor: User) -> None:
    limit = settings.IPFIN_INVITATIONS_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    if Invitation.objects.filter(invited_by=actor, created_at__gte=since).count() >= limit:
        raise ValidationError(
            _("You have sent %(limit)s invitations in the last hour. Try again later.")
            % {"limit": limit},
            code="throttled",
        )


@transaction.atomic
def invitation_send(
    *,
    kind: Kind,
    organisation: Any,
    email: str,
    actor: User,
    role: str = Membership.Role.MEMBER,
    language: str = "zh-hans",
) -> Invitation:
    """Invite an email address into the organisation; the mail goes once the
    transaction commits, in the invitee's language (their own when they have
    an account)."""
    from organisations.tasks import send_invitation_email

    if not may_invite(kind=kind, organisation=organisation, user=actor):
        raise PermissionDenied(_("You may not invite people into this organisation."))
    email = User.objects.normalize_email(email.strip()).lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose administrator or member.")})
    if kind.memberships(organisation).filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    if Invitation.objects.filter(
        kind=kind.key, organisation_id=organisation.pk, email=email, status=Invitation.Status.SENT
    ).exists():
        raise ValidationError(
            {
                "email": _(
                    "An invitation to this address is already open. Revoke it to send another."
                )
            }
        )
    _check_rate(actor)
    existing = User.objects.filter(email__iexact=email).first()
    invitation = Invitation(
        kind=kind.key,
        organisation_id=organisation.pk,
        email=email,
        role=role,
        language=existing.language if existing else language,
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.IPFIN_INVITATION_DAYS),
    )
    invitation.full_clean()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as taken:
        raise ValidationError(
            {"email": _("An invitation to this address is already open.")}
        ) from taken
    INVITATION.created(invitation, actor=actor)
    _log(
        SecurityEvent.Kind.INVITATION_SENT,
        actor=actor,
        organisation=organisation,
        detail=f"{email} ({role})",
    )
    transaction.on_commit(lambda: send_invitation_email.delay(invitation.pk))
    return invitation


def _name_in_reader_language(organisation: Any) -> Any:
    """The organisation's name, read in whatever language the notice is written in."""
    return lazy(lambda: organisation.name, str)()


@INVITATION.performs("accept")
@transaction.atomic
def invitation_accept(*, invitation: Invitation, actor: User) -> Invitation:
    """The invitee, signed in, joins the organisation with the invited role."""
    with INVITATION.move(invitation, action="accept", actor=actor) as change:
        locked = change.obj
        if locked.expires_at <= timezone.now():
            raise Conflict(_("This invitation has expired. Ask for a new one."), code="expired")
        kind = KINDS[locked.kind]
        organisation = kind.get(locked.organisation_id)
        _add_member(kind, organisation, actor, locked.role)
        change.set(accepted_by=actor, accepted_at=timezone.now())
        _log(
            SecurityEvent.Kind.INVITATION_ACCEPTED,
            actor=actor,
            organisation=organisation,
            detail=f"{locked.email} ({locked.role})",
        )
        inviter = locked.invited_by
        if inviter is not None and inviter.pk != actor.pk:
            notification_send(
                recipients=[inviter],
                kind="invitation-accepted",
                subject=gettext_lazy("%(person)s accepted your invitation to %(organisation)s"),
                params={
                    "person": str(actor),
                    "organisation": _name_in_reader_language(organisation),
                },
                link=reverse("organisations:members", args=[kind.key, organisation.pk]),
            )
    return change.obj


def _account_create(*, email: str, password: str, full_name: str, language: str) -> User:
    """A new account for an invitee. The invitation link reached this address,
    so the address counts as verified."""
    return user_create(
        email=email, password=password, full_name=full_name, language=language, verified=True
    )


@transaction.atomic
def invitation_accept_with_account(
    *, invitation: Invitation, password: str, full_name: str
) -> tuple[Invitation, User]:
    """An invitee without an account sets a name and a password, gets an
    account under the invited address and accepts."""
    full_name = full_name.strip()
    errors: dict[str, list[str]] = {}
    if not full_name:
        errors["full_name"] = [_("Enter your full name.")]
    if User.objects.filter(email__iexact=invitation.email).exists():
        errors["email"] = [_("An account with this email address exists. Sign in to accept.")]
    user = User(email=invitation.email, full_name=full_name)
    try:
        validate_password(password, user=user)
    except ValidationError as weak:
        errors["password"] = list(weak.messages)
    if errors:
        raise ValidationError(errors)
    user = _account_create(
        email=invitation.email, password=password, full_name=full_name, language=invitation.language
    )
    return invitation_accept(invitation=invitation, actor=user), user


@INVITATION.performs("revoke")
@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User, note: str = "") -> Invitation:
    with INVITATION.move(invitation, action="revoke", actor=actor, note=note) as change:
        _log(
            SecurityEvent.Kind.INVITATION_REVOKED,
            actor=actor,
            organisation=KINDS[change.obj.kind].get(change.obj.organisation_id),
            detail=change.obj.email,
        )
    return change.obj


@INVITATION.performs("expire")
@transaction.atomic
def invitation_expire(*, invitation: Invitation, actor: User | None = None) -> Invitation:
    with INVITATION.move(invitation, action="expire", actor=actor) as change:
        if change.obj.expires_at > timezone.now():
            raise Conflict(_("This invitation has not expired yet."))
    return change.obj


def invitations_expire_due() -> int:
    """Mark every open invitation past its date expired; how many."""
    due = Invitation.objects.filter(
        status=Invitation.Status.SENT, expires_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    count = 0
    for invitation in Invitation.objects.filter(pk__in=list(due)):
        try:
            invitation_expire(invitation=invitation)
        except Conflict:
            continue  # accepted or revoked meanwhile
        count += 1
    return count


# --- organisations a regulator brings in


@transaction.atomic
def institution_invite(
    *,
    actor: User,
    name_zh: str,
    kind: str,
    licence_number: str,
    province: Province,
    email: str,
    name_en: str = "",
    language: str = "zh-hans",
) -> tuple[Institution, Invitation]:
    """A regulator adds an institution in its jurisdiction and invites its
    first administrator."""
    institution = institution_create(
        actor=actor,
        name_zh=name_zh,
        name_en=name_en,
        kind=kind,
        licence_number=licence_number,
        province=province,
    )
    invitation = invitation_send(
        kind=KINDS[INSTITUTION],
        organisation=institution,
        email=email,
        actor=actor,
        role=ADMIN,
        language=language,
    )
    return institution, invitation


@transaction.atomic
def park_add(*, actor: User, province: Province, **fields: Any) -> Park:
    """A regulator adds a park in its jurisdiction."""
    jurisdiction = regulator_jurisdiction(user=actor)
    if jurisdiction is None:
        raise PermissionDenied(_("Only regulators may add a park."))
    if not jurisdiction.covers(province.pk):
        raise ValidationError(
            {
                "province": _("This province is outside your jurisdiction: %(province)s.")
                % {"province": province.name}
            }
        )
    return park_create(province=province, **fields)
