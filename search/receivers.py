"""Keeps the index current: a saved or deleted object queues the refresh of
its row (search.tasks.refresh_entry) once its transaction commits. Renaming
an institution refreshes its products too, whose rows carry its name.

Writes that send no signal (bulk_create, QuerySet.update: the demo seed,
imports) are caught up by `manage.py search_rebuild`, which the seed runs."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from products.models import Institution, Product
from search.sources import BY_MODEL
from search.tasks import refresh_entry


def _queue(source: str, object_id: int) -> None:
    transaction.on_commit(lambda: refresh_entry.delay(source, object_id))


def object_changed(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    _queue(BY_MODEL[sender].label, instance.pk)
    if sender is Institution:
        label = BY_MODEL[Product].label
        products = Product.objects.filter(institution_id=instance.pk)
        for product_id in products.values_list("pk", flat=True):
            _queue(label, product_id)


def object_deleted(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    if instance.pk is not None:
        _queue(BY_MODEL[sender].label, instance.pk)


def connect() -> None:
    for model, source in BY_MODEL.items():
        post_save.connect(object_changed, sender=model, dispatch_uid=f"search.save.{source.label}")
        post_delete.connect(
            object_deleted, sender=model, dispatch_uid=f"search.delete.{source.label}"
        )
