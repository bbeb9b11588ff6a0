"""Writes for the knowledge base: regulators create, change and delete items
within their jurisdiction (knowledge.access), and visitors' downloads of a
collection are counted once per visitor per day.

Every create, update and delete goes through `_create`, `_update` and
`_delete`: the jurisdiction checked before and after the change, the row
locked while it changes, `full_clean()` before `save()`, and files that are
replaced or deleted removed from storage only after the commit."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import Jurisdiction, regulator_jurisdiction
from core.clients import client_network
from core.exceptions import Conflict
from core.models import IPKind
from knowledge.access import covers
from knowledge.models import (
    Collection,
    CollectionDownload,
    CooperationAgreement,
    KnowledgeItem,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)
from products.models import Institution

M = TypeVar("M", bound=models.Model)

TITLED = ("title_zh", "title_en", "summary_zh", "summary_en")
# What a regulator sets on each kind; counters and timestamps are the portal's.
EDITABLE: dict[type[models.Model], frozenset[str]] = {
    Policy: frozenset(
        {
            *TITLED,
            "issuer_zh",
            "issuer_en",
            "level",
            "province",
            "issued_on",
            "document_number",
            "file",
            "url",
        }
    ),
    TypicalCase: frozenset(
        {*TITLED, "province", "enterprise_name", "institution_name", "amount", "published_on"}
    ),
    Collection: frozenset(
        {*TITLED, "publisher", "province", "campaign", "published_on", "is_printed", "file"}
    ),
    TrainingSession: frozenset(
        {
            *TITLED,
            "province",
            "city_zh",
            "city_en",
            "park",
            "campaign",
            "organiser",
            "held_on",
            "participants",
        }
    ),
    MediaReport: frozenset(
        {"outlet_zh", "outlet_en", "title", "url", "published_on", "campaign", "event"}
    ),
    CooperationAgreement: frozenset({*TITLED, "kind", "office", "signed_on", "campaign"}),
}
# Many-to-many fields and the rows they may name.
RELATED: dict[type[models.Model], dict[str, type[models.Model]]] = {
    TypicalCase: {"ip_kinds": IPKind},
    Collection: {"policies": Policy, "cases": TypicalCase},
    CooperationAgreement: {"institutions": Institution},
}

FILE_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "txt", "odt"]
MAX_FILE_BYTES = 20 * 1024 * 1024


# ---------------------------------------------------------------- checks


def _jurisdiction(actor: User | AnonymousUser) -> Jurisdiction:
    jurisdiction = regulator_jurisdiction(user=actor)
    if jurisdiction is None:
        raise PermissionDenied(_("Only regulators manage the knowledge base."))
    return jurisdiction


def _ensure_covers(jurisdiction: Jurisdiction, item: models.Model) -> None:
    if not covers(jurisdiction, item):
        raise PermissionDenied(_("This item is outside your jurisdiction."))


def knowledge_check_actor(*, actor: User | AnonymousUser, item: models.Model | None = None) -> None:
    """PermissionDenied unless the actor is a regulator (whose jurisdiction
    covers the item, when there is one). The API asks first, so that an
    outsider hears 403 before anything it sent is looked at."""
    jurisdiction = _jurisdiction(actor)
    if item is not None:
        _ensure_covers(jurisdiction, item)


def _check_file(value: Any) -> list[str]:
    if not value:
        return []
    try:
        FileExtensionValidator(FILE_EXTENSIONS)(value)
    except ValidationError as error:
        return list(error.messages)
    if value.size is not None and value.size > MAX_FILE_BYTES:
        return [_("The file is larger than 20 MB.")]
    return []


def _rules(item: models.Model) -> dict[str, str]:
    """What must hold between fields, beyond each field's own validation."""
    errors: dict[str, str] = {}
    if (
        isinstance(item, TrainingSession)
        and item.park is not None
        and item.park.province_id != item.province_id
    ):
        errors["park"] = _("Choose a park in the session's province.")
    if isinstance(item, MediaReport) and item.event is not None:
        if item.campaign_id is None:
            item.campaign_id = item.event.campaign_id  # the event's campaign, unless told
        elif item.event.campaign_id not in (None, item.campaign_id):
            errors["event"] = _("The event belongs to another campaign.")
    if (
        isinstance(item, Collection)
        and item.publisher is not None
        and item.province_id
        and item.publisher.province_id not in (None, item.province_id)
    ):
        errors["publisher"] = _("Choose an office of the collection's province.")
    return errors


def _resolve_related(
    model: type[models.Model], related: dict[str, Any]
) -> tuple[dict[str, list[Any]], dict[str, str]]:
    """Rows for each many-to-many given (as instances or primary keys), and a
    message for each that names rows that do not exist."""
    resolved: dict[str, list[Any]] = {}
    errors: dict[str, str] = {}
    for name, values in related.items():
        keys = {v.pk if isinstance(v, models.Model) else v for v in values or ()}
        rows = list(RELATED[model][name]._default_manager.filter(pk__in=keys))
        if len(rows) != len(keys):
            errors[name] = _("Choose from the list.")
        resolved[name] = rows
    return resolved, errors


def _validate(item: models.Model, *, errors: dict[str, str], file: Any = None) -> None:
    """Model validation, the rules between fields and the file, reported together."""
    messages: dict[str, list[str]] = {}
    try:
        item.full_clean()
    except ValidationError as error:
        messages = dict(error.message_dict)
    for name, message in {**_rules(item), **errors}.items():
        messages.setdefault(name, []).append(message)
    if file_errors := _check_file(file):
        messages.setdefault("file", []).extend(file_errors)
    if messages:
        raise ValidationError(messages)


def _split(model: type[models.Model], fields: dict[str, Any]) -> dict[str, Any]:
    """Take the many-to-manys out of `fields`; TypeError for a field no one sets."""
    unknown = set(fields) - EDITABLE[model] - set(RELATED.get(model, {}))
    if unknown:
        raise TypeError(f"not {model.__name__} fields: {', '.join(sorted(unknown))}")
    return {name: fields.pop(name) for name in list(fields) if name in RELATED.get(model, {})}


def _assign(item: models.Model, fields: dict[str, Any]) -> None:
    """Set each field; a foreign key may be given as a row or as its key."""
    for name, value in fields.items():
        field = item._meta.get_field(name)
        if isinstance(field, models.ForeignKey) and not isinstance(value, models.Model | None):
            setattr(item, field.attname, value)
        else:
            setattr(item, name, value)


def _file_of(item: models.Model) -> FieldFile | None:
    """The item's file: policies and collections have one (`_split` refuses a
    file for the other kinds)."""
    return item.file if isinstance(item, Policy | Collection) else None


def _remove_file_after_commit(name: str | None, storage: Any) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------- the three writes


def _create(model: type[M], *, actor: User, fields: dict[str, Any]) -> M:
    related = _split(model, fields)
    upload = fields.get("file") or None
    fields.pop("file", None)
    jurisdiction = _jurisdiction(actor)
    with transaction.atomic():
        item = model()
        _assign(item, fields)
        resolved, errors = _resolve_related(model, related)
        _validate(item, errors=errors, file=upload)
        _ensure_covers(jurisdiction, item)
        stored = _file_of(item)
        if upload and stored is not None:
            stored.save(upload.name, upload, save=False)
        item.save()
        for name, rows in resolved.items():
            getattr(item, name).set(rows)
    return item


def _update(item: M, *, actor: User, fields: dict[str, Any]) -> M:
    """Change the fields given. `file`: a new upload replaces the file, False
    removes it, None keeps it."""
    model = type(item)
    related = _split(model, fields)
    new_file = fields.pop("file", None)
    jurisdiction = _jurisdiction(actor)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=item.pk)
        # Both before and after: no one moves an item into or out of their reach.
        _ensure_covers(jurisdiction, locked)
        _assign(locked, fields)
        resolved, errors = _resolve_related(model, related)
        _validate(locked, errors=errors, file=new_file or None)
        _ensure_covers(jurisdiction, locked)
        update_fields = list(fields)
        stored = _file_of(locked)
        if new_file is not None and stored is not None:
            _remove_file_after_commit(stored.name, stored.storage)
            if new_file:
                stored.save(new_file.name, new_file, save=False)
            else:
                stored.name = ""
            update_fields.append("file")
        if update_fields:
            locked.save(update_fields=update_fields)
        for name, rows in resolved.items():
            getattr(locked, name).set(rows)
    return locked


def _delete(item: KnowledgeItem, *, actor: User) -> None:
    jurisdiction = _jurisdiction(actor)
    with transaction.atomic():
        locked = type(item)._default_manager.select_for_update().get(pk=item.pk)
        _ensure_covers(jurisdiction, locked)
        if isinstance(locked, Collection) and locked.downloads.exists():
            raise Conflict(
                _(
                    "This collection has been downloaded: deleting it would lose its "
                    "download figures. Change it instead."
                ),
                code="has_downloads",
            )
        stored = _file_of(locked)
        if stored:
            _remove_file_after_commit(stored.name, stored.storage)
        locked.delete()


# ---------------------------------------------------------------- by kind
# One service each for every kind alike: the pages and the API name the model
# (knowledge.kinds) or hand in the item.


def knowledge_create(*, model: type[M], actor: User, **fields: Any) -> M:
    """A new item of `model` in the actor's jurisdiction."""
    return _create(model, actor=actor, fields=fields)


def knowledge_update(*, item: M, actor: User, **fields: Any) -> M:
    """Change the fields given (see `_update` for `file`)."""
    return _update(item, actor=actor, fields=fields)


def knowledge_delete(*, item: KnowledgeItem, actor: User) -> None:
    """Refused (Conflict) for a collection that has been downloaded."""
    _delete(item, actor=actor)


# ---------------------------------------------------------------- downloads


def download_visitor(*, user: User | AnonymousUser, address: str) -> str:
    """Who is downloading, as the counter stores it. A signed-in user is their
    account. Anyone else is a keyed hash of the network they come from (their
    IPv4 address, or their IPv6 /64: core.clients): it needs no cookie
    (download managers and in-app browsers often keep none), one client
    cannot become many by changing what it says about itself (its
    User-Agent, its cookies), and the address itself is never stored."""
    if user.is_authenticated:
        return f"user:{user.pk}"
    digest = salted_hmac("knowledge.download-visitor", client_network(address)).hexdigest()
    return f"anon:{digest[:40]}"


def collection_download_record(
    *, collection: Collection, visitor: str, day: dt.date | None = None
) -> bool:
    """Count a download once per visitor per day; True when this one counted.

    The unique (collection, visitor, day) constraint decides whether it
    counts, so two requests at once from one visitor make one row. The
    collection's `download_count` is then set to the number of rows, under
    the collection's row lock, so downloads at once from many visitors each
    see the others' committed rows."""
    day = day or timezone.localdate()
    with transaction.atomic():
        Collection.objects.select_for_update().filter(pk=collection.pk).first()
        _, created = CollectionDownload.objects.get_or_create(
            collection=collection, visitor=visitor, day=day
        )
        if created:
            rows = (
                CollectionDownload.objects.filter(collection=OuterRef("pk"))
                .order_by()
                .values("collection")
                .annotate(n=Count("pk"))
                .values("n")
            )
            Collection.objects.filter(pk=collection.pk).update(download_count=Subquery(rows))
    return created
