"""Writes for enterprises: the company profile and its IP portfolio.

Only members of an enterprise change it. Every asset write validates like
the model (`full_clean`), reports a number held twice as an error on the
`number` field (never an IntegrityError), and refuses to touch an asset a
loan stands on.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.services import notification_send
from core.exceptions import Conflict
from core.models import PATENT_KINDS, Industry, IPKind, Province
from core.validators import normalize_patent_number
from core.workflow import Change
from enterprises.imports import ImportRejected, ImportRow, RowError
from enterprises.models import (
    PLEDGE_HELD,
    Enterprise,
    EnterpriseMembership,
    IPAppraisal,
    IPAsset,
    JoinRequest,
)
from enterprises.selectors import enterprise_admins, is_enterprise_member
from enterprises.workflows import JOIN_REQUEST, VERIFICATION
from parks.models import Park

# What members may change on their profile. The credit code is left out on
# purpose: it is the company's legal identity, checked when the enterprise was
# registered on the portal; a different code is a different company, so the
# platform operators change it (in the admin) when a registration was wrong.
ENTERPRISE_EDITABLE_FIELDS = (
    "name_zh",
    "name_en",
    "province",
    "city_zh",
    "city_en",
    "park",
    "industry",
    "size",
    "high_tech_certified",
    "employees",
    "annual_revenue",
    "founded_on",
    "description",
    "discoverable",
    "need_amount",
    "need_term_months",
    "contact_name",
    "contact_phone",
    "email",
    "website",
)
# The latest appraisal is only written by `ip_asset_appraise`, so it always
# matches a row of the appraisal history.
IP_ASSET_EDITABLE_FIELDS = (
    "kind",
    "number",
    "title",
    "filed_on",
    "granted_on",
    "expires_on",
    "legal_status",
)

Errors = dict[str, list[str]]


def _require_member(*, enterprise: Enterprise, actor: User) -> None:
    if not is_enterprise_member(enterprise=enterprise, user=actor):
        raise PermissionDenied(_("Only members of this enterprise may change it."))


def _reject_unknown(fields: dict[str, Any], allowed: Sequence[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        # A programming error, not bad input: callers pass parsed form fields.
        raise TypeError(f"fields that cannot be changed here: {sorted(unknown)}")


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _merge(errors: Errors, error: ValidationError) -> None:
    for name, messages in error.message_dict.items():
        errors.setdefault(name, []).extend(messages)


# --------------------------------------------------------------------------- the profile


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, actor: User, **fields: Any) -> Enterprise:
    """Change the profile. `fields` are model fields (related ones as objects).
    A credit code may be passed back unchanged, as forms do; a different one
    is refused."""
    _require_member(enterprise=enterprise, actor=actor)
    credit_code = fields.pop("credit_code", None)
    _reject_unknown(fields, ENTERPRISE_EDITABLE_FIELDS)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)

    errors: Errors = {}
    if credit_code is not None and str(credit_code).strip().upper() != enterprise.credit_code:
        _add(
            errors,
            "credit_code",
            _(
                "The unified social credit code cannot be changed here. If it was registered "
                "wrongly, please ask the platform operators to correct it."
            ),
        )
    for name, value in fields.items():
        setattr(enterprise, name, value.strip() if isinstance(value, str) else value)
    # A park belongs to one province; an enterprise in it is in that province too.
    # Checked when either changes, so other edits never trip over older rows.
    moved = "park" in fields or "province" in fields
    if moved and enterprise.park and enterprise.park.province_id != enterprise.province_id:
        _add(errors, "park", _("This park is in another province than the enterprise."))
    try:
        enterprise.full_clean()
    except ValidationError as error:
        _merge(errors, error)
    if errors:
        raise ValidationError(errors)
    if fields:
        enterprise.save(update_fields=[*fields, "updated_at"])
    return enterprise


# --------------------------------------------------------------------------- assets


def canonical_ip_number(*, kind: str | None, number: str) -> str:
    """How a number is stored: patent numbers in their canonical form
    ("CN 202010123456.7" → "202010123456.7"), every number without full-width
    characters or surrounding spaces. A number that cannot be normalised is
    returned as typed, for the model's validators to explain."""
    number = unicodedata.normalize("NFKC", number).strip()
    if kind in PATENT_KINDS:
        try:
            return normalize_patent_number(number)
        except ValidationError:
            return number
    return number


def _kind_code(kind: IPKind | str) -> str:
    return kind.pk if isinstance(kind, IPKind) else kind


def _asset_errors(asset: IPAsset) -> Errors:
    """The model's own validation, as field messages. Uniqueness is left to
    the callers, which report it on `number`. The kind is checked against the
    fixed codes rather than by a query per asset (imports check thousands)."""
    errors: Errors = {}
    kind = asset.kind_id
    if kind not in IPKind.Code.values:
        _add(errors, "kind", _("Choose one of the kinds of IP the portal knows."))
        # Without a kind the number cannot be checked; the model's clean() skips it.
        asset.kind_id = ""
    try:
        asset.full_clean(
            exclude=["enterprise", "kind"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        _merge(errors, error)
    finally:
        asset.kind_id = kind
    return errors


def _appraisal_errors(
    *, value: Decimal | None, appraiser: str, appraised_on: dt.date | None, required: bool
) -> Errors:
    """An appraisal comes whole: a value, who made it and when. With
    `required` false, leaving out all three is fine too."""
    errors: Errors = {}
    given = value is not None or bool(appraiser) or appraised_on is not None
    if not given and not required:
        return errors
    if value is None:
        _add(errors, "appraised_value", _("Give the appraised value."))
    elif value <= 0:
        _add(errors, "appraised_value", _("An appraised value must be more than zero."))
    if not appraiser:
        _add(errors, "appraiser", _("Give the appraiser that made the appraisal."))
    if appraised_on is None:
        _add(errors, "appraised_on", _("Give the date of the appraisal."))
    elif appraised_on > timezone.localdate():
        _add(errors, "appraised_on", _("An appraisal date cannot be in the future."))
    return errors


def _number_taken_message(*, holder_id: int, enterprise: Enterprise) -> str:
    if holder_id == enterprise.pk:
        return _("This number is already in your portfolio.")
    return _(
        "This number is already registered on the portal by another enterprise. If the right "
        "is yours, please contact the platform operators."
    )


def _check_number_free(asset: IPAsset, errors: Errors) -> None:
    if errors.get("number") or errors.get("kind"):
        return
    holder = (
        IPAsset.objects.filter(kind_id=asset.kind_id, number=asset.number)
        .exclude(pk=asset.pk)
        .values_list("enterprise_id", flat=True)
        .first()
    )
    if holder is not None:
        _add(errors, "number", _number_taken_message(holder_id=holder, enterprise=asset.enterprise))


def _save_asset(asset: IPAsset, **kwargs: Any) -> None:
    """Save, turning a uniqueness race lost to another request into the same
    field error the check before would have given."""
    try:
        with transaction.atomic():
            asset.save(**kwargs)
    except IntegrityError as error:
        if IPAsset.objects.filter(kind_id=asset.kind_id, number=asset.number).exists():
            raise ValidationError(
                {"number": _("This number has just been registered by someone else.")}
            ) from error
        raise


@transaction.atomic
def ip_asset_create(
    *,
    enterprise: Enterprise,
    actor: User,
    kind: IPKind | str,
    number: str,
    title: str,
    filed_on: dt.date | None = None,
    granted_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    legal_status: str = IPAsset.LegalStatus.VALID,
    appraised_value: Decimal | None = None,
    appraiser: str = "",
    appraised_on: dt.date | None = None,
) -> IPAsset:
    """Add an asset to the portfolio, with its latest appraisal if one is given
    (which also starts the appraisal history)."""
    _require_member(enterprise=enterprise, actor=actor)
    code = _kind_code(kind)
    appraiser = appraiser.strip()
    asset = IPAsset(
        enterprise=enterprise,
        kind_id=code,
        number=canonical_ip_number(kind=code, number=number),
        title=title.strip(),
        filed_on=filed_on,
        granted_on=granted_on,
        expires_on=expires_on,
        legal_status=legal_status or IPAsset.LegalStatus.VALID,
        appraised_value=appraised_value,
        appraiser=appraiser,
        appraised_on=appraised_on,
    )
    errors = _asset_errors(asset)
    for name, messages in _appraisal_errors(
        value=appraised_value, appraiser=appraiser, appraised_on=appraised_on, required=False
    ).items():
        errors.setdefault(name, []).extend(messages)
    _check_number_free(asset, errors)
    if errors:
        raise ValidationError(errors)
    _save_asset(asset)
    # An appraisal comes whole (checked above): both are given or neither.
    if appraised_value is not None and appraised_on is not None:
        IPAppraisal.objects.create(
            asset=asset,
            value=appraised_value,
            appraiser=appraiser,
            appraised_on=appraised_on,
            recorded_by=actor,
        )
    return asset


def _stands_in_pledge(asset: IPAsset) -> bool:
    return asset.pledges.filter(status__in=PLEDGE_HELD).exists()


@transaction.atomic
def ip_asset_update(*, asset: IPAsset, actor: User, **fields: Any) -> IPAsset:
    """Change an asset's particulars. Its kind and number identify the right a
    loan application or a registered pledge stands on, so they stay as they
    are while the asset is in a proposed or active pledge (Conflict)."""
    _require_member(enterprise=asset.enterprise, actor=actor)
    _reject_unknown(fields, IP_ASSET_EDITABLE_FIELDS)
    asset = IPAsset.objects.select_for_update().select_related("enterprise").get(pk=asset.pk)

    if "kind" in fields:
        fields["kind_id"] = _kind_code(fields.pop("kind"))
    if "kind_id" in fields or "number" in fields:
        kind = fields.get("kind_id", asset.kind_id)
        fields["number"] = canonical_ip_number(kind=kind, number=fields.get("number", asset.number))
        identity_changes = (kind, fields["number"]) != (asset.kind_id, asset.number)
        if identity_changes and _stands_in_pledge(asset):
            raise Conflict(
                _(
                    "This asset stands in a loan application or a registered pledge, so its "
                    "kind and number cannot change. Withdraw it from the application first."
                ),
                code="asset_pledged",
            )
    if isinstance(fields.get("title"), str):
        fields["title"] = fields["title"].strip()
    if "legal_status" in fields and not fields["legal_status"]:
        del fields["legal_status"]

    for name, value in fields.items():
        setattr(asset, name, value)
    errors = _asset_errors(asset)
    _check_number_free(asset, errors)
    if errors:
        raise ValidationError(errors)
    if fields:
        _save_asset(asset, update_fields=[*fields, "updated_at"])
    return asset


@transaction.atomic
def ip_asset_delete(*, asset: IPAsset, actor: User) -> None:
    """Remove an asset from the portfolio. One that a loan stands or stood on
    stays: its pledges point at it and are the record of that loan."""
    _require_member(enterprise=asset.enterprise, actor=actor)
    asset = IPAsset.objects.select_for_update().get(pk=asset.pk)
    if _stands_in_pledge(asset):
        raise Conflict(
            _(
                "This asset stands in a loan application or a registered pledge and cannot be "
                "deleted. Withdraw it from the application first."
            ),
            code="asset_pledged",
        )
    if asset.pledges.exists():
        raise Conflict(
            _(
                "This asset was pledged for a loan, which keeps its record, so it cannot be "
                "deleted. Change its legal status instead (for example to expired or "
                "transferred)."
            ),
            code="asset_pledge_history",
        )
    asset.delete()


@transaction.atomic
def ip_asset_appraise(
    *,
    asset: IPAsset,
    actor: User,
    value: Decimal,
    appraiser: str,
    appraised_on: dt.date,
) -> IPAppraisal:
    """Record an appraisal. The asset's latest appraisal follows it only when
    it is the newest (the same day counts as newer: it was recorded later),
    so entering an old report keeps the current value."""
    _require_member(enterprise=asset.enterprise, actor=actor)
    # Locked so two appraisals recorded at once leave the newer one as latest.
    asset = IPAsset.objects.select_for_update().get(pk=asset.pk)
    appraiser = appraiser.strip()
    appraisal = IPAppraisal(
        asset=asset, value=value, appraiser=appraiser, appraised_on=appraised_on, recorded_by=actor
    )
    errors = _appraisal_errors(
        value=value, appraiser=appraiser, appraised_on=appraised_on, required=True
    )
    # The form's names are the appraisal's: value, appraiser, appraised_on.
    if "appraised_value" in errors:
        errors["value"] = errors.pop("appraised_value")
    try:
        appraisal.full_clean(exclude=["asset", "recorded_by"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name not in errors:
                errors[name] = messages
    if errors:
        raise ValidationError(errors)
    appraisal.save()
    if asset.appraised_on is None or appraised_on >= asset.appraised_on:
        asset.appraised_value = value
        asset.appraiser = appraiser
        asset.appraised_on = appraised_on
        asset.save(update_fields=["appraised_value", "appraiser", "appraised_on", "updated_at"])
    return appraisal


# --------------------------------------------------------------------------- importing


@transaction.atomic
def ip_assets_import(
    *, enterprise: Enterprise, actor: User, rows: Sequence[ImportRow]
) -> list[IPAsset]:
    """Add every row of an imported list to the portfolio, or none of them:
    ImportRejected lists every bad row (what the file could not say plus what
    the model refuses, numbers held twice in the file or already on the
    portal). A fixed number of queries however long the list."""
    _require_member(enterprise=enterprise, actor=actor)
    errors: list[RowError] = []
    built: list[tuple[ImportRow, IPAsset]] = []
    for row in rows:
        errors.extend(row.errors)
        unreadable = {error.column for error in row.errors}
        values = row.values
        kind = values.get("kind") or ""
        appraiser = (values.get("appraiser") or "").strip()
        asset = IPAsset(
            enterprise=enterprise,
            kind_id=kind,
            number=canonical_ip_number(kind=kind, number=values.get("number", "")),
            title=(values.get("title") or "").strip(),
            filed_on=values.get("filed_on"),
            granted_on=values.get("granted_on"),
            expires_on=values.get("expires_on"),
            legal_status=values.get("legal_status") or IPAsset.LegalStatus.VALID,
            appraised_value=values.get("appraised_value"),
            appraiser=appraiser,
            appraised_on=values.get("appraised_on"),
        )
        # The parser has already said what is wrong with the cells it could not read.
        found = {
            name: messages
            for name, messages in _asset_errors(asset).items()
            if name not in unreadable
        }
        appraisal_found = _appraisal_errors(
            value=asset.appraised_value,
            appraiser=appraiser,
            appraised_on=asset.appraised_on,
            required=False,
        )
        for name, messages in appraisal_found.items():
            if name not in unreadable:
                found.setdefault(name, []).extend(messages)
        for name, messages in found.items():
            column = "" if name == NON_FIELD_ERRORS else name
            errors.extend(RowError(row=row.row, column=column, message=m) for m in messages)
        built.append((row, asset))

    errors.extend(_duplicate_errors(enterprise=enterprise, built=built, bad=errors))
    if errors:
        raise ImportRejected(rows=errors)

    assets = [asset for _row, asset in built]
    try:
        with transaction.atomic():
            IPAsset.objects.bulk_create(assets, batch_size=500)
    except IntegrityError as error:
        raise ImportRejected(
            file_errors=[
                _(
                    "Some of these numbers were registered by someone else while the file was "
                    "being imported. Nothing was imported; please upload the file again."
                )
            ]
        ) from error
    IPAppraisal.objects.bulk_create(
        [
            IPAppraisal(
                asset=asset,
                value=asset.appraised_value,
                appraiser=asset.appraiser,
                appraised_on=asset.appraised_on,
                recorded_by=actor,
            )
            for asset in assets
            if asset.appraised_value is not None and asset.appraised_on is not None
        ],
        batch_size=500,
    )
    return assets


def _duplicate_errors(
    *, enterprise: Enterprise, built: list[tuple[ImportRow, IPAsset]], bad: list[RowError]
) -> list[RowError]:
    """Numbers listed twice in the file, and numbers already on the portal (one query)."""
    unusable = {(error.row, error.column) for error in bad}
    candidates = [
        (row, asset)
        for row, asset in built
        if asset.kind_id
        and asset.number
        and (row.row, "number") not in unusable
        and (row.row, "kind") not in unusable
    ]
    errors: list[RowError] = []
    first_row: dict[tuple[str, str], int] = {}
    for row, asset in candidates:
        key = (asset.kind_id, asset.number)
        if key in first_row:
            errors.append(
                RowError(
                    row=row.row,
                    column="number",
                    message=_("Row %(row)d already lists this number.") % {"row": first_row[key]},
                )
            )
        else:
            first_row[key] = row.row
    held = {
        (kind, number): holder
        for kind, number, holder in IPAsset.objects.filter(
            number__in={asset.number for _row, asset in candidates}
        ).values_list("kind_id", "number", "enterprise_id")
    }
    for row, asset in candidates:
        holder = held.get((asset.kind_id, asset.number))
        if holder is not None:
            errors.append(
                RowError(
                    row=row.row,
                    column="number",
                    message=_number_taken_message(holder_id=holder, enterprise=enterprise),
                )
            )
    return errors


# --------------------------------------------------------------------------- joining the portal

CREDIT_CODE_TAKEN = gettext_lazy(
    "An enterprise with this credit code is already on the portal. Ask its administrators "
    "to let you join it."
)
LICENCE_MAX_BYTES = 5 * 1024 * 1024
# What a business licence may be, told by its first bytes, never by its name.
LICENCE_SIGNATURES = {
    b"%PDF-": "pdf",
    b"\xff\xd8\xff": "jpg",
    b"\x89PNG\r\n\x1a\n": "png",
}


def licence_errors(upload: Any) -> list[str]:
    """Why an uploaded business licence cannot be kept: too large, or not a
    PDF, JPEG or PNG by its content. An empty list when it is fine."""
    if upload.size > LICENCE_MAX_BYTES:
        return [_("The licence file is larger than 5 MB. Scan it at a lower resolution.")]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in LICENCE_SIGNATURES):
        return [_("Upload the business licence as a PDF, JPEG or PNG file.")]
    return []


def _licence_name(upload: Any) -> str:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    suffix = next(s for sig, s in LICENCE_SIGNATURES.items() if head.startswith(sig))
    return f"licence.{suffix}"


def _keep_licence(enterprise: Enterprise, upload: Any) -> None:
    """Store the licence, named by its content; the file it replaces is
    deleted once the transaction commits."""
    old = enterprise.licence.name if enterprise.licence else ""
    enterprise.licence.save(_licence_name(upload), upload, save=False)
    if old:
        storage = enterprise.licence.storage
        transaction.on_commit(lambda: storage.delete(old))


def _verifiers(enterprise: Enterprise) -> list[User]:
    """Who is told that an enterprise awaits verification: the managers of its
    park and the regulators of its province."""
    province = enterprise.province_id
    users = list(User.objects.filter(office_memberships__office__province_id=province))
    if enterprise.park_id is not None:
        users += list(User.objects.filter(park_memberships__park_id=enterprise.park_id))
    return users


def _link(name: str, **kwargs: Any) -> str:
    with translation.override(None):
        return reverse(name, kwargs=kwargs or None)


def _tell_verifiers(
    enterprise: Enterprise, *, subject: Any, body: Any = "", note: str = ""
) -> None:
    notification_send(
        recipients=_verifiers(enterprise),
        kind="enterprise_verification",
        subject=subject,
        body=body,
        params={"enterprise": enterprise.name_zh or enterprise.name_en, "note": note},
        link=_link("enterprises:verification", pk=enterprise.pk),
    )


@transaction.atomic
def enterprise_register(
    *,
    actor: User,
    credit_code: str,
    name_zh: str,
    province: Province,
    licence: Any,
    name_en: str = "",
    city_zh: str = "",
    city_en: str = "",
    park: Park | None = None,
    industry: Industry | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    email: str = "",
    website: str = "",
) -> Enterprise:
    """Register a new enterprise: the actor becomes its administrator, and it
    awaits verification by its park's manager or its province's regulators.
    A credit code already on the portal is refused with the code `exists`:
    the page then offers to ask to join that enterprise."""
    credit_code = unicodedata.normalize("NFKC", credit_code).strip().upper()
    if Enterprise.objects.filter(credit_code=credit_code).exists():
        raise ValidationError({"credit_code": ValidationError(CREDIT_CODE_TAKEN, code="exists")})
    errors: Errors = {}
    if park is not None and park.province_id != province.pk:
        _add(errors, "park", _("This park is in another province than the enterprise."))
    if licence is None:
        _add(errors, "licence", _("Upload the enterprise's business licence."))
    else:
        for message in licence_errors(licence):
            _add(errors, "licence", message)
    enterprise = Enterprise(
        credit_code=credit_code,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        province=province,
        city_zh=city_zh.strip(),
        city_en=city_en.strip(),
        park=park,
        industry=industry,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        email=email.strip(),
        website=website.strip(),
        verification_status=Enterprise.Verification.AWAITING,
    )
    try:
        enterprise.full_clean(exclude=["licence"], validate_unique=False)
    except ValidationError as error:
        _merge(errors, error)
    if errors:
        raise ValidationError(errors)
    _keep_licence(enterprise, licence)
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError as error:
        enterprise.licence.storage.delete(enterprise.licence.name or "")
        raise ValidationError(
            {"credit_code": ValidationError(CREDIT_CODE_TAKEN, code="exists")}
        ) from error
    EnterpriseMembership.objects.create(
        enterprise=enterprise, user=actor, role=EnterpriseMembership.Role.ADMIN
    )
    VERIFICATION.created(enterprise, actor=actor)
    _tell_verifiers(enterprise, subject=gettext_lazy("%(enterprise)s awaits verification"))
    return enterprise


def require_verified(*, enterprise: Enterprise, doing: str | Promise) -> None:
    """Refuse what only a verified enterprise may do (apply for financing,
    register for an event), saying why and what to do. The one check the
    financing and events services make."""
    status = enterprise.verification_status
    if status == Enterprise.Verification.VERIFIED:
        return
    if status == Enterprise.Verification.REFUSED:
        hint = _(
            "Its verification was refused: correct the profile or upload a new business "
            "licence, then resubmit it from the enterprise workspace."
        )
    else:
        hint = _(
            "The manager of its park or a regulator of its province is checking its business "
            "licence; you will be told as soon as it is verified."
        )
    raise Conflict(
        _("%(enterprise)s is not verified yet, so it cannot %(doing)s. %(hint)s")
        % {"enterprise": enterprise.name, "doing": doing, "hint": hint},
        code="enterprise_unverified",
    )


@contextmanager
def _verification_move(
    *, enterprise: Enterprise, action: str, actor: User, note: str = ""
) -> Iterator[Change[Enterprise]]:
    with VERIFICATION.move(enterprise, action=action, actor=actor, note=note) as change:
        yield change
        locked = change.obj
        subject, body = change.action.notice or ("", "")
        if action == "resubmit":
            _tell_verifiers(locked, subject=subject, body=body if note else "", note=note)
            return
        notification_send(
            recipients=enterprise_admins(enterprise=locked),
            kind=f"enterprise_{change.action.to}",
            subject=subject,
            body=body,
            params={"enterprise": locked.name_zh or locked.name_en, "reason": note},
            link=_link("enterprises:workspace"),
        )


@VERIFICATION.performs("verify")
def enterprise_verify(*, enterprise: Enterprise, actor: User) -> Enterprise:
    """The licence matches: the enterprise may now apply and register."""
    with _verification_move(enterprise=enterprise, action="verify", actor=actor) as change:
        change.set(verified_at=timezone.now(), refusal_reason="")
    return change.obj


@VERIFICATION.performs("refuse")
def enterprise_refuse(*, enterprise: Enterprise, actor: User, reason: str) -> Enterprise:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the enterprise why it is refused.")})
    with _verification_move(
        enterprise=enterprise, action="refuse", actor=actor, note=reason
    ) as change:
        change.set(refusal_reason=reason)
    return change.obj


@VERIFICATION.performs("resubmit")
def enterprise_resubmit(
    *, enterprise: Enterprise, actor: User, note: str = "", licence: Any = None
) -> Enterprise:
    """Ask again after a refusal, with a new licence when one is given."""
    if licence is not None and (problems := licence_errors(licence)):
        raise ValidationError({"licence": problems})
    with _verification_move(
        enterprise=enterprise, action="resubmit", actor=actor, note=note.strip()
    ) as change:
        if licence is not None:
            _keep_licence(change.obj, licence)
            change.fields.add("licence")
    return change.obj


def _domain(address: str) -> str:
    """The host of an email address or a website, without a leading www."""
    host = address.rsplit("@", 1)[-1] if "@" in address else address
    host = host.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower().strip(".")
    return host.removeprefix("www.")


def claim_domains(*, enterprise: Enterprise) -> set[str]:
    return {d for d in (_domain(enterprise.email), _domain(enterprise.website)) if d}


@VERIFICATION.performs("claim")
def enterprise_claim(*, enterprise: Enterprise, actor: User, licence: Any = None) -> Enterprise:
    """Claim an enterprise that has nobody on the portal (a bureau's import):
    the actor becomes its administrator when their email's domain is the
    enterprise's own, or when they upload its business licence. Either way
    the enterprise (again) awaits verification."""
    errors: Errors = {}
    if licence is not None:
        for message in licence_errors(licence):
            _add(errors, "licence", message)
    elif _domain(actor.email) not in claim_domains(enterprise=enterprise):
        _add(
            errors,
            "licence",
            _(
                "Your email address is not at the enterprise's own domain, so upload its "
                "business licence to claim it."
            ),
        )
    if errors:
        raise ValidationError(errors)
    note = _("Claimed by %(email)s") % {"email": actor.email}
    with VERIFICATION.move(enterprise, action="claim", actor=actor, note=note) as change:
        if change.obj.memberships.exists():
            raise Conflict(
                _("This enterprise already has members: ask its administrators to let you join."),
                code="enterprise_has_members",
            )
        if licence is not None:
            _keep_licence(change.obj, licence)
            change.fields.add("licence")
        change.set(verified_at=None)
        EnterpriseMembership.objects.create(
            enterprise=change.obj, user=actor, role=EnterpriseMembership.Role.ADMIN
        )
        _tell_verifiers(change.obj, subject=gettext_lazy("%(enterprise)s awaits verification"))
    return change.obj


@transaction.atomic
def join_request_create(*, enterprise: Enterprise, actor: User, message: str = "") -> JoinRequest:
    """Ask the enterprise's administrators to let the actor join it."""
    if EnterpriseMembership.objects.filter(enterprise=enterprise, user=actor).exists():
        raise ValidationError(_("You are already a member of this enterprise."), code="member")
    if not enterprise.memberships.exists():
        raise ValidationError(
            _("Nobody administers this enterprise on the portal yet: claim it instead."),
            code="claimable",
        )
    if JoinRequest.objects.filter(
        enterprise=enterprise, user=actor, status=JoinRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            _("You have already asked to join this enterprise; its administrators will answer."),
            code="pending",
        )
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                enterprise=enterprise, user=actor, message=message.strip()[:2000]
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You have already asked to join this enterprise; its administrators will answer."),
            code="pending",
        ) from error
    JOIN_REQUEST.created(join_request, actor=actor)
    notification_send(
        recipients=enterprise_admins(enterprise=enterprise),
        kind="join_request_pending",
        subject=gettext_lazy("%(user)s asks to join %(enterprise)s"),
        body=gettext_lazy("%(message)s"),
        params={
            "user": actor.get_full_name() or actor.email,
            "enterprise": enterprise.name_zh or enterprise.name_en,
            "message": join_request.message,
        },
        link=_link("enterprises:join-requests"),
    )
    return join_request


@contextmanager
def _join_move(
    *, join_request: JoinRequest, action: str, actor: User, note: str = ""
) -> Iterator[Change[JoinRequest]]:
    with JOIN_REQUEST.move(join_request, action=action, actor=actor, note=note) as change:
        yield change
        locked = change.obj
        if change.action.notice is None:
            return
        subject, body = change.action.notice
        notification_send(
            recipients=[locked.user],
            kind=f"join_request_{change.action.to}",
            subject=subject,
            body=body,
            params={"enterprise": locked.enterprise.name_zh, "note": note},
            link=_link("enterprises:start"),
        )
        # The other administrators learn that it has been answered.
        notification_send(
            recipients=enterprise_admins(enterprise=locked.enterprise).exclude(pk=actor.pk),
            kind=f"join_request_{change.action.to}",
            subject=gettext_lazy("%(actor)s answered the request of %(user)s: %(action)s"),
            params={
                "actor": actor.get_full_name() or actor.email,
                "user": locked.user.get_full_name() or locked.user.email,
                "action": change.action.label,
            },
            link=_link("enterprises:join-requests"),
        )


@JOIN_REQUEST.performs("approve")
def join_request_approve(*, join_request: JoinRequest, actor: User) -> JoinRequest:
    """The user becomes a member of the enterprise."""
    with _join_move(join_request=join_request, action="approve", actor=actor) as change:
        EnterpriseMembership.objects.get_or_create(
            enterprise_id=change.obj.enterprise_id, user_id=change.obj.user_id
        )
    return change.obj


@JOIN_REQUEST.performs("decline")
def join_request_decline(*, join_request: JoinRequest, actor: User, note: str = "") -> JoinRequest:
    with _join_move(join_request=join_request, action="decline", actor=actor, note=note) as c:
        pass
    return c.obj


@JOIN_REQUEST.performs("withdraw")
def join_request_withdraw(*, join_request: JoinRequest, actor: User) -> JoinRequest:
    with _join_move(join_request=join_request, action="withdraw", actor=actor) as c:
        pass
    return c.obj
