"""`python manage.py seed_campaign`: load the 2020 campaign and the demo accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from demo.seed import seed_campaign


class Command(BaseCommand):
    help = (
        'Load the 2020 "entering the park" IP pledge financing campaign and the demo '
        "accounts (password IPFIN_DEMO_PASSWORD). Safe to run again: it changes nothing "
        "the second time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] >= 1
        report = seed_campaign(
            password=settings.IPFIN_DEMO_PASSWORD,
            log=self.stdout.write if verbose else None,
        )
        if verbose:
            for line in report.summary_lines():
                self.stdout.write(line)
            self.stdout.write(self.style.SUCCESS("Demo campaign ready."))
