"""Where the portal's files live and how one reaches the user who may read it.

Files are read and written through Django's storage API only, never by a
path on disk: with `S3_BUCKET` set they live in object storage, where any
web or worker machine finds what another wrote. Two storages (settings.STORAGES):

- "default": uploads, imports, report results, knowledge files (media/ in
  the bucket, MEDIA_ROOT without one);
- "private": files only some users may read, the business licences
  (private/ in the bucket, PRIVATE_MEDIA_ROOT without one).

Neither is public. Every download view checks who asks first, then answers
with `serve_file`, which hands out the file in the cheapest way the
deployment allows (README, Files).
"""

from __future__ import annotations

import os
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from storages.backends.s3 import S3Storage


class PrivateFileSystemStorage(FileSystemStorage):
    """Private files on the local disk, outside the media folder and with no
    URL. The folder is read from the settings on each use
    (`PRIVATE_MEDIA_ROOT`), so tests can point it elsewhere."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL: serve them through a view")


class PrivateStorage(LazyObject):
    """The "private" storage, looked up when first used (a model field's
    storage is built as its model is imported) and again after the settings
    change, as Django does for the default storage."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


private_storage = cast(Storage, PrivateStorage())


@receiver(setting_changed)
def _forget_the_private_storage(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        cast(Any, private_storage)._wrapped = empty


# How a download endpoint of the API answers (its schema).
DOWNLOAD_RESPONSES: dict[Any, Any] = {
    (200, "application/octet-stream"): OpenApiTypes.BINARY,
    302: OpenApiResponse(
        description="The file is in object storage: fetch it from `Location`, a signed URL "
        "that lives S3_URL_EXPIRE seconds."
    ),
}


def serve_file(
    file: FieldFile,
    *,
    filename: str,
    content_type: str | None = None,
    as_attachment: bool = True,
) -> HttpResponseBase:
    """The stored file for a user the calling view has already let through,
    under `filename` (any script: RFC 6266 `filename*`), never cached:

    - object storage and IPFIN_FILES_ACCEL: an empty answer whose
      `X-Accel-Redirect` sends nginx to a signed URL of the object store;
    - object storage: a redirect to a signed URL that lives S3_URL_EXPIRE
      seconds;
    - local disk: the file streamed by Django.

    The signed URL asks the store to answer with the same name, type and
    caching.
    A file missing from the local disk raises FileNotFoundError."""
    disposition = content_disposition_header(as_attachment, filename) or ""
    response: HttpResponseBase
    if isinstance(file.storage, S3Storage):
        parameters = {
            "ResponseContentDisposition": disposition,
            "ResponseCacheControl": "private, no-store",
        }
        if content_type:
            parameters["ResponseContentType"] = content_type
        signed = file.storage.url(file.name, parameters=parameters)
        if settings.IPFIN_FILES_ACCEL:
            response = HttpResponse()
            response["X-Accel-Redirect"] = _internal_location(signed)
        else:
            response = HttpResponseRedirect(signed)
    else:
        response = FileResponse(
            file.open("rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _internal_location(signed: str) -> str:
    """The signed URL's path and query under nginx's internal location, which
    proxies to the object store's endpoint (README, Files)."""
    parts = urlsplit(signed)
    return f"{settings.IPFIN_FILES_ACCEL.rstrip('/')}{parts.path}?{parts.query}"
