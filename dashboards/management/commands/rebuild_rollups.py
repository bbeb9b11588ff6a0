from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from dashboards.rollups import rebuild_all


class Command(BaseCommand):
    help = "Rebuild the dashboard's rollups from the rows (repair; safe to run any time)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        built = rebuild_all()
        self.stdout.write(
            f"{built['cells']} cells, {built['shares']} event shares, "
            f"{built['parties']} event parties in {time.monotonic() - started:.1f} s"
        )
