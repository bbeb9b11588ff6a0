"""The generic writes the seed is made of. Each brings the database to exactly
the planned rows, so running the seed a second time changes nothing: upserts on
natural keys, exact many-to-many links, and stale seeded rows removed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import models

from events.models import Event, Registration
from financing.models import Contract
from products.models import Product

M = TypeVar("M", bound=models.Model)
# The seeded rows whose creation time is set to the campaign's (`backdate`).
Backdated = TypeVar("Backdated", Product, Event, Registration, Contract)


def upsert(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, unique: Sequence[str]
) -> None:
    """Insert new rows, update existing ones (matched on `unique`, field names)
    in place: every column a row gives is written, the `unique` ones aside."""
    if not rows:
        return
    names = [model._meta.get_field(column).name for column in rows[0]]
    model._default_manager.bulk_create(
        [model(**row) for row in rows],
        update_conflicts=True,
        unique_fields=list(unique),
        update_fields=[name for name in names if name not in unique],
    )


def upsert_ids(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, key: str
) -> dict[Any, int]:
    """`upsert` on the natural key `key`; returns the rows' primary keys by it,
    read back (bulk_create does not return the ids of updated rows everywhere)."""
    upsert(model, rows, unique=[key])
    values = [row[key] for row in rows]
    return dict(model._default_manager.filter(**{f"{key}__in": values}).values_list(key, "pk"))


def sync_rows(
    model: type[M], existing: Iterable[M], key: Sequence[str], rows: Sequence[dict[str, Any]]
) -> dict[tuple[Any, ...], int]:
    """Upsert for models without a unique natural key (titles, meeting pairs):
    match `existing` rows on `key`, update only what changed, create the rest."""
    by_key: dict[tuple[Any, ...], M] = {}
    for obj in existing:
        by_key.setdefault(tuple(getattr(obj, f) for f in key), obj)
    fields = sorted({f for row in rows for f in row} - set(key))
    new: list[M] = []
    changed: list[M] = []
    for row in rows:
        current = by_key.get(tuple(row[f] for f in key))
        if current is None:
            new.append(model(**row))
            continue
        if any(getattr(current, f) != row[f] for f in fields):
            for f in fields:
                setattr(current, f, row[f])
            changed.append(current)
    model._default_manager.bulk_create(new)  # sets the pks on SQLite ≥ 3.35 and PostgreSQL
    if changed:
        model._default_manager.bulk_update(changed, fields)
    wanted = {tuple(row[f] for f in key) for row in rows}
    ids: dict[tuple[Any, ...], int] = {}
    for obj in [*by_key.values(), *new]:
        found = tuple(getattr(obj, f) for f in key)
        if found in wanted:
            assert obj.pk is not None
            ids.setdefault(found, obj.pk)
    return ids


def sync_titled(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """`sync_rows` for the knowledge models, whose rows are known by `title_zh`;
    returns their primary keys by title."""
    titles = [row["title_zh"] for row in rows]
    existing = model._default_manager.filter(title_zh__in=titles)
    ids = sync_rows(model, existing, ("title_zh",), rows)
    return {title: pk for (title,), pk in ids.items()}


def sync_set(
    rows: models.QuerySet[Any],
    fields: Sequence[str],
    wanted: set[tuple[Any, ...]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """Make `rows` exactly `wanted`, rows told apart by the values of `fields`
    alone: delete the others, create the missing ones (in sorted order)."""
    model = rows.model
    have = {tuple(values): pk for pk, *values in rows.values_list("pk", *fields)}
    stale = [pk for key, pk in have.items() if key not in wanted]
    if stale:
        model._default_manager.filter(pk__in=stale).delete()
    model._default_manager.bulk_create(
        [model(**dict(zip(fields, key, strict=True))) for key in sorted(wanted - set(have))],
        ignore_conflicts=ignore_conflicts,
    )


def sync_links(
    model: type[models.Model], owners: Mapping[Any, int], **links: Iterable[tuple[Any, Any]]
) -> None:
    """Make the many-to-many links of `owners` (primary keys by natural key)
    exactly the pairs given for each field: `name=[(owner's key, target pk), …]`."""
    for name, pairs in links.items():
        m2m = model._meta.get_field(name)
        if not isinstance(m2m, models.ManyToManyField) or m2m.remote_field.through is None:
            raise TypeError(f"{model.__name__}.{name} is not a many-to-many field")
        through = m2m.remote_field.through
        source = m2m.m2m_field_name() + "_id"
        target = m2m.m2m_reverse_field_name() + "_id"
        sync_set(
            through._default_manager.filter(**{f"{source}__in": list(owners.values())}),
            (source, target),
            {(owners[key], pk) for key, pk in pairs},
            ignore_conflicts=True,
        )


def delete_missing(rows: models.QuerySet[Any], key: str, keep: set[Any]) -> None:
    """Delete those of `rows` (seeded ones) whose `key` the plan no longer has:
    earlier versions of the seed may have left them."""
    stale = [pk for pk, value in rows.values_list("pk", key) if value not in keep]
    if stale:
        rows.model._default_manager.filter(pk__in=stale).delete()


def backdate(model: type[Backdated], ids: dict[Any, int], when: dict[Any, dt.datetime]) -> None:
    """Set `created_at` to when the row would have been made in 2020 (auto_now_add
    stamps today on insert); touches only rows that differ."""
    rows = model._default_manager.filter(pk__in=list(ids.values())).only("pk", "created_at")
    key_by_id = {pk: key for key, pk in ids.items()}
    stale: list[Backdated] = []
    for obj in rows:
        wanted = when[key_by_id[obj.pk]]
        if obj.created_at != wanted:
            obj.created_at = wanted
            stale.append(obj)
    if stale:
        model._default_manager.bulk_update(stale, ["created_at"], batch_size=500)
