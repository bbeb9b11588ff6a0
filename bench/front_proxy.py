"""A throwaway nginx in front of the benchmark's gunicorn servers, so the API
benchmark measures the portal as production serves it (nginx, then gunicorn)
beside the direct figures, without `make prod`.

The configuration is the least a reverse proxy needs: keep-alive connections
to the upstream (HTTP/1.1, no `Connection: close`), the client's Host and
X-Forwarded-* headers passed on, no access log. It lives in a temporary folder
with nginx's pid, error log and buffers, and nginx is installed with apt-get
when it is missing (Debian's package, as `make prod` uses)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

CONFIG = """
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
{servers}
}}
"""
SERVER = """
    upstream upstream_{listen} {{ server 127.0.0.1:{upstream}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{listen};
        location / {{
            proxy_pass http://upstream_{listen};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
"""


def nginx_binary() -> str:
    """nginx's path, installing Debian's package first when it is missing."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("nginx is not installed: apt-get install nginx (or run as root).")
    print("installing nginx (apt-get install nginx)…")
    apt = ["apt-get", "install", "-y", "--no-install-recommends", "nginx"]
    if subprocess.run(apt, stdout=subprocess.DEVNULL, check=False).returncode:
        subprocess.run(["apt-get", "update"], stdout=subprocess.DEVNULL, check=True)
        subprocess.run(apt, stdout=subprocess.DEVNULL, check=True)
    found = shutil.which("nginx", path="/usr/sbin:/usr/local/sbin:/usr/bin")
    if not found:
        raise SystemExit("apt-get installed nginx, but no nginx binary was found.")
    return found


@contextmanager
def front_proxy(routes: Mapping[int, int]) -> Iterator[None]:
    """nginx listening on each key of `routes` on 127.0.0.1, forwarding to the
    port it maps to, for the time of the `with` block."""
    binary = nginx_binary()
    with tempfile.TemporaryDirectory(prefix="ipfin-bench-nginx-") as name:
        folder = Path(name)
        folder.chmod(0o755)  # nginx's workers may run as another user
        servers = "".join(
            SERVER.format(listen=listen, upstream=upstream) for listen, upstream in routes.items()
        )
        config = folder / "nginx.conf"
        config.write_text(CONFIG.format(folder=folder, servers=servers))
        process = subprocess.Popen(
            [binary, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")]
        )
        try:
            for listen in routes:
                _wait_for(listen, process, folder)
            yield
        finally:
            process.send_signal(signal.SIGQUIT)  # graceful: finish what it serves
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(port: int, process: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
            raise SystemExit(f"nginx stopped at start:\n{log}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nginx does not answer on 127.0.0.1:{port}")
