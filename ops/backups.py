"""One archive holds the whole portal: the database and every stored file,
with a manifest that says what is inside (`manage.py backup` and
`manage.py restore`; README, Backups).

    manifest.json                 written last: when, which portal, which
                                  database engine, every member's size and sha256
    database/ipfin.dump           PostgreSQL: pg_dump's custom format
    database/ipfin.sqlite3        SQLite: a copy made by sqlite3's backup API
    files/<storage>/<name>        each storage's files, read through Django's
                                  storage API (local folders or S3 alike)

The storages are the default one ("media") and every other storage a model's
FileField names (the business licences' private storage), found from the
models so that this lower layer imports no app above it.

A restore reads the whole archive into a scratch folder and checks it against
its manifest before it changes anything: another engine, migrations this code
does not know (an archive from a newer portal), a member missing, added or
whose bytes do not match its checksum refuse it. Only then are the database
and the storages wiped and written back.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import environ
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.models import FileField
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"postgresql": "database/ipfin.dump", "sqlite": "database/ipfin.sqlite3"}
CHUNK = 1024 * 1024

# Told what was done so far: a line for the operator.
Progress = Callable[[str], None]


class BackupRefused(Exception):
    """The archive cannot be restored here; the message says why, for the operator."""


class BackupFailed(Exception):
    """A program or a storage failed midway; the message says which, for the operator."""


@dataclass(frozen=True)
class Member:
    """A file of the archive as its manifest lists it."""

    path: str
    size: int
    sha256: str


def _quiet(line: str) -> None:
    pass


# Where the files live ---------------------------------------------------------


def _storage_identity(storage: Storage) -> tuple[str, str, str]:
    """Two storage objects writing to the same place are one storage."""
    location = str(getattr(storage, "location", "") or "")
    # default_storage is a lazy wrapper (set up by reading its location above).
    actual = getattr(storage, "_wrapped", storage)
    return (
        f"{type(actual).__module__}.{type(actual).__qualname__}",
        str(getattr(actual, "bucket_name", "") or ""),
        location,
    )


def storages() -> dict[str, Storage]:
    """The default storage as "media", then each other storage a FileField
    names, under the first field's label (e.g. "enterprises.Enterprise.licence")."""
    found: dict[str, Storage] = {"media": default_storage}
    seen = {_storage_identity(default_storage)}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, FileField):
                continue
            identity = _storage_identity(field.storage)
            if identity not in seen:
                seen.add(identity)
                found[f"{model._meta.label}.{field.name}"] = field.storage
    return found


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name, walked with listdir (which S3 storages answer too)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        # A local storage that never received a file has no folder yet.
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for sub in sorted(folders):
        yield from stored_files(storage, posixpath.join(folder, sub))


# What the portal is -----------------------------------------------------------


def engine() -> str:
    return str(connection.vendor)


def migration_heads() -> dict[str, list[str]]:
    """The latest migration of each app in this code."""
    heads: dict[str, list[str]] = {}
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for app_label, name in sorted(graph.leaf_nodes()):
        heads.setdefault(app_label, []).append(name)
    return heads


def portal_version() -> str:
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
        return str(tomllib.load(file)["project"]["version"])


# The database -----------------------------------------------------------------


def _postgres_environment() -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore: BACKUP_DATABASE_URL when
    set (a direct connection while DATABASE_URL goes through PgBouncer),
    else the portal's own connection."""
    url = settings.BACKUP_DATABASE_URL
    params: dict[str, Any] = environ.Env.db_url_config(url) if url else connection.settings_dict
    variables = {
        "PGHOST": params.get("HOST"),
        "PGPORT": params.get("PORT"),
        "PGUSER": params.get("USER"),
        "PGPASSWORD": params.get("PASSWORD"),
        "PGDATABASE": params.get("NAME"),
    }
    return {**os.environ, **{key: str(value) for key, value in variables.items() if value}}


def _run(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        raise BackupFailed(
            _("%(program)s is not installed: install PostgreSQL's client programs.")
            % {"program": command[0]}
        )
    done = subprocess.run(command, env=_postgres_environment(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupFailed(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": done.stderr.strip()}
        )
    return done.stdout


def database_dump(*, to: Path) -> None:
    if engine() == "postgresql":
        _run(["pg_dump", "--format=custom", f"--file={to}"])
        return
    if connection.in_atomic_block:
        # Python's backup loop would wait forever on the transaction's own lock.
        raise RuntimeError("a SQLite database cannot be backed up inside a transaction")
    connection.ensure_connection()
    target = sqlite3.connect(to)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def database_load(*, source: Path) -> None:
    """Replace the whole database with the dump's: other connections must be closed."""
    connections.close_all()
    if engine() == "postgresql":
        _postgres_load(source)
        return
    connection.ensure_connection()
    dump = sqlite3.connect(source)
    try:
        dump.backup(connection.connection)
    finally:
        dump.close()


def _dumped_tables(source: Path) -> set[str]:
    """The tables of the public schema that a pg_dump archive holds."""
    listing = _run(["pg_restore", "--list", str(source)])
    tables = set()
    for line in listing.splitlines():
        words = line.split()
        if line.startswith(";") or "TABLE" not in words:
            continue
        at = words.index("TABLE")
        if words[at + 1 : at + 2] == ["public"] and len(words) > at + 2:
            tables.add(words[at + 2])
    return tables


def _postgres_load(source: Path) -> None:
    """pg_restore's script run by psql in one transaction, after dropping the
    tables the dump does not hold: those of migrations newer than the archive,
    which `migrate` creates again once the restore is done. A failure on the
    way rolls everything back."""
    connection.ensure_connection()
    extra = set(connection.introspection.table_names()) - _dumped_tables(source)
    connection.close()
    for program in ("pg_restore", "psql"):
        if shutil.which(program) is None:
            raise BackupFailed(
                _("%(program)s is not installed: install PostgreSQL's client programs.")
                % {"program": program}
            )
    environment = _postgres_environment()
    psql = subprocess.Popen(
        ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
         "--file=-", f"--dbname={environment['PGDATABASE']}"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env=environment,
    )  # fmt: skip
    script = subprocess.Popen(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--file=-", str(source)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment,
    )  # fmt: skip
    assert psql.stdin is not None and script.stdout is not None and script.stderr is not None
    assert psql.stderr is not None
    try:
        for table in sorted(extra):
            psql.stdin.write(f'DROP TABLE IF EXISTS "{table}" CASCADE;\n'.encode())
        shutil.copyfileobj(script.stdout, psql.stdin)
    except BrokenPipeError:
        pass  # psql stopped at an error: reported below
    finally:
        psql.stdin.close()
    failed = script.wait() != 0 and script.stderr.read().decode().strip()
    errors = psql.stderr.read().decode().strip()
    if psql.wait() != 0 or failed:
        raise BackupFailed(
            _("%(program)s failed: %(error)s")
            % {"program": "psql" if errors else "pg_restore", "error": errors or failed}
        )


# Taking a backup --------------------------------------------------------------


class _Hashing:
    """Reads a file while hashing what tarfile takes from it."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        return data


def _add(archive: tarfile.TarFile, path: str, file: IO[bytes], size: int) -> Member:
    info = tarfile.TarInfo(path)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    reader = _Hashing(file)
    archive.addfile(info, reader)
    return Member(path=path, size=size, sha256=reader.digest.hexdigest())


def backup_create(*, output: Path, progress: Progress = _quiet) -> dict[str, Any]:
    """Write the archive to `output` (through a temporary name, so a failed
    backup never leaves a file that looks whole) and return its manifest."""
    partial = output.with_name(output.name + ".partial")
    try:
        manifest = _archive_write(partial, progress)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(output)
    return manifest


def _archive_write(partial: Path, progress: Progress) -> dict[str, Any]:
    # The moment of the database dump: files are read after it.
    created_at = timezone.now()
    with tempfile.TemporaryDirectory(prefix="ipfin-backup-") as scratch:
        dump = Path(scratch) / "database"
        progress(_("Dumping the database (%(engine)s)…") % {"engine": engine()})
        database_dump(to=dump)
        with tarfile.open(partial, "w:gz") as archive:
            with open(dump, "rb") as file:
                database = _add(archive, DATABASE_FILES[engine()], file, dump.stat().st_size)
            files: list[dict[str, Any]] = []
            total = 0
            for key, storage in storages().items():
                for name in stored_files(storage):
                    size = storage.size(name)
                    with storage.open(name, "rb") as file:
                        member = _add(archive, f"files/{key}/{name}", file, size)
                    files.append(
                        {"storage": key, "name": name, "size": size, "sha256": member.sha256}
                    )
                    total += size
                    if len(files) % 100 == 0:
                        progress(_files_done(len(files), total))
            progress(_files_done(len(files), total))
            manifest = {
                "format": FORMAT,
                "created_at": created_at.isoformat(),
                "portal_version": portal_version(),
                "migrations": migration_heads(),
                "database": {
                    "engine": engine(),
                    "path": database.path,
                    "size": database.size,
                    "sha256": database.sha256,
                },
                "files": files,
            }
            body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
    return manifest


def _files_done(count: int, total: int) -> str:
    return ngettext("%(count)s file, %(size)s MB", "%(count)s files, %(size)s MB", count) % {
        "count": count,
        "size": f"{total / 1e6:,.1f}",
    }


# Restoring --------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _unpacked(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def archive_check(*, folder: Path) -> dict[str, Any]:
    """The manifest of an unpacked archive, once everything in it is as it
    says and this portal can take it; else BackupRefused."""
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text())
        database: dict[str, Any] = manifest["database"]
        members = [Member(database["path"], database["size"], database["sha256"])] + [
            Member(f"files/{f['storage']}/{f['name']}", f["size"], f["sha256"])
            for f in manifest["files"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupRefused(
            _("This is not a portal backup: it has no readable manifest.")
        ) from error
    if manifest.get("format") != FORMAT:
        raise BackupRefused(_("This backup was written in a format this portal does not read."))
    if database["engine"] != engine():
        raise BackupRefused(
            _("This backup holds a %(archive)s database; this portal runs on %(here)s.")
            % {"archive": database["engine"], "here": engine()}
        )
    known = MigrationLoader(None, ignore_no_migrations=True).graph.nodes
    newer = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )
    if newer:
        raise BackupRefused(
            _(
                "This backup comes from a newer portal (migrations %(names)s): "
                "upgrade the code first."
            )
            % {"names": ", ".join(newer)}
        )
    unknown = {f["storage"] for f in manifest["files"]} - set(storages())
    if unknown:
        raise BackupRefused(
            _("This backup holds files of storages this portal does not have: %(names)s.")
            % {"names": ", ".join(sorted(unknown))}
        )
    extra = _unpacked(folder) - {m.path for m in members} - {MANIFEST}
    if extra:
        raise BackupRefused(
            _("This backup holds files its manifest does not list: %(names)s.")
            % {"names": ", ".join(sorted(extra)[:5])}
        )
    for member in members:
        path = folder / member.path
        if not path.is_file():
            raise BackupRefused(_("This backup lacks %(name)s.") % {"name": member.path})
        if path.stat().st_size != member.size or _sha256(path) != member.sha256:
            raise BackupRefused(
                _("%(name)s does not match its checksum: the backup was damaged or altered.")
                % {"name": member.path}
            )
    return manifest


def archive_unpack(*, archive: Path, to: Path) -> None:
    try:
        with tarfile.open(archive, "r:*") as tar:
            # The "data" filter refuses links and names outside the folder.
            tar.extractall(to, filter="data")
    except (OSError, tarfile.TarError) as error:
        raise BackupRefused(
            _("This file cannot be read as a backup archive (a .tar.gz written by backup).")
        ) from error


def storages_wipe(*, progress: Progress = _quiet) -> int:
    removed = 0
    for storage in storages().values():
        for name in list(stored_files(storage)):
            storage.delete(name)
            removed += 1
    removed_line = ngettext(
        "%(count)s stored file removed.", "%(count)s stored files removed.", removed
    )
    progress(removed_line % {"count": removed})
    return removed


def backup_restore(*, archive: Path, progress: Progress = _quiet) -> dict[str, Any]:
    """Check the archive, then replace the database and every stored file
    with its own. The portal's processes should be stopped meanwhile."""
    with tempfile.TemporaryDirectory(prefix="ipfin-restore-") as scratch:
        folder = Path(scratch)
        progress(_("Reading the archive…"))
        archive_unpack(archive=archive, to=folder)
        manifest = archive_check(folder=folder)
        progress(_("The archive is whole: restoring the database…"))
        database_load(source=folder / manifest["database"]["path"])
        storages_wipe(progress=progress)
        targets = storages()
        total = 0
        for count, entry in enumerate(manifest["files"], start=1):
            storage = targets[entry["storage"]]
            with open(folder / "files" / entry["storage"] / entry["name"], "rb") as file:
                saved = storage.save(entry["name"], File(file))
            if saved != entry["name"]:
                raise BackupFailed(
                    _("%(name)s was stored as %(saved)s.") % {"name": entry["name"], "saved": saved}
                )
            total += entry["size"]
            if count % 100 == 0:
                progress(_files_done(count, total))
        progress(_files_done(len(manifest["files"]), total))
    return manifest


def migrations_behind(manifest: dict[str, Any]) -> bool:
    """The archive was taken before some of this code's migrations."""
    heads: dict[str, list[str]] = manifest["migrations"]
    return heads != migration_heads()
