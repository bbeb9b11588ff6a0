"""`manage.py backup [--output FILE]`: the database and every stored file in
one archive with its manifest (ops/backups.py; README, Backups)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import ngettext

from ops import backups


class Command(BaseCommand):
    help = "Write the database and every stored file into one archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write (default: ipfin-backup-<date>-<time>.tar.gz here)",
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            help="language of the output: en or zh-hans",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["language"])
        output: Path = options["output"] or Path(
            timezone.localtime().strftime("ipfin-backup-%Y%m%d-%H%M%S.tar.gz")
        )
        try:
            manifest = backups.backup_create(output=output, progress=self.stdout.write)
        except backups.BackupFailed as failed:
            raise CommandError(str(failed)) from failed
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Backup written to %(path)s: the %(engine)s database "
                    "and %(count)s file, %(size)s MB.",
                    "Backup written to %(path)s: the %(engine)s database "
                    "and %(count)s files, %(size)s MB.",
                    len(manifest["files"]),
                )
                % {
                    "path": output,
                    "engine": manifest["database"]["engine"],
                    "count": len(manifest["files"]),
                    "size": f"{output.stat().st_size / 1e6:,.1f}",
                }
            )
        )
