"""Writes for products: drafting, editing, publishing and withdrawing.

Only members of a product's institution act on it. Every status change goes
through the declared workflow (`products.workflows.PRODUCT`): under a row
lock, checked against the declaration, with a history row."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import regulator_jurisdiction
from accounts.services import notification_send
from core.cache import next_version_on_commit
from core.exceptions import Conflict
from core.models import Industry, IPKind, Province
from core.workflow import Change
from products.models import Institution, InstitutionMembership, Product
from products.selectors import CATALOGUE_VERSION_KEY
from products.signals import product_withdrawn
from products.workflows import PRODUCT

# What an institution may set on a product; status and dates are the workflow's.
EDITABLE_FIELDS = frozenset(
    {
        "name_zh",
        "name_en",
        "kind",
        "amount_min",
        "amount_max",
        "rate_min",
        "rate_max",
        "term_min_months",
        "term_max_months",
        "max_pledge_ratio",
        "summary_zh",
        "summary_en",
        "requirements",
    }
)
RELATED_FIELDS: dict[str, type[models.Model]] = {
    "accepted_ip_kinds": IPKind,
    "provinces_served": Province,
    "target_industries": Industry,
}
# Codes that would hide behind the pages' own URLs (/products/compare/ ...).
RESERVED_CODES = frozenset({"compare", "manage", "new"})


def _ensure_member(*, institution_id: int, actor: User) -> None:
    if not InstitutionMembership.objects.filter(user=actor, institution_id=institution_id).exists():
        raise PermissionDenied(_("Only members of the institution may do this."))


def _check_field_names(fields: dict[str, Any], *, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not product fields: {', '.join(sorted(unknown))}")


def _resolve_related(related: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, str]]:
    """Rows for each many-to-many given (as instances or primary keys), and
    the messages for those that name unknown rows or leave IP kinds empty."""
    resolved: dict[str, list[Any]] = {}
    errors: dict[str, str] = {}
    for name, values in related.items():
        keys = {value.pk if isinstance(value, models.Model) else value for value in values or ()}
        rows = list(RELATED_FIELDS[name]._default_manager.filter(pk__in=keys))
        if len(rows) != len(keys):
            errors[name] = _("Choose from the list.")
        resolved[name] = rows
    if "accepted_ip_kinds" in related and not related["accepted_ip_kinds"]:
        errors["accepted_ip_kinds"] = _("Accept at least one kind of intellectual property.")
    return resolved, errors


def _validate(product: Product, *, related_errors: dict[str, str]) -> None:
    """Model validation and the many-to-many checks, reported together."""
    messages: dict[str, list[str]] = {}
    try:
        product.full_clean()
    except ValidationError as error:
        messages = dict(error.message_dict)
    if product.code in RESERVED_CODES:
        messages.setdefault("code", []).append(_("This code is reserved; choose another."))
    for name, message in related_errors.items():
        messages.setdefault(name, []).append(message)
    if messages:
        raise ValidationError(messages)


def _catalogue_changed() -> None:
    """Cached catalogue pages go stale once this transaction commits."""
    next_version_on_commit(CATALOGUE_VERSION_KEY)


def _unique_code(*, institution: Institution, name_en: str) -> str:
    base = slugify(f"{institution.code}-{name_en or 'product'}")[:72].strip("-")
    code, n = base, 1
    while Product.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


# Two creations may pick the same free code at once; the database's unique
# constraint turns the later one away and it takes the next free code.
CODE_ATTEMPTS = 5


@transaction.atomic
def product_create(*, institution: Institution, actor: User, **fields: Any) -> Product:
    """A new draft. `code` is made from the English name when not given;
    many-to-manys are lists of rows or primary keys."""
    _ensure_member(institution_id=institution.pk, actor=actor)
    _check_field_names(fields, allowed=EDITABLE_FIELDS | set(RELATED_FIELDS) | {"code"})
    related = {name: fields.pop(name, None) or [] for name in RELATED_FIELDS}
    generated = not fields.get("code")
    resolved, related_errors = _resolve_related(related)
    for attempt in range(1, CODE_ATTEMPTS + 1):
        if generated:
            fields["code"] = _unique_code(
                institution=institution, name_en=fields.get("name_en", "")
            )
        product = Product(institution=institution, status=Product.Status.DRAFT, **fields)
        _validate(product, related_errors=related_errors)
        try:
            with transaction.atomic():  # a savepoint: a refused insert leaves the rest usable
                product.save()
            break
        except IntegrityError:
            if not Product.objects.filter(code=product.code).exists():
                raise  # not the code: a constraint the validation should have caught
            if not generated or attempt == CODE_ATTEMPTS:
                raise ValidationError({"code": _("This code is taken; choose another.")}) from None
    for name, rows in resolved.items():
        getattr(product, name).set(rows)
    PRODUCT.created(product, actor=actor)
    return product


@transaction.atomic
def product_update(*, product: Product, actor: User, **fields: Any) -> Product:
    """Change a draft or a withdrawn product. A published one must be
    withdrawn first, so enterprises never apply to terms that moved under them."""
    _ensure_member(institution_id=product.institution_id, actor=actor)
    _check_field_names(fields, allowed=EDITABLE_FIELDS | set(RELATED_FIELDS))
    locked = Product.objects.select_for_update().get(pk=product.pk)
    if locked.status == Product.Status.PUBLISHED:
        raise Conflict(
            _("A published product cannot be changed: withdraw it first."), code="published"
        )
    related = {name: fields.pop(name) for name in list(fields) if name in RELATED_FIELDS}
    for name, value in fields.items():
        setattr(locked, name, value)
    resolved, related_errors = _resolve_related(related)
    _validate(locked, related_errors=related_errors)
    locked.save(update_fields=[*fields, "updated_at"])
    for name, rows in resolved.items():
        getattr(locked, name).set(rows)
    _catalogue_changed()
    return locked


@contextmanager
def _move(
    *, product: Product, action: str, actor: User, note: str = ""
) -> Iterator[Change[Product]]:
    """A product move: the workflow's own steps (the row lock makes two
    officers acting at once take turns: the second sees the first one's status
    and is refused), then colleagues are told and the catalogue goes stale."""
    with PRODUCT.move(product, action=action, actor=actor, note=note) as change:
        yield change
        locked = change.obj
        # Colleagues learn of it in the portal; the mail goes after commit.
        colleagues = User.objects.filter(
            institution_memberships__institution_id=locked.institution_id
        ).exclude(pk=actor.pk)
        with translation.override(None):  # the link without a language prefix
            link = reverse("products:edit", kwargs={"code": locked.code})
        subject, body = change.action.notice or ("", "")
        notification_send(
            recipients=colleagues,
            kind=f"product_{change.action.to}",
            subject=subject,
            body=body,
            # Lazy, so each colleague reads the name in their own language.
            params={"product": lazy(lambda: locked.name, str)(), "actor": str(actor)},
            link=link,
        )
        _catalogue_changed()


@PRODUCT.performs("publish")
def product_publish(*, product: Product, actor: User) -> Product:
    """Publish a draft or re-publish a withdrawn product: it enters the catalogue."""
    with _move(product=product, action="publish", actor=actor) as change:
        if not change.obj.accepted_ip_kinds.exists():
            raise ValidationError(
                {"accepted_ip_kinds": _("Accept at least one kind of intellectual property.")}
            )
        change.set(published_at=timezone.now())
    return change.obj


@PRODUCT.performs("withdraw")
def product_withdraw(*, product: Product, actor: User, note: str = "") -> Product:
    """Take a published product out of the catalogue. Once that has
    committed, `products.signals.product_withdrawn` announces it: apps above
    this one act on it (financing tells the enterprises whose applications are
    still open), and a slow or failing answer neither holds the product's lock
    nor undoes the withdrawal."""
    with _move(product=product, action="withdraw", actor=actor, note=note) as change:

        def announce() -> None:
            product_withdrawn.send_robust(
                sender=Product, product=change.obj, actor=actor, note=note
            )

        change.on_commit(announce)
    return change.obj


def _institution_code(*, name_en: str, licence_number: str) -> str:
    base = slugify(name_en or licence_number)[:72].strip("-") or "institution"
    code, n = base, 1
    while Institution.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def institution_create(
    *,
    actor: User,
    name_zh: str,
    kind: str,
    licence_number: str,
    province: Province,
    name_en: str = "",
    city_zh: str = "",
    city_en: str = "",
) -> Institution:
    """A new institution, created by a regulator whose jurisdiction covers its
    province; it has no member until its first administrator accepts the
    invitation the regulator sends (organisations.services)."""
    jurisdiction = regulator_jurisdiction(user=actor)
    if jurisdiction is None:
        raise PermissionDenied(_("Only regulators may add an institution."))
    if not jurisdiction.covers(province.pk):
        raise ValidationError(
            {
                "province": _("This province is outside your jurisdiction: %(province)s.")
                % {"province": province.name}
            }
        )
    licence_number = licence_number.strip()
    if not licence_number:
        raise ValidationError({"licence_number": _("Enter the institution's licence number.")})
    if Institution.objects.filter(licence_number=licence_number).exists():
        raise ValidationError(
            {"licence_number": _("An institution with this licence number exists.")}
        )
    institution = Institution(
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        kind=kind,
        licence_number=licence_number,
        province=province,
        city_zh=city_zh,
        city_en=city_en,
        code=_institution_code(name_en=name_en, licence_number=licence_number),
    )
    institution.full_clean()
    institution.save()
    return institution
