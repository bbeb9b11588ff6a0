"""SeaweedFS for the storage tests: the same script `make prod` runs
(deploy/seaweedfs.sh), started once per test process in a folder of its own
on free ports, and the portal's settings as they are read with its S3_*
variables in the environment."""

from __future__ import annotations

import os
import runpy
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

SCRIPT = Path(django_settings.BASE_DIR) / "deploy" / "seaweedfs.sh"
SETTINGS = Path(django_settings.BASE_DIR) / "ipfin" / "settings.py"
PORTS = ("S3", "MASTER", "VOLUME", "FILER")


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A running SeaweedFS with the portal's bucket: its S3_* settings. The
    script installs the pinned `weed` into the virtualenv when it is missing."""
    folder = tmp_path_factory.mktemp("seaweedfs")
    ports = iter(free_ports(2 * len(PORTS)))
    env = {**os.environ, "VENV": sys.prefix, "SEAWEEDFS_DIR": str(folder), "S3_BUCKET": "ipfin"}
    for name in PORTS:
        env[f"SEAWEEDFS_{name}_PORT"] = str(next(ports))
        env[f"SEAWEEDFS_{name}_GRPC_PORT"] = str(next(ports))
    for name in ("S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"):
        env.pop(name, None)  # the script generates the key pair
    subprocess.run([str(SCRIPT), "start"], env=env, check=True, timeout=180)
    try:
        lines = (folder / "s3.env").read_text().splitlines()
        yield dict(line.split("=", 1) for line in lines if "=" in line)
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, check=False, timeout=60)


def portal_settings(monkeypatch: pytest.MonkeyPatch, **environment: str) -> dict[str, Any]:
    """ipfin/settings.py read afresh with these variables in the environment."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


@pytest.fixture
def object_storage(
    seaweedfs: dict[str, str], settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Any:
    """The portal pointed at SeaweedFS, as `make prod` points it; the local
    media folders moved to an empty place, where nothing may appear."""
    read = portal_settings(monkeypatch, **seaweedfs)
    settings.STORAGES = read["STORAGES"]
    settings.S3_URL_EXPIRE = read["S3_URL_EXPIRE"]
    settings.IPFIN_FILES_ACCEL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings
