"""`python manage.py search_rebuild`: write every row of the search index
from the objects (only the rows that differ), and remove the rows of objects
that are gone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from search.services import index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the products, events, institutions, "
        "enterprises and knowledge items."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        changes = index_rebuild()
        if options["verbosity"] >= 1:
            for label, counts in changes.items():
                self.stdout.write(
                    f"  {label:<32} {counts['created']:>7,} new  {counts['changed']:>7,} changed"
                    f"  {counts['removed']:>7,} removed"
                )
            self.stdout.write(self.style.SUCCESS("Search index up to date."))
