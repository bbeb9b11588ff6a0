"""Writes of the search index: one object's row, or every row rebuilt.

Both read the object from its own table and write its row as search.sources
says, so the index never holds anything the object does not. A rebuild
writes only the rows that differ: run twice, it changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from search.models import SearchEntry
from search.sources import BY_LABEL, SOURCES, Source

REBUILD_BATCH = 2_000
FIELDS = [
    "kind",
    "key",
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "title_terms",
    "document",
    "public",
    "institution_id",
    "province_id",
    "park_id",
]


def entry_refresh(*, source: str, object_id: int) -> SearchEntry | None:
    """Bring the object's row up to date: written when the object exists,
    removed when it is gone. Answers the row, or None."""
    found = BY_LABEL[source]
    obj = found.queryset().filter(pk=object_id).first()
    if obj is None:
        SearchEntry.objects.filter(source=source, object_id=object_id).delete()
        return None
    values = {"kind": found.kind, **found.entry(obj)}
    entry, _created = SearchEntry.objects.update_or_create(
        source=source, object_id=object_id, defaults=values
    )
    return entry


def _differs(entry: SearchEntry, values: dict[str, Any]) -> bool:
    return any(getattr(entry, name) != value for name, value in values.items())


def _rebuild_source(source: Source) -> dict[str, int]:
    rows = SearchEntry.objects.filter(source=source.label).only("pk", "object_id", *FIELDS)
    existing = {entry.object_id: entry for entry in rows}
    created: list[SearchEntry] = []
    changed: list[SearchEntry] = []
    seen: set[int] = set()
    for obj in source.queryset().order_by("pk").iterator(chunk_size=REBUILD_BATCH):
        seen.add(obj.pk)
        values = {"kind": source.kind, **source.entry(obj)}
        entry = existing.get(obj.pk)
        if entry is None:
            created.append(SearchEntry(source=source.label, object_id=obj.pk, **values))
        elif _differs(entry, values):
            for name, value in values.items():
                setattr(entry, name, value)
            changed.append(entry)
    gone = [entry.pk for object_id, entry in existing.items() if object_id not in seen]
    SearchEntry.objects.bulk_create(created, batch_size=REBUILD_BATCH)
    SearchEntry.objects.bulk_update(changed, FIELDS, batch_size=REBUILD_BATCH)
    for start in range(0, len(gone), REBUILD_BATCH):
        SearchEntry.objects.filter(pk__in=gone[start : start + REBUILD_BATCH]).delete()
    return {"created": len(created), "changed": len(changed), "removed": len(gone)}


@transaction.atomic
def index_rebuild() -> dict[str, dict[str, int]]:
    """Every object's row written from its table, rows of objects gone
    removed; answers, per model, how many rows were created, changed and
    removed."""
    return {source.label: _rebuild_source(source) for source in SOURCES}
