from __future__ import annotations

from celery import shared_task

from search import services


@shared_task(name="search.refresh_entry")
def refresh_entry(source: str, object_id: int) -> None:
    """Bring one object's search row up to date (written, or removed when the
    object is gone). Idempotent. Queued after commit by search.receivers."""
    services.entry_refresh(source=source, object_id=object_id)


@shared_task(name="search.rebuild_index")
def rebuild_index() -> dict[str, dict[str, int]]:
    """Every row of the index rewritten from the objects: what
    `manage.py search_rebuild` does."""
    return services.index_rebuild()
