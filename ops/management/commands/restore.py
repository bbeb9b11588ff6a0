"""`manage.py restore FILE [--yes]`: check an archive written by `backup`,
then replace the database and every stored file with its own
(ops/backups.py; README, Backups)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ops import backups


class Command(BaseCommand):
    help = "Replace the database and every stored file with those of a backup archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="an archive written by manage.py backup")
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            help="language of the output: en or zh-hans",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["language"])
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(_("%(path)s is not a file.") % {"path": archive})
        if not options["yes"]:
            question = _(
                "This replaces the whole database and every stored file with those of "
                "%(path)s. Stop the portal and its workers first. Type yes to go on: "
            ) % {"path": archive}
            try:
                answer = input(question)
            except EOFError:  # no terminal to ask: --yes is needed
                answer = ""
            if answer.strip().lower() not in {"yes", _("yes")}:
                raise CommandError(_("Nothing was changed."))
        try:
            manifest = backups.backup_restore(archive=archive, progress=self.stdout.write)
        except backups.BackupRefused as refused:
            reason = _("%(reason)s Nothing was changed.") % {"reason": refused}
            raise CommandError(reason) from refused
        except backups.BackupFailed as failed:
            raise CommandError(str(failed)) from failed
        if backups.migrations_behind(manifest):
            self.stdout.write(_("The backup predates this code: applying the newer migrations…"))
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Restored the backup of %(created)s: the database and %(count)s file.",
                    "Restored the backup of %(created)s: the database and %(count)s files.",
                    len(manifest["files"]),
                )
                % {"created": manifest["created_at"], "count": len(manifest["files"])}
            )
        )
