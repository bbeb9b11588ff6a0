"""Writes for the application workflow (docs/workflows.md): one service per move.

Every move goes through `_transition`, which is the declared workflow's
`move()` (financing.workflows.APPLICATION) plus what every application move
shares: the cached list counts go stale and the other side is told. A refused
move raises Conflict (PermissionDenied for the wrong party, ValidationError
for bad input) and, the transaction rolled back, changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import notification_send
from core.cache import next_version_on_commit
from core.exceptions import Conflict
from core.templatetags.money import yuan
from core.workflow import Change
from enterprises.models import Enterprise, EnterpriseMembership, IPAsset
from enterprises.services import require_verified
from events.access import can_organise
from events.figures import event_figures_changed
from events.meeting_selectors import ACTIVE_REGISTRATION, active_registration
from events.meeting_services import meeting_record_outcome
from events.models import Event, Meeting, Registration
from financing.documents import CONTENT_TYPES, check_documents, extension_of
from financing.models import (
    Actor,
    Application,
    ApplicationDocument,
    Contract,
    Pledge,
    RepaymentMethod,
)
from financing.selectors import (
    APPLICATIONS_VERSION_KEY,
    eligible_assets,
    open_applications_to,
    pledge_capacity,
)
from financing.workflows import APPLICATION, CONTRACT, NOT_YOUR_SIDE, PLEDGE
from matching.selectors import referral_for
from products.models import MAX_RATE, Institution, InstitutionMembership, Product

_S = Application.Status
ZERO = Decimal("0")


def _later(make: Callable[[], str]) -> str:
    """A text made when a notification is rendered, so in each recipient's
    language (names, amounts and labels read differently in Chinese): a lazy
    proxy, typed as the text it stands for."""
    return lazy(make, str)()


def _other_side(application: Application, by: str) -> Iterable[User]:
    if by == Actor.ENTERPRISE:
        return User.objects.filter(
            institution_memberships__institution_id=application.product.institution_id
        )
    return User.objects.filter(enterprise_memberships__enterprise_id=application.enterprise_id)


def _notify(*, application: Application, action: str, note: str, params: dict[str, Any]) -> None:
    subject, body = APPLICATION.actions[action].notice or ("", "")
    with translation.override(settings.LANGUAGE_CODE):  # links without a language prefix
        link = reverse("financing:detail", args=[application.pk])
    notification_send(
        recipients=_other_side(application, next(iter(APPLICATION.actions[action].by))),
        kind=f"application-{action}",
        subject=subject,
        body=body,
        params={
            "number": application.pk,
            "enterprise": _later(lambda: application.enterprise.name),
            "institution": _later(lambda: application.product.institution.name),
            "product": _later(lambda: application.product.name),
            "amount": _later(lambda: yuan(application.amount_requested)),
            "term": application.term_months,
            "note": note,
            **params,
        },
        link=link,
    )


PRODUCT_WITHDRAWN_NOTICE = (
    _("%(product)s was withdrawn from the catalogue"),
    _(
        "%(institution)s has withdrawn %(product)s from the catalogue. Your application "
        "#%(number)s to it is still open: you may go on with it or withdraw it.%(note)s"
    ),
)


def applications_tell_product_withdrawn(*, product: Product, actor: User, note: str = "") -> int:
    """Tell the members of each enterprise whose application to the product is
    still open that the product was withdrawn (the answer to
    `products.signals.product_withdrawn`, financing/receivers.py); returns
    how many applications were concerned."""
    applications = list(open_applications_to(product=product))
    for application in applications:
        _tell_product_withdrawn(application=application, note=note)
    return len(applications)


def _tell_product_withdrawn(*, application: Application, note: str) -> None:
    subject, body = PRODUCT_WITHDRAWN_NOTICE
    with translation.override(settings.LANGUAGE_CODE):  # links without a language prefix
        link = reverse("financing:detail", args=[application.pk])
    notification_send(
        recipients=User.objects.filter(
            enterprise_memberships__enterprise_id=application.enterprise_id
        ),
        kind="application-product-withdrawn",
        subject=subject,
        body=body,
        params={
            "number": application.pk,
            "institution": _later(lambda: application.product.institution.name),
            "product": _later(lambda: application.product.name),
            "note": _later(lambda: "\n" + _("Their note: %(note)s") % {"note": note})
            if note
            else "",
        },
        link=link,
    )


def application_check_side(*, application: Application, actor: User, action: str) -> None:
    """PermissionDenied unless the actor acts for the side that makes this move."""
    APPLICATION.check_side(application, actor, action)


@contextmanager
def _transition(
    *, application: Application, actor: User, action: str, note: str = ""
) -> Iterator[Change[Application]]:
    """An application move: the workflow's own steps, then the cached list
    counts go stale and the other side is told."""
    with APPLICATION.move(application, action=action, actor=actor, note=note) as change:
        yield change
        next_version_on_commit(APPLICATIONS_VERSION_KEY)  # cached list counts go stale
        # A draft withdrawn before it was submitted was never the bank's business.
        if change.from_status != _S.DRAFT or action != "withdraw":
            _notify(application=change.obj, action=action, note=note, params=change.params)


@PLEDGE.performs("activate")
def pledge_activate(*, pledge: Pledge, actor: User) -> Pledge:
    """The pledge is registered: its asset now secures the loan. The database
    refuses a second active pledge of the same asset (IntegrityError)."""
    with PLEDGE.move(pledge, action="activate", actor=actor, check_side=False) as change:
        change.set(activated_at=timezone.now())
    return change.obj


@PLEDGE.performs("drop")
def pledge_drop(*, pledge: Pledge, actor: User) -> Pledge:
    """A proposed pledge the application no longer needs."""
    with PLEDGE.move(pledge, action="drop", actor=actor, check_side=False) as change:
        pass
    return change.obj


@PLEDGE.performs("release")
def pledge_release(*, pledge: Pledge, actor: User) -> Pledge:
    """The loan is done: the asset is free again."""
    with PLEDGE.move(pledge, action="release", actor=actor, check_side=False) as change:
        change.set(released_at=timezone.now())
    return change.obj


def _move_pledges(*, application: Application, actor: User, action: str, status: str) -> None:
    """The application's pledges in `status` follow its move; the
    application's service has checked who acts."""
    service = PLEDGE.service(action)
    for pledge in Pledge.objects.filter(application=application, status=status):
        service(pledge=pledge, actor=actor)


def _require(text: str, *, field: str, message: Promise) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def _positive(amount: Decimal, *, field: str = "amount") -> None:
    if amount <= ZERO:
        raise ValidationError({field: _("Enter an amount above zero.")})


def _not_in_future(day: dt.date, *, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _not_before_contract(day: dt.date, contract: Contract, *, field: str) -> None:
    if day < contract.signed_on:
        raise ValidationError(
            {
                field: _("The date cannot precede the contract's, %(date)s.")
                % {"date": contract.signed_on}
            }
        )


def _check_terms(
    *,
    product: Product,
    interest_rate: Decimal | None,
    term_months: int | None,
    repayment_method: str,
) -> None:
    """The terms of a loan as a bank decides or signs them: a rate of 0 to
    36 % a year, a term of at least a month and at most the product's, a
    repayment method of those the portal knows. A term left out is not checked."""
    errors: dict[str, Any] = {}
    if interest_rate is not None and not ZERO <= interest_rate <= MAX_RATE:
        errors["interest_rate"] = _("The annual interest rate is between 0 and %(max)s%%.") % {
            "max": MAX_RATE
        }
    if term_months is not None and not 1 <= term_months <= product.term_max_months:
        errors["term_months"] = _("The term is 1 to %(max)s months (the product's longest).") % {
            "max": product.term_max_months
        }
    if repayment_method and repayment_method not in RepaymentMethod.values:
        errors["repayment_method"] = _("Choose a repayment method from the list.")
    if errors:
        raise ValidationError(errors)


def _contract_of(application: Application) -> Contract:
    try:
        return application.contract
    except Contract.DoesNotExist:
        raise Conflict(
            _("No contract is recorded for this application."), code="no_contract"
        ) from None


# --- create


@transaction.atomic
def application_create(
    *,
    enterprise: Enterprise,
    product: Product,
    actor: User,
    amount_requested: Decimal,
    term_months: int,
    asset_ids: Iterable[int],
    purpose: str = "",
    source_registration: Registration | None = None,
    from_intention: Contract | None = None,
    submit: bool = False,
) -> Application:
    """A draft application pledging the enterprise's chosen IP assets; with
    `submit`, submitted at once in the same transaction."""
    if not EnterpriseMembership.objects.filter(user=actor, enterprise=enterprise).exists():
        raise PermissionDenied(NOT_YOUR_SIDE[Actor.ENTERPRISE])
    if product.status != Product.Status.PUBLISHED:
        raise ValidationError({"product": _("This product is not open for applications.")})

    errors: dict[str, Any] = {}
    if not product.amount_min <= amount_requested <= product.amount_max:
        errors["amount_requested"] = _("The product lends between %(min)s and %(max)s.") % {
            "min": yuan(product.amount_min),
            "max": yuan(product.amount_max),
        }
    if not product.term_min_months <= term_months <= product.term_max_months:
        errors["term_months"] = _("The product's term is %(min)s to %(max)s months.") % {
            "min": product.term_min_months,
            "max": product.term_max_months,
        }
    wanted = set(asset_ids)
    # Locked, so the enterprise cannot change or delete an asset while it is being pledged.
    assets = list(
        eligible_assets(enterprise_id=enterprise.pk, product=product)
        .filter(pk__in=wanted)
        .select_for_update(of=("self",))
    )
    if not wanted:
        errors["asset_ids"] = _("Choose at least one IP asset to pledge.")
    elif refused := wanted - {asset.pk for asset in assets}:
        # Name only the enterprise's own assets: others' numbers are not its business.
        own = IPAsset.objects.filter(pk__in=refused, enterprise=enterprise)
        numbers = ", ".join(sorted(own.values_list("number", flat=True))) or "—"
        errors["asset_ids"] = _(
            "These assets cannot be pledged to this product: %(numbers)s. An asset must be "
            "the enterprise's own, valid, appraised, of a kind the product accepts and not "
            "already pledged."
        ) % {"numbers": numbers}
    if source_registration is not None and source_registration.enterprise_id != enterprise.pk:
        errors["source_registration"] = _("This is not one of the enterprise's registrations.")
    if errors:
        raise ValidationError(errors)

    application = Application(
        enterprise=enterprise,
        product=product,
        institution_id=product.institution_id,
        amount_requested=amount_requested,
        term_months=term_months,
        purpose=purpose.strip(),
        source_registration=source_registration,
        from_intention=from_intention,
        created_by=actor,
        status=_S.DRAFT,
    )
    application.full_clean()
    application.save()
    Pledge.objects.bulk_create(
        Pledge(application=application, asset=asset, value_at_pledge=asset.appraised_value)
        for asset in assets
    )
    for pledge in application.pledges.all():
        PLEDGE.created(pledge, actor=actor)
    APPLICATION.created(application, actor=actor)
    next_version_on_commit(APPLICATIONS_VERSION_KEY)  # cached list counts go stale
    if submit:
        return application_submit(application=application, actor=actor)
    return application


# --- the enterprise's moves


@APPLICATION.performs("submit")
@transaction.atomic
def application_submit(*, application: Application, actor: User, note: str = "") -> Application:
    with _transition(application=application, actor=actor, action="submit", note=note) as change:
        require_verified(enterprise=change.obj.enterprise, doing=_("apply for financing"))
        if change.obj.product.status != Product.Status.PUBLISHED:
            raise Conflict(
                _("The product is no longer open for applications."), code="product_closed"
            )
        change.set(submitted_at=timezone.now())
    return change.obj


@APPLICATION.performs("answer-info")
def application_answer_info(
    *, application: Application, actor: User, note: str, documents: Iterable[Any] = ()
) -> Application:
    """Answer the bank's request for information, with documents if asked
    (financing.documents: their types, sizes and number). The answer and its
    files are one: a refused file or a failed move keeps nothing, and a file
    already stored is deleted again."""
    # Who answers, before what they sent is looked at.
    APPLICATION.check_side(application, actor, "answer-info")
    note = _require(note, field="note", message=_("Write your answer."))
    try:
        uploads = check_documents(documents)
    except ValidationError as error:
        raise ValidationError({"documents": error.error_list}) from None
    stored: list[FieldFile] = []
    try:
        with transaction.atomic():
            with _transition(
                application=application, actor=actor, action="answer-info", note=note
            ) as c:
                pass
            answer = c.obj.history.order_by("-pk").first()
            for upload in uploads:
                document = ApplicationDocument(
                    application=c.obj,
                    status_change=answer,
                    original_name=PurePath(upload.name or "").name[:255],
                    size=upload.size,
                    content_type=CONTENT_TYPES[extension_of(upload.name)],
                    uploaded_by=actor,
                )
                document.file.save(upload.name, upload, save=False)
                stored.append(document.file)
                document.save()
    except BaseException:
        for kept in stored:
            if kept.name:
                kept.storage.delete(kept.name)
        raise
    return c.obj


@APPLICATION.performs("withdraw")
@transaction.atomic
def application_withdraw(*, application: Application, actor: User, note: str = "") -> Application:
    """Any time before the contract; the proposed pledges are dropped."""
    with _transition(application=application, actor=actor, action="withdraw", note=note) as c:
        _move_pledges(application=c.obj, actor=actor, action="drop", status=Pledge.Status.PROPOSED)
    return c.obj


# --- the institution's moves


@APPLICATION.performs("take-for-review")
@transaction.atomic
def application_take_for_review(
    *, application: Application, actor: User, note: str = ""
) -> Application:
    with _transition(
        application=application, actor=actor, action="take-for-review", note=note
    ) as c:
        pass
    return c.obj


@APPLICATION.performs("request-info")
@transaction.atomic
def application_request_info(*, application: Application, actor: User, note: str) -> Application:
    note = _require(note, field="note", message=_("Say what information you need."))
    with _transition(application=application, actor=actor, action="request-info", note=note) as c:
        pass
    return c.obj


@APPLICATION.performs("approve")
@transaction.atomic
def application_approve(
    *,
    application: Application,
    actor: User,
    amount: Decimal,
    interest_rate: Decimal | None = None,
    term_months: int | None = None,
    repayment_method: str = "",
    note: str = "",
) -> Application:
    """Approve at most the amount requested, the product's maximum and the
    pledge capacity of the proposed pledges, on the terms decided: the
    annual rate, the term (at most the product's) and the repayment method.
    The pages and the API ask for all three."""
    _positive(amount)
    with _transition(application=application, actor=actor, action="approve", note=note) as c:
        locked = c.obj
        _check_terms(
            product=locked.product,
            interest_rate=interest_rate,
            term_months=term_months,
            repayment_method=repayment_method,
        )
        c.set(
            interest_rate_approved=interest_rate,
            term_months_approved=term_months,
            repayment_method_approved=repayment_method or "",
        )
        ratio = f"{locked.product.max_pledge_ratio.normalize():f}"  # 50.00 reads "50"
        limits = (
            (
                locked.amount_requested,
                "above_requested",
                _("The approved amount %(amount)s is above the amount requested, %(limit)s."),
            ),
            (
                locked.product.amount_max,
                "above_product_maximum",
                _("The approved amount %(amount)s is above the product's maximum of %(limit)s."),
            ),
            (
                pledge_capacity(application=locked),
                "above_pledge_capacity",
                _(
                    "The approved amount %(amount)s is above the pledge capacity of %(limit)s "
                    "(%(ratio)s%% of the appraised value of the pledged IP)."
                ),
            ),
        )
        for limit, code, message in limits:
            if amount > limit:
                raise Conflict(
                    message % {"amount": yuan(amount), "limit": yuan(limit), "ratio": ratio},
                    code=code,
                )
        c.set(amount_approved=amount, decided_at=timezone.now())
        c.params["approved"] = _later(lambda: yuan(amount))
    return c.obj


def _alternatives_text(products: list[Product]) -> str:
    if not products:
        return ""
    lines = [str(_("Other products that may fit:"))]
    lines += [
        f"- {p.name} ({p.institution.name}): {yuan(p.amount_min)} – {yuan(p.amount_max)}"
        for p in products
    ]
    return "\n".join(lines)


@APPLICATION.performs("reject")
@transaction.atomic
def application_reject(*, application: Application, actor: User, reason: str) -> Application:
    """Reject with a reason; the enterprise is told, with up to three other
    products that fit."""
    reason = _require(reason, field="reason", message=_("Give the reason for the rejection."))
    with _transition(application=application, actor=actor, action="reject", note=reason) as c:
        c.set(rejection_reason=reason, decided_at=timezone.now())
        # The referral: the best other products the
        # enterprise is eligible for, for the same amount and term.
        products = [match.product for match in referral_for(application=c.obj)]
        c.params["alternatives"] = _later(lambda: _alternatives_text(products))
    return c.obj


@APPLICATION.performs("sign-contract")
@transaction.atomic
def application_sign_contract(
    *,
    application: Application,
    actor: User,
    amount: Decimal,
    signed_on: dt.date,
    reference: str,
    interest_rate: Decimal | None = None,
    term_months: int | None = None,
    repayment_method: str = "",
    note: str = "",
) -> Application:
    """The loan contract, for at most the approved amount, with the terms
    signed (the page and the API start from the approval's)."""
    _positive(amount)
    reference = _require(reference, field="reference", message=_("Enter the contract number."))
    _not_in_future(signed_on, field="signed_on")
    with _transition(application=application, actor=actor, action="sign-contract", note=note) as c:
        locked = c.obj
        _check_terms(
            product=locked.product,
            interest_rate=interest_rate,
            term_months=term_months,
            repayment_method=repayment_method,
        )
        if locked.amount_approved is None or amount > locked.amount_approved:
            raise Conflict(
                _("The contract amount %(amount)s is above the approved amount, %(limit)s.")
                % {"amount": yuan(amount), "limit": yuan(locked.amount_approved)},
                code="above_approved",
            )
        registration = locked.source_registration
        contract = Contract(
            reference=reference,
            kind=Contract.Kind.LOAN,
            amount=amount,
            interest_rate=interest_rate,
            term_months=term_months,
            repayment_method=repayment_method or "",
            signed_on=signed_on,
            institution=locked.product.institution,
            enterprise=locked.enterprise,
            product=locked.product,
            application=locked,
            registration=registration,
            # A loan that follows an intention signed at the event is not
            # counted there again: the event's figures hold the intention.
            event_id=(
                registration.event_id if registration and locked.from_intention_id is None else None
            ),
            created_by=actor,
        )
        contract.full_clean()
        contract.save()
        event_figures_changed(event_id=contract.event_id)
        c.params.update(
            reference=reference,
            contract_amount=_later(lambda: yuan(amount)),
            signed_on=signed_on.isoformat(),
        )
    return c.obj


@APPLICATION.performs("register-pledge")
@transaction.atomic
def application_register_pledge(
    *,
    application: Application,
    actor: User,
    registration_number: str,
    registered_on: dt.date,
    note: str = "",
) -> Application:
    """The proposed pledges become active. The database holds an asset to one
    active pledge; an asset pledged elsewhere meanwhile refuses the move."""
    registration_number = _require(
        registration_number,
        field="registration_number",
        message=_("Enter the pledge registration number."),
    )
    _not_in_future(registered_on, field="registered_on")
    with _transition(
        application=application, actor=actor, action="register-pledge", note=note
    ) as c:
        contract = _contract_of(c.obj)
        _not_before_contract(registered_on, contract, field="registered_on")
        proposed = Pledge.objects.filter(application=c.obj, status=Pledge.Status.PROPOSED)
        try:
            with transaction.atomic():
                _move_pledges(
                    application=c.obj,
                    actor=actor,
                    action="activate",
                    status=Pledge.Status.PROPOSED,
                )
        except IntegrityError:
            taken = IPAsset.objects.filter(
                pk__in=proposed.values("asset_id"), pledges__status=Pledge.Status.ACTIVE
            ).values_list("number", flat=True)
            raise Conflict(
                _("Already pledged elsewhere: %(numbers)s. Nothing was registered.")
                % {"numbers": ", ".join(sorted(taken))},
                code="asset_already_pledged",
            ) from None
        contract.pledge_registration_number = registration_number
        contract.pledge_registered_on = registered_on
        contract.save(update_fields=["pledge_registration_number", "pledge_registered_on"])
        c.params["registration_number"] = registration_number
    return c.obj


@APPLICATION.performs("disburse")
@transaction.atomic
def application_disburse(
    *,
    application: Application,
    actor: User,
    amount: Decimal,
    disbursed_on: dt.date,
    note: str = "",
) -> Application:
    """Pay out at most the contract amount."""
    _positive(amount)
    _not_in_future(disbursed_on, field="disbursed_on")
    with _transition(application=application, actor=actor, action="disburse", note=note) as c:
        contract = _contract_of(c.obj)
        if amount > contract.amount:
            raise Conflict(
                _("The disbursed amount %(amount)s is above the contract amount, %(limit)s.")
                % {"amount": yuan(amount), "limit": yuan(contract.amount)},
                code="above_contract",
            )
        _not_before_contract(disbursed_on, contract, field="disbursed_on")
        contract.disbursed_amount = amount
        contract.disbursed_on = disbursed_on
        contract.save(update_fields=["disbursed_amount", "disbursed_on"])
        event_figures_changed(event_id=contract.event_id)
        c.params.update(
            disbursed=_later(lambda: yuan(amount)), disbursed_on=disbursed_on.isoformat()
        )
    return c.obj


@APPLICATION.performs("close")
@transaction.atomic
def application_close(*, application: Application, actor: User, note: str = "") -> Application:
    """The loan is done: the pledged assets are released."""
    with _transition(application=application, actor=actor, action="close", note=note) as c:
        _move_pledges(application=c.obj, actor=actor, action="release", status=Pledge.Status.ACTIVE)
    return c.obj


# --- on-site outcomes: contracts and intentions signed at an event

ONSITE_OUTCOMES: dict[str, Meeting.Outcome] = {
    Contract.Kind.INTENTION: Meeting.Outcome.INTENTION,
    Contract.Kind.LOAN: Meeting.Outcome.CONTRACT,
}
ONSITE_NOTICE = (
    _("%(kind)s %(reference)s recorded at %(event)s"),
    _(
        "%(kind)s %(reference)s between %(enterprise)s and %(institution)s for %(amount)s, "
        "signed on %(signed_on)s at %(event)s, was recorded."
    ),
)


def _check_onsite_links(
    *,
    event: Event,
    registration: Registration,
    institution: Institution,
    product: Product | None,
    meeting: Meeting | None,
) -> None:
    errors: dict[str, Any] = {}
    if (
        registration.event_id != event.pk
        or registration.enterprise_id is None
        or registration.status not in ACTIVE_REGISTRATION
    ):
        errors["registration"] = _("Choose the registration of an enterprise at this event.")
    if active_registration(event=event, institution_id=institution.pk) is None:
        errors["institution"] = _("This institution is not registered for the event.")
    if product is not None and product.institution_id != institution.pk:
        errors["product"] = _("The product is not the institution's.")
    if meeting is not None and (
        meeting.event_id != event.pk
        or meeting.enterprise_id != registration.enterprise_id
        or meeting.institution_id != institution.pk
        or meeting.status not in (Meeting.Status.ACCEPTED, Meeting.Status.HELD)
    ):
        errors["meeting"] = _(
            "Choose a meeting of these two at this event that was accepted or held."
        )
    if errors:
        raise ValidationError(errors)


def onsite_recorder_check(
    *, event: Event, actor: User, institution: Institution | None = None
) -> None:
    """Who may record what was signed at the event: its organisers, and the
    officers of an institution registered there, for that institution
    (PermissionDenied for anyone else). Pages and the API ask this before they
    read the input, so an outsider learns nothing of the event's
    registrations from the answer."""
    if can_organise(user=actor, event=event):
        return
    own = InstitutionMembership.objects.filter(
        user=actor,
        institution__in=Registration.objects.filter(
            event=event, status__in=ACTIVE_REGISTRATION, institution__isnull=False
        ).values("institution"),
    )
    if institution is not None:
        own = own.filter(institution=institution)
    if not own.exists():
        raise PermissionDenied(
            _("Only the event's organisers and the institution's officers may record this.")
        )


def _check_onsite(
    *,
    event: Event,
    actor: User,
    kind: str,
    amount: Decimal,
    signed_on: dt.date,
    reference: str,
    registration: Registration,
    institution: Institution,
    product: Product | None,
    meeting: Meeting | None,
) -> str:
    """The rules of an on-site signing, wherever it is recorded from (the
    event's pages, the API, a bureau's import): who records it, a published
    event, a date on one of its days, parties registered there. Returns the
    contract number as recorded."""
    onsite_recorder_check(event=event, actor=actor, institution=institution)
    if event.status != Event.Status.PUBLISHED:
        raise Conflict(_("Only what is signed at a published event counts."), code="event_not_open")
    if kind not in Contract.Kind.values:
        raise ValidationError({"kind": _("Choose an intention agreement or a loan contract.")})
    _positive(amount)
    reference = _require(reference, field="reference", message=_("Enter the contract number."))
    _not_in_future(signed_on, field="signed_on")
    first_day = timezone.localdate(event.starts_at)
    last_day = timezone.localdate(event.ends_at)
    if not first_day <= signed_on <= last_day:
        raise ValidationError(
            {"signed_on": _("An on-site signing falls on one of the event's days.")}
        )
    _check_onsite_links(
        event=event,
        registration=registration,
        institution=institution,
        product=product,
        meeting=meeting,
    )
    return reference


@transaction.atomic
def contract_record_onsite(
    *,
    event: Event,
    actor: User,
    kind: str,
    amount: Decimal,
    signed_on: dt.date,
    reference: str,
    registration: Registration,
    institution: Institution,
    product: Product | None = None,
    meeting: Meeting | None = None,
) -> Contract:
    """An intention agreement or a loan contract signed at the event, recorded
    by its organisers or the institution's officers. It counts in the event's
    figures at once; the meeting it came from is marked held with that outcome."""
    reference = _check_onsite(
        event=event,
        actor=actor,
        kind=kind,
        amount=amount,
        signed_on=signed_on,
        reference=reference,
        registration=registration,
        institution=institution,
        product=product,
        meeting=meeting,
    )
    if Contract.objects.filter(reference=reference).exists():
        raise ValidationError({"reference": _("A contract with this number is already recorded.")})
    assert registration.enterprise_id is not None  # _check_onsite refused it otherwise
    contract = Contract(
        reference=reference,
        kind=kind,
        amount=amount,
        signed_on=signed_on,
        institution=institution,
        enterprise_id=registration.enterprise_id,
        product=product,
        event=event,
        registration=registration,
        meeting=meeting,
        created_by=actor,
    )
    contract.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError:
        # The same number recorded a moment ago by someone else.
        raise ValidationError(
            {"reference": _("A contract with this number is already recorded.")}
        ) from None
    event_figures_changed(event_id=event.pk)
    if meeting is not None:
        meeting_record_outcome(meeting=meeting, actor=actor, outcome=ONSITE_OUTCOMES[kind])
    with translation.override(settings.LANGUAGE_CODE):
        link = reverse("onsite:contract", args=[contract.pk])
    notification_send(
        recipients=User.objects.filter(
            Q(enterprise_memberships__enterprise_id=contract.enterprise_id)
            | Q(institution_memberships__institution_id=institution.pk)
        )
        .exclude(pk=actor.pk)
        .distinct(),
        kind=f"onsite-{kind}",
        subject=ONSITE_NOTICE[0],
        body=ONSITE_NOTICE[1],
        params={
            "kind": _later(lambda: str(Contract.Kind(kind).label)),
            "reference": reference,
            "enterprise": _later(lambda: contract.enterprise.name),
            "institution": _later(lambda: institution.name),
            "amount": _later(lambda: yuan(amount)),
            "signed_on": signed_on.isoformat(),
            "event": _later(lambda: event.title),
        },
        link=link,
    )
    return contract


@transaction.atomic
def contract_correct_onsite(
    *,
    contract: Contract,
    actor: User,
    event: Event,
    kind: str,
    amount: Decimal,
    signed_on: dt.date,
    registration: Registration,
    institution: Institution,
    product: Product | None = None,
) -> Contract:
    """Correct what was recorded of an on-site signing (a bureau's report sent
    again with the row changed), under the rules of recording it. A contract
    that came from an application is changed through the application."""
    locked = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    if locked.application_id is not None:
        raise Conflict(
            _("This contract came from an application on the portal; it is changed there."),
            code="from_application",
        )
    _check_onsite(
        event=event,
        actor=actor,
        kind=kind,
        amount=amount,
        signed_on=signed_on,
        reference=locked.reference,
        registration=registration,
        institution=institution,
        product=product,
        meeting=None,
    )
    assert registration.enterprise_id is not None  # _check_onsite refused it otherwise
    before = locked.event_id
    locked.event = event
    locked.kind = kind
    locked.amount = amount
    locked.signed_on = signed_on
    locked.registration = registration
    locked.enterprise_id = registration.enterprise_id
    locked.institution = institution
    locked.product = product
    locked.full_clean(validate_constraints=False)
    locked.save()
    # A contract moved to another event changes the figures of both.
    event_figures_changed(event_id=before)
    if event.pk != before:
        event_figures_changed(event_id=event.pk)
    return locked


# Follow-ups that still stand: one at a time per intention.
_FOLLOW_UP_ENDED = (_S.REJECTED, _S.WITHDRAWN)


@transaction.atomic
def intention_to_application(
    *,
    contract: Contract,
    actor: User,
    term_months: int,
    asset_ids: Iterable[int],
    amount: Decimal | None = None,
    product: Product | None = None,
    purpose: str = "",
    submit: bool = False,
) -> Application:
    """The enterprise follows an intention agreement signed at an event up
    with an application to the institution: for the intention's amount unless
    it names another, to the intention's product unless it names another of
    the same institution, linked to the registration it came from."""
    locked = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    if not EnterpriseMembership.objects.filter(
        user=actor, enterprise_id=locked.enterprise_id
    ).exists():
        raise PermissionDenied(NOT_YOUR_SIDE[Actor.ENTERPRISE])
    if locked.kind != Contract.Kind.INTENTION:
        raise Conflict(
            _("Only an intention agreement can be followed up with an application."),
            code="not_an_intention",
        )
    if locked.status == Contract.Status.VOID:
        raise Conflict(_("This intention was voided as recorded by mistake."), code="contract_void")
    if locked.follow_ups.exclude(status__in=_FOLLOW_UP_ENDED).exists():
        raise Conflict(
            _("This intention is already followed up by an application."),
            code="already_followed_up",
        )
    product = product or locked.product
    if product is None:
        raise ValidationError({"product": _("Choose the product to apply to.")})
    if product.institution_id != locked.institution_id:
        raise ValidationError(
            {"product": _("Apply to a product of the institution that signed the intention.")}
        )
    return application_create(
        enterprise=locked.enterprise,
        product=product,
        actor=actor,
        amount_requested=locked.amount if amount is None else amount,
        term_months=term_months,
        asset_ids=asset_ids,
        purpose=purpose,
        source_registration=locked.registration,
        from_intention=locked,
        submit=submit,
    )


@CONTRACT.performs("void")
@transaction.atomic
def contract_void(*, contract: Contract, actor: User, note: str) -> Contract:
    """Void a contract or intention agreement recorded at an event by mistake:
    for the event's organisers and the institution's officers, with the reason.
    It stays on record, counts in no figure from now on, and its enterprise
    and institution are told. A loan signed through an application is the
    application's to close, not voided here."""
    CONTRACT.check_side(contract, actor, "void")
    reason = _require(note, field="note", message=_("Say why the contract is voided."))
    if contract.event_id is None or contract.application_id is not None:
        raise Conflict(
            _("Only what was recorded as signed at an event can be voided."),
            code="not_onsite",
        )
    with CONTRACT.move(contract, action="void", actor=actor, note=reason) as change:
        voided = change.obj
        event_figures_changed(event_id=voided.event_id)
        subject, body = CONTRACT.actions["void"].notice or ("", "")
        event = voided.event
        notification_send(
            recipients=[
                *User.objects.filter(enterprise_memberships__enterprise_id=voided.enterprise_id),
                *User.objects.filter(institution_memberships__institution_id=voided.institution_id),
            ],
            kind="contract-void",
            subject=subject,
            body=body,
            params={
                "kind": _later(lambda: str(voided.get_kind_display())),
                "reference": voided.reference,
                "event": _later(lambda: event.title if event else ""),
                "reason": reason,
            },
            link=reverse("onsite:contract", args=[voided.pk]),
        )
    return voided
